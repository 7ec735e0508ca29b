"""Default alert rules of the environment: air quality (VN_AQI bands, shared/reference/environment.md),
the river flood alarm levels, heavy rain, and monitoring stations that fall silent.

The flood rules read the ``alarm`` class (0–3) that ``floods.level_event`` puts in each
``water_level`` event: each station's thresholds are its own alarm levels (Decision 05/2020/QĐ-TTg,
``stations.py``), not one height for every river. Crossings of alarms I and II are events too (on
the event stream); a rule ``alarm >= 2`` would raise a second alert beside this one at alarm III, so
none is installed by default. PM2.5 above 50 µg/m³ is a sub-index above 100,
the "Kém" class of VN_AQI (Decision 1459/QĐ-TCMT, the breakpoint table); heavy rain is more than
100 mm in 24 hours ("mưa rất to", ``floods.py``)."""

from toancanh.packs.api import DefaultRule

DEFAULT_RULES = [
    DefaultRule(
        "pm25-poor", "Bụi mịn PM2.5 vượt ngưỡng (AQI kém)", "threshold", sector="environment", severity="Moderate",
        params={"field": "pm25", "op": ">", "value": 50, "label": "Bụi mịn PM2.5", "measure": "µg/m³",
                "situation_type": "air-quality"}, order=10,
    ),
    DefaultRule(
        "water-level-alarm-3", "Mực nước vượt báo động 3", "threshold", sector="environment", severity="Severe",
        event_type="water_level", order=20,
        params={"field": "alarm", "op": ">=", "value": 3, "label": "Cấp báo động lũ", "situation_type": "flood"},
    ),
    DefaultRule(
        "rain-24h-very-heavy", "Mưa rất to (trên 100 mm trong 24 giờ)", "threshold", sector="environment",
        severity="Moderate", event_type="rainfall", order=25,
        params={"field": "rain_24h_mm", "op": ">", "value": 100, "label": "Lượng mưa 24 giờ", "measure": "mm"},
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
