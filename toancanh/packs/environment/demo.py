"""The environment pack's part of the demo: the seed stations (stations.py) registered in telemetry,
run by the Sở Nông nghiệp và Môi trường, with readings so that a fresh demo shows a river in flood:
the first ``ENVIRONMENT_DEMO_FLOOD_HOURS`` (30) hours of the October flood (scenario.py) ending now —
the Vu Gia at Ái Nghĩa near its peak, above alarm III — and ``ENVIRONMENT_DEMO_AIR_HOURS`` (24)
hours of air quality at the three air stations (made up: a city morning and evening traffic peak,
Hòa Khánh's industrial zone dustier). Idempotent: stations are registered once, readings sent again
are duplicates."""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

from django.conf import settings
from django.utils import timezone

from toancanh.packs.api import Agency, ServiceError, TelemetryStation, ingest_readings, register_station
from toancanh.packs.environment import scenario, stations

SOURCE = "environment-demo"
AGENCY = "so-nnmt-danang"
PROVINCE = "vn34-p48"
KINDS = {"river_gauge": "river", "rain_gauge": "rain", "air_quality": "air", "water_quality": "water"}
# Air of a station at rest (µg/m³) and its scale: Hòa Khánh (industrial zone) the dustiest [U].
AIR_BASE = {"kk-hoa-khanh": 1.6, "kk-hai-chau": 1.0, "kk-tam-ky": 0.7}


def code(seed_code: str) -> str:
    """The telemetry code of a seed station (telemetry keeps codes in capitals)."""
    return seed_code.upper()


def register_stations() -> int:
    """Register the seed stations that are not yet; returns how many were."""
    have = set(TelemetryStation.objects.values_list("code", flat=True))
    agency = Agency.objects.filter(code=AGENCY).first()
    made = 0
    for s in stations.stations():
        if code(s["code"]) in have:
            continue
        data: dict[str, Any] = {"code": code(s["code"]), "name": s["name_vi"], "kind": KINDS[s["kind"]],
                                "lat": s["lat"], "lon": s["lon"], "interval_seconds": s.get("interval_s", 3600),
                                "agency": agency}  # fmt: skip
        try:
            register_station(by=None, quantities=s["quantities"], **data)
        except ServiceError:  # no commune near the position (units not loaded): the province
            register_station(by=None, quantities=s["quantities"], **data, unit=PROVINCE)
        made += 1
    return made


def flood_rows(now: dt.datetime, hours: int) -> list[dict[str, Any]]:
    """The first ``hours`` of the flood scenario, shifted to end at ``now`` (on a 10-minute step)."""
    end = now.replace(second=0, microsecond=0) - dt.timedelta(minutes=now.minute % 10)
    start = end - dt.timedelta(hours=hours)
    return [{**r, "station": code(r["station"])} for r in scenario.flood_readings(start, hours=hours)]


def air_rows(now: dt.datetime, hours: int, seed: int = 2026) -> list[dict[str, Any]]:
    """Hourly means of the air stations over the ``hours`` whole hours before ``now``."""
    rng = random.Random(seed)
    end = now.replace(minute=0, second=0, microsecond=0)
    rows = []
    for n in range(hours, 0, -1):
        t = end - dt.timedelta(hours=n)
        local_h = (t.astimezone(scenario.VN).hour + 0.5) % 24
        traffic = math.exp(-(((local_h - 7.5) / 1.8) ** 2)) + 1.2 * math.exp(-(((local_h - 18.5) / 2.2) ** 2))
        for station, k in AIR_BASE.items():
            jitter = 1 + rng.uniform(-0.08, 0.08)
            values = {"pm25": (18 + 30 * traffic) * k, "pm10": (35 + 50 * traffic) * k, "o3": 40 + 60 * max(0, math.sin(math.pi * (local_h - 8) / 10)),
                      "co": 800 + 2500 * traffic * k, "no2": (20 + 45 * traffic) * k, "so2": 8 + 10 * k}  # fmt: skip
            for q, v in values.items():
                rows.append({"station": code(station), "quantity": q, "time": t.isoformat(),
                             "value": round(v * jitter, 1), "unit": "µg/m³"})  # fmt: skip
    return rows


def build(now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    made = register_stations()
    flood_h = int(getattr(settings, "ENVIRONMENT_DEMO_FLOOD_HOURS", 30))
    air_h = int(getattr(settings, "ENVIRONMENT_DEMO_AIR_HOURS", 24))
    result = ingest_readings(flood_rows(now, flood_h) + air_rows(now, air_h), source=SOURCE, health=False)
    return f"{made} stations registered, {result.accepted} readings ({len(result.refused)} refused)"
