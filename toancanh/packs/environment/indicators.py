"""The natural resources and environment part of the demo catalogue: one row per indicator (see
docs/packs.md), with how its made-up history is shaped (``base``, ``growth``, ``season``: twelve
monthly factors, ``level``, ``part_of``) and its demo targets (``stretch`` on last year's figure, or
the resolution's ``target``). Levels after shared/reference/demo-province-figures.md."""

INDICATORS = [
    {"code": "WASTE_COLLECTED", "name_vi": "Tỷ lệ chất thải rắn sinh hoạt đô thị được thu gom", "name_en": "Urban solid waste collected", "measure": "%", "sector": "environment", "period": "quarter", "level": "province", "agg": "avg", "time": "avg", "decimals": 1, "base": 96, "growth": 0.004, "min": 0, "max": 100},
    {"code": "FOREST_COVER", "name_vi": "Tỷ lệ che phủ rừng", "name_en": "Forest cover", "measure": "%", "sector": "environment", "period": "year", "level": "province", "agg": "avg", "time": "last", "decimals": 1, "base": 57.2, "growth": 0.002, "min": 0, "max": 100},
]  # fmt: skip
