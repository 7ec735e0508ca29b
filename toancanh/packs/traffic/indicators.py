"""The traffic part of the demo catalogue: one row per indicator (see docs/packs.md), with how its
made-up history is shaped (``base``, ``growth``, ``season``: twelve monthly factors, ``level``,
``part_of``) and its demo targets (``stretch`` on last year's figure, or the resolution's
``target``). Levels after shared/reference/demo-province-figures.md."""

TET_TRAFFIC = (1.2, 1.35, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.9, 0.92, 0.95, 1.1)


INDICATORS = [
    {"code": "TRAFFIC_ACCIDENTS", "name_vi": "Số vụ tai nạn giao thông", "name_en": "Traffic accidents", "measure": "vụ", "sector": "traffic", "period": "month", "level": "commune", "direction": "down", "base": 52, "growth": -0.05, "season": TET_TRAFFIC, "min": 0},
    {"code": "TRAFFIC_DEATHS", "name_vi": "Số người chết do tai nạn giao thông", "name_en": "Traffic deaths", "measure": "người", "sector": "traffic", "period": "month", "level": "province", "direction": "down", "base": 11, "growth": -0.06, "season": TET_TRAFFIC, "min": 0},
]  # fmt: skip
