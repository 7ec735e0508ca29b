"""Default alert rules of fisheries: a vessel leaving the fishing waters."""

from toancanh.packs.api import DefaultRule

# An illustrative box for the fishing boundary off Đà Nẵng (not the legal line).
SEA_LIMIT = {
    "type": "Polygon",
    "coordinates": [[[109.3, 15.0], [111.0, 15.0], [111.0, 16.8], [109.3, 16.8], [109.3, 15.0]]],
}

DEFAULT_RULES = [
    DefaultRule(
        "vessel-boundary", "Tàu cá vượt ranh giới vùng biển", "geofence", sector="fisheries", severity="Severe",
        params={"area": SEA_LIMIT, "mode": "leave", "situation_type": "vessel-boundary"}, order=50,
    ),
]  # fmt: skip
