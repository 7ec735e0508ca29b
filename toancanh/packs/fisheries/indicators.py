"""The fisheries part of the demo catalogue: one row per indicator (see docs/packs.md), with how its
made-up history is shaped (``base``, ``growth``, ``season``: twelve monthly factors, ``level``,
``part_of``) and its demo targets (``stretch`` on last year's figure, or the resolution's
``target``). Levels after shared/reference/demo-province-figures.md."""

FISHING = (0.7, 0.8, 1.1, 1.2, 1.25, 1.2, 1.15, 1.1, 0.95, 0.75, 0.8, 0.9)


INDICATORS = [
    {"code": "FISH_CATCH", "name_vi": "Sản lượng khai thác thủy sản", "name_en": "Fish catch", "measure": "tấn", "sector": "fisheries", "period": "month", "level": "province", "base": 9800, "growth": 0.02, "season": FISHING, "min": 0},
]  # fmt: skip
