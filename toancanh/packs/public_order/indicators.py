"""The public order part of the demo catalogue: one row per indicator (see docs/packs.md), with how its
made-up history is shaped (``base``, ``growth``, ``season``: twelve monthly factors, ``level``,
``part_of``) and its demo targets (``stretch`` on last year's figure, or the resolution's
``target``). Levels after shared/reference/demo-province-figures.md."""

INDICATORS = [
    {"code": "CRIMES", "name_vi": "Số vụ phạm pháp hình sự", "name_en": "Criminal offences", "measure": "vụ", "sector": "public-order", "period": "month", "level": "commune", "direction": "down", "base": 95, "growth": -0.04, "min": 0},
]  # fmt: skip
