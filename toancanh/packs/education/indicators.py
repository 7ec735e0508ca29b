"""The education part of the demo catalogue: one row per indicator (see docs/packs.md), with how its
made-up history is shaped (``base``, ``growth``, ``season``: twelve monthly factors, ``level``,
``part_of``) and its demo targets (``stretch`` on last year's figure, or the resolution's
``target``). Levels after shared/reference/demo-province-figures.md."""

INDICATORS = [
    {"code": "ENROLMENT_PRIMARY", "name_vi": "Tỷ lệ huy động trẻ 6 tuổi vào lớp 1", "name_en": "Enrolment of six-year-olds in grade 1", "measure": "%", "sector": "education", "period": "year", "level": "commune", "agg": "avg", "time": "last", "decimals": 1, "base": 99.6, "growth": 0.0, "min": 0, "max": 100},
    {"code": "SCHOOLS_STANDARD", "name_vi": "Tỷ lệ trường đạt chuẩn quốc gia", "name_en": "Schools meeting the national standard", "measure": "%", "sector": "education", "period": "year", "level": "province", "agg": "avg", "time": "last", "decimals": 1, "base": 71, "growth": 0.03, "min": 0, "max": 100},
    {"code": "STUDENTS", "name_vi": "Số học sinh phổ thông", "name_en": "General-education students", "measure": "học sinh", "sector": "education", "period": "year", "level": "commune", "time": "last", "base": 560000, "growth": 0.015, "min": 0},
]  # fmt: skip
