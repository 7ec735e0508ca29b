"""Situation types of fisheries and their standard procedures."""

from toancanh.packs.api import SituationType

SITUATION_TYPES = [
    SituationType("vessel-boundary", "Tàu cá vượt ranh giới", "fisheries", (
        ("Liên lạc với thuyền trưởng", "Chi cục Thủy sản", 15),
        ("Thông báo Bộ đội Biên phòng", "Bộ đội Biên phòng", 30),
    )),
]  # fmt: skip
