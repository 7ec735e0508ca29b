"""The tourism part of the demo catalogue: one row per indicator (see docs/packs.md), with how its
made-up history is shaped (``base``, ``growth``, ``season``: twelve monthly factors, ``level``,
``part_of``) and its demo targets (``stretch`` on last year's figure, or the resolution's
``target``). Levels after shared/reference/demo-province-figures.md."""

TOURISM = (0.85, 0.95, 1.0, 1.05, 1.18, 1.32, 1.35, 1.28, 0.95, 0.7, 0.62, 0.75)
TOURISM_RATE = (0.92, 0.98, 1.0, 1.03, 1.1, 1.18, 1.2, 1.16, 0.95, 0.8, 0.76, 0.86)


INDICATORS = [
    {"code": "TOURISTS", "name_vi": "Tổng lượt khách du lịch", "name_en": "Tourist arrivals", "measure": "lượt", "sector": "tourism", "period": "month", "level": "commune", "base": 1050000, "growth": 0.17, "season": TOURISM, "min": 0, "stretch": 1.12},
    {"code": "INTL_TOURISTS", "name_vi": "Lượt khách quốc tế", "name_en": "International tourist arrivals", "measure": "lượt", "sector": "tourism", "period": "month", "level": "commune", "base": 300000, "growth": 0.3, "season": TOURISM, "min": 0, "part_of": "TOURISTS"},
    {"code": "TOURISM_REVENUE", "name_vi": "Doanh thu du lịch", "name_en": "Tourism revenue", "measure": "tỷ đồng", "sector": "tourism", "period": "month", "level": "commune", "decimals": 1, "base": 2600, "growth": 0.14, "season": TOURISM, "min": 0},
    {"code": "HOTEL_OCCUPANCY", "name_vi": "Công suất sử dụng phòng khách sạn", "name_en": "Hotel room occupancy", "measure": "%", "sector": "tourism", "period": "month", "level": "province", "agg": "avg", "time": "avg", "decimals": 1, "base": 58, "growth": 0.02, "season": TOURISM_RATE, "min": 0, "max": 100},
]  # fmt: skip
