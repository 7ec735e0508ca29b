"""A flood to replay in the demo: a deterministic, real-shaped October flood on the Vu Gia – Thu Bồn
gauges (Ái Nghĩa, Giao Thủy, Câu Lâu, Hội An) and the rain that feeds it, as reading rows in the wire
format of the telemetry ingestion::

    {"station": "cau-lau", "quantity": "water_level", "time": "2020-10-11T08:00:00+07:00", "value": 3.42, "unit": "m"}

The shape follows the floods of October 2020 in the former Quảng Nam (several days of heavy rain in
the mountains of Trà My and Hiệp Đức, then the rivers rising through alarm III downstream): rain
peaks first upstream; each gauge rises from its base level along a gamma-shaped hydrograph
((x·e^(1−x))^n, x the time over the time to peak), peaks a few hours after the gauge upstream of it
and recedes slowly; Hội An and Câu Lâu, near the sea, carry a semi-diurnal tide. The peaks pass
alarm III at every gauge (alarm levels: shared/reference/environment.md) and stay below the historic
peaks. The numbers are made up to this shape [U], not the 2020 records.

``flood_readings`` gives the rows on the story's own clock; ``replay`` compresses the story to a few
minutes of wall clock (the values stay real, the clock runs faster: the level crossings are the
same, rain accumulated over a wall-clock hour covers more of the storm)."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from toancanh.packs.environment import floods, stations

VN = dt.timezone(dt.timedelta(hours=7))
DEFAULT_START = dt.datetime(2020, 10, 10, 0, 0, tzinfo=VN)
DEFAULT_HOURS = 96
DEFAULT_STEP_MINUTES = 10


@dataclass(frozen=True)
class Hydrograph:
    """One gauge's flood: base level, peak level (m), the hour its rise starts and the hour of its peak."""

    station: str
    base_m: float
    peak_m: float
    rise_h: float
    peak_h: float
    tide_m: float = 0.0
    sharpness: float = 3.0
    high_water_h: float = 0.0  # an hour of high tide

    def level(self, hours: float) -> float:
        x = (hours - self.rise_h) / (self.peak_h - self.rise_h)
        flood = (x * math.exp(1 - x)) ** self.sharpness if x > 0 else 0.0
        tide = self.tide_m * math.cos(2 * math.pi * (hours - self.high_water_h) / 12.42)  # the M2 tide, 12 h 25 min
        return self.base_m + (self.peak_m - self.base_m) * flood + tide


@dataclass(frozen=True)
class Rain:
    """One rain gauge's storm: the peak intensity (mm/h) at an hour, spread over ``spread_h``."""

    station: str
    peak_mm_h: float
    peak_h: float
    spread_h: float

    def intensity(self, hours: float) -> float:
        return self.peak_mm_h * math.exp(-0.5 * ((hours - self.peak_h) / self.spread_h) ** 2)


#: Upstream first: each peak comes later than the one above it (the lag of the flood wave).
HYDROGRAPHS = (
    Hydrograph("ai-nghia", 4.20, 9.55, 8, 30),
    Hydrograph("giao-thuy", 4.00, 9.25, 8, 31),
    Hydrograph("cau-lau", 1.20, 4.55, 12, 34, tide_m=0.04, high_water_h=34),
    Hydrograph("hoi-an", 0.55, 2.40, 14, 36, tide_m=0.10, high_water_h=36),
)
RAIN = (
    Rain("mua-tra-my", 32.0, 18, 6.5),
    Rain("mua-hiep-duc", 24.0, 19, 6.0),
    Rain("ai-nghia", 16.0, 21, 6.0),
    Rain("giao-thuy", 15.0, 21, 6.0),
)


def flood_readings(
    start: dt.datetime = DEFAULT_START,
    *,
    hours: int = DEFAULT_HOURS,
    step_minutes: int = DEFAULT_STEP_MINUTES,
    seed: int = 2020,
) -> Iterator[dict[str, Any]]:
    """The scenario's readings in time order: every ``step_minutes`` a water level at each gauge and
    the rain fallen since the last step at each rain gauge. The same arguments give the same rows."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    rng = random.Random(seed)
    for n in range(int(hours * 60 / step_minutes) + 1):
        h = n * step_minutes / 60
        time = (start + dt.timedelta(minutes=n * step_minutes)).isoformat()
        for g in HYDROGRAPHS:
            value = round(g.level(h) + rng.uniform(-0.01, 0.01), 2)
            yield {"station": g.station, "quantity": "water_level", "time": time, "value": value, "unit": "m"}
        for r in RAIN:
            mm = r.intensity(h) * step_minutes / 60 * (1 + rng.uniform(-0.15, 0.15)) if n else 0.0
            yield {"station": r.station, "quantity": "rainfall", "time": time, "value": round(mm, 1), "unit": "mm"}


def replay(
    start: dt.datetime,
    *,
    duration_s: float = 180,
    hours: int = DEFAULT_HOURS,
    step_minutes: int = DEFAULT_STEP_MINUTES,
    seed: int = 2020,
) -> Iterator[tuple[float, dict[str, Any]]]:
    """The scenario compressed into ``duration_s`` seconds of wall clock from ``start``: pairs of
    (seconds after start to send the row, the row stamped with that wall-clock time)."""
    scale = duration_s / (hours * 3600)
    origin = DEFAULT_START
    for row in flood_readings(origin, hours=hours, step_minutes=step_minutes, seed=seed):
        story_s = (dt.datetime.fromisoformat(row["time"]) - origin).total_seconds()
        offset = story_s * scale
        yield offset, {**row, "time": (start + dt.timedelta(seconds=offset)).isoformat()}


def peaks(rows: Any = None) -> dict[str, tuple[float, str]]:
    """Each gauge's highest level in the rows (the default scenario's) and its time."""
    best: dict[str, tuple[float, str]] = {}
    for r in flood_readings() if rows is None else rows:
        if r["quantity"] == "water_level" and (r["station"] not in best or r["value"] > best[r["station"]][0]):
            best[r["station"]] = (r["value"], r["time"])
    return best


def crossings(rows: Any = None) -> list[dict[str, Any]]:
    """The alarm and rain crossings of the rows (the default scenario's), in time order: what the
    demo's operations screen should receive when the scenario is replayed."""
    rows = list(flood_readings() if rows is None else rows)
    events: list[dict[str, Any]] = []
    for code in sorted({r["station"] for r in rows}):
        station = stations.station(code)
        for quantity, detect in (("water_level", floods.level_crossings), ("rainfall", floods.rain_crossings)):
            mine = [r for r in rows if r["station"] == code and r["quantity"] == quantity]
            if mine:
                events.extend(detect(station, mine))
    return sorted(events, key=lambda e: (e["time"], e["station"]))


def main(argv: list[str] | None = None) -> int:
    """Replay the flood into a running IOC over MQTT, as the gauges' loggers would send it::

        python -m toancanh.packs.environment.scenario [--minutes 3] [--host 127.0.0.1] [--port 1883]

    The IOC's subscriber (``toancanh telemetry mqtt``) stores the readings; the floods watch raises the
    crossings in operations and drafts the public warning at alarm III. Needs no database here."""
    import argparse

    from toancanh.packs.api import publish_readings

    ap = argparse.ArgumentParser(prog="python -m toancanh.packs.environment.scenario", description=main.__doc__)
    ap.add_argument("--minutes", type=float, default=3, help="wall-clock minutes the 96-hour flood takes")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=1883)
    ap.add_argument("--prefix", default="toancanh/telemetry")
    args = ap.parse_args(argv)
    if not 0.1 <= args.minutes <= 24 * 60:
        ap.error("--minutes must be between 0.1 and 1440")
    start = dt.datetime.now(dt.UTC)
    duration_s = args.minutes * 60
    # Readings are kept to the second: a step of the story must take at least a second of wall clock.
    step = next((m for m in (10, 15, 20, 30, 60, 120, 180) if duration_s * m / (DEFAULT_HOURS * 60) >= 1.0), 360)
    rows = [(at, {**row, "station": row["station"].upper()})  # telemetry codes are capitals
            for at, row in replay(start, duration_s=duration_s, step_minutes=step)]  # fmt: skip
    print(f"replaying {len(rows):,} readings of the flood ({step}-minute steps) over {args.minutes:g} min "
          f"to {args.host}:{args.port} …",
          flush=True)  # fmt: skip
    done = publish_readings(rows, host=args.host, port=args.port, prefix=args.prefix)
    print(f"{done['acknowledged_readings']:,} of {done['readings']:,} readings acknowledged by the broker"
          + (f"; {done['unrouted_messages']:,} messages reached no subscriber (is `toancanh telemetry mqtt` running?)"
             if done["unrouted_messages"] else ""))  # fmt: skip
    return 0 if done["acknowledged_readings"] == done["readings"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
