"""The government performance part of the demo catalogue: one row per indicator (see docs/packs.md),
with how its made-up history is shaped (``base``, ``growth``, ``season``: twelve monthly factors,
``level``, ``part_of``) and its demo targets (``stretch`` on last year's figure, or the resolution's
``target``). Levels after shared/reference/demo-province-figures.md."""

DOSSIERS = (1.05, 0.7, 1.05, 1.02, 1.03, 1.02, 1.0, 1.0, 1.02, 1.03, 1.02, 1.06)


INDICATORS = [
    {"code": "DOSSIERS", "name_vi": "Hồ sơ thủ tục hành chính tiếp nhận", "name_en": "Administrative dossiers received", "measure": "hồ sơ", "sector": "government", "period": "month", "level": "commune", "base": 92000, "growth": 0.06, "season": DOSSIERS, "min": 0},
    {"code": "DOSSIERS_ON_TIME", "name_vi": "Hồ sơ giải quyết đúng hạn", "name_en": "Dossiers settled on time", "measure": "hồ sơ", "sector": "government", "period": "month", "level": "commune", "base": 87400, "growth": 0.075, "season": DOSSIERS, "min": 0, "part_of": "DOSSIERS"},
    {"code": "ON_TIME_RATE", "name_vi": "Tỷ lệ hồ sơ giải quyết đúng hạn", "name_en": "Dossiers settled on time", "measure": "%", "sector": "government", "period": "month", "agg": "none", "decimals": 1, "formula": "DOSSIERS_ON_TIME / DOSSIERS * 100", "min": 0, "max": 100, "target": {"kind": "at_least", "value": 99, "upper": None, "note": "NQ 57: 99 % hồ sơ đúng hạn [P2]"}},
    {"code": "ONLINE_DOSSIERS", "name_vi": "Hồ sơ nộp trực tuyến", "name_en": "Dossiers filed online", "measure": "hồ sơ", "sector": "government", "period": "month", "level": "commune", "base": 41000, "growth": 0.13, "season": DOSSIERS, "min": 0, "part_of": "DOSSIERS"},
    {"code": "ONLINE_RATE", "name_vi": "Tỷ lệ hồ sơ trực tuyến", "name_en": "Share of dossiers filed online", "measure": "%", "sector": "government", "period": "month", "agg": "none", "decimals": 1, "formula": "ONLINE_DOSSIERS / DOSSIERS * 100", "min": 0, "max": 100, "target": {"kind": "at_least", "value": 80, "upper": None, "note": "NQ 57: 80 % hồ sơ trực tuyến [P2]"}},
]  # fmt: skip
