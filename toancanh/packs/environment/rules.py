"""Default alert rules of the environment: air quality (VN_AQI bands, shared/reference/environment.md),
the river flood alarm levels, and monitoring stations that fall silent."""

from toancanh.packs.api import DefaultRule

DEFAULT_RULES = [
    DefaultRule(
        "pm25-poor", "Bụi mịn PM2.5 vượt ngưỡng (AQI kém)", "threshold", sector="environment", severity="Moderate",
        params={"field": "pm25", "op": ">", "value": 55.4, "label": "Bụi mịn PM2.5", "measure": "µg/m³",
                "situation_type": "air-quality"}, order=10,
    ),
    DefaultRule(
        "water-level-alarm-3", "Mực nước vượt báo động 3", "threshold", sector="environment", severity="Severe",
        event_type="water_level", order=20,
        params={"field": "level_m", "op": ">=", "value": 4.5, "label": "Mực nước", "measure": "m", "situation_type": "flood"},
    ),
    DefaultRule(
        "water-level-rising", "Mực nước lên nhanh", "rate_of_change", sector="environment", severity="Moderate",
        event_type="water_level", order=30,
        params={"field": "level_m", "change": 0.5, "within_seconds": 3600, "label": "Mực nước", "measure": "m"},
    ),
    DefaultRule(
        "station-silent", "Trạm quan trắc mất tín hiệu", "absence", sector="environment", severity="Minor",
        params={"minutes": 60}, order=40,
    ),
]  # fmt: skip
