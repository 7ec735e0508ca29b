"""The health part of the demo catalogue: one row per indicator (see docs/packs.md), with how its
made-up history is shaped (``base``, ``growth``, ``season``: twelve monthly factors, ``level``,
``part_of``) and its demo targets (``stretch`` on last year's figure, or the resolution's
``target``). Levels after shared/reference/demo-province-figures.md."""

HEALTH = (0.95, 0.85, 1.0, 1.0, 1.02, 1.05, 1.05, 1.03, 1.03, 1.02, 1.0, 1.0)
DENGUE = (0.4, 0.25, 0.2, 0.2, 0.4, 0.8, 1.3, 1.9, 2.2, 2.1, 1.5, 0.85)


INDICATORS = [
    {"code": "POP_Q", "name_vi": "Dân số cuối quý (tính tỷ lệ)", "name_en": "Population at quarter end (for rates)", "measure": "người", "sector": "health", "period": "quarter", "level": "commune", "time": "last", "growth": 0.012, "min": 0},
    {"code": "HEALTH_INSURANCE", "name_vi": "Tỷ lệ dân số tham gia bảo hiểm y tế", "name_en": "Health-insurance coverage", "measure": "%", "sector": "health", "period": "quarter", "level": "commune", "agg": "wavg", "time": "last", "decimals": 1, "base": 92.5, "growth": 0.006, "weight": "POP_Q", "min": 0, "max": 100},
    {"code": "HOSPITAL_BEDS", "name_vi": "Số giường bệnh (không kể trạm y tế xã)", "name_en": "Hospital beds (excluding commune health stations)", "measure": "giường", "sector": "health", "period": "year", "level": "province", "time": "last", "base": 14800, "growth": 0.035, "min": 0},
    {"code": "BEDS_PER_10K", "name_vi": "Số giường bệnh trên 10.000 dân", "name_en": "Hospital beds per 10,000 people", "measure": "giường/vạn dân", "sector": "health", "period": "year", "agg": "none", "decimals": 1, "formula": "HOSPITAL_BEDS / POP * 10000", "min": 0, "target": {"kind": "at_least", "value": 67.78, "upper": None, "note": "NQ 43/NQ-HĐND: 67,78 giường bệnh/vạn dân [T11]"}},
    {"code": "OUTPATIENTS", "name_vi": "Lượt khám chữa bệnh", "name_en": "Outpatient visits", "measure": "lượt", "sector": "health", "period": "month", "level": "commune", "base": 820000, "growth": 0.04, "season": HEALTH, "min": 0},
    {"code": "DENGUE_CASES", "name_vi": "Số ca sốt xuất huyết", "name_en": "Dengue fever cases", "measure": "ca", "sector": "health", "period": "month", "level": "commune", "direction": "down", "base": 310, "growth": 0.0, "season": DENGUE, "min": 0},
    {"code": "CHILD_VACCINATION", "name_vi": "Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ", "name_en": "Children under one fully vaccinated", "measure": "%", "sector": "health", "period": "quarter", "level": "commune", "agg": "avg", "time": "last", "decimals": 1, "base": 96.5, "growth": 0.002, "min": 0, "max": 100},
]  # fmt: skip
