"""The floods watch: river levels and rain as they are stored (a ``ReadingsHook`` of the telemetry core, in
the readings' own transaction) against each gauge's alarm levels I, II and III (Decision 05/2020/QĐ-TTg;
shared/reference/environment.md). A crossing, up or down, becomes an operations event (type
``water_level``: the default rule on ``alarm >= 3`` and the situations take over); the first rise
to alarm III of a flood also drafts a public warning for the communes downstream, for an operator
to check and publish (``TOANCANH_ENV_FLOOD_WARNING``: ``draft`` (default) or ``off``). Rain is
judged the same way: a change of a window's level (heavy, very heavy over 1, 3 or 24 hours:
``floods.rain_crossings``) is an event of type ``rainfall`` (the default rule ``rain-24h-very-heavy``).

The gauge's state (its class and the time of the last level taken) is a row of ``GaugeState``,
locked while a batch is judged, so two processes storing readings of one gauge judge them in turn;
a reading no newer than the last one taken changes nothing (late data are history, not news)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from toancanh.packs.api import NotFound, Scope, ServiceError, Unit, draft_public_warning, submit_events
from toancanh.packs.environment import floods, stations
from toancanh.packs.environment.models import GaugeState

log = logging.getLogger(__name__)
DRAFTED_BY = "Hệ thống theo dõi lũ"  # who drafted it, as the warning and the audit log show it


def _stations() -> dict[str, dict[str, Any]]:
    return {s["code"].upper(): s for s in stations.stations()}  # telemetry codes: capitals


def handle(readings: list[tuple[str, str, int, float]]) -> None:
    """Judge a stored batch's water levels and rain, station by station, in time order."""
    seeds = _stations()
    by_station: dict[str, dict[str, list[tuple[int, float]]]] = {}
    for code, quantity, t, value in readings:
        seed = seeds.get(code)
        if seed is None or (quantity == "water_level" and not seed.get("alarm_m")):
            continue
        by_station.setdefault(code, {}).setdefault(quantity, []).append((t, value))
    if not by_station:
        return
    events, warnings = [], []
    with transaction.atomic():
        for code, series in by_station.items():
            seed = seeds[code]
            row, _ = GaugeState.objects.select_for_update().get_or_create(station=code)
            state = dict(row.state)
            unit = _unit_of(seed)
            for t, value in series.get("water_level", ()):
                e = floods.level_event(seed, value, dt.datetime.fromtimestamp(t, tz=dt.UTC), state)
                if e is None:
                    continue
                events.append(floods.operations_event(e, unit=unit))
                if e["direction"] == "up" and e["alarm"] >= floods.ALARM_3 and row.warning_id is None:
                    warnings.append((row, e))
                elif e["direction"] == "down" and e["alarm"] < floods.ALARM_3:
                    row.warning_id = None  # the next rise to III is a new flood: a new warning
            if "rainfall" in series:
                rain = state.setdefault("rain", {})
                rows = [(dt.datetime.fromtimestamp(t, tz=dt.UTC), v) for t, v in series["rainfall"]]
                events.extend(floods.operations_event(e, unit=unit) for e in floods.rain_crossings(seed, rows, rain))
            row.state = state
            row.save(update_fields=["state", "warning_id", "updated_at"])
        if events:
            submit_events(events, scope=Scope(everywhere=True))
        for row, e in warnings:
            warning = _draft(e)
            if warning is not None:
                row.warning_id = warning.pk
                row.save(update_fields=["warning_id"])


def _unit_of(gauge: dict[str, Any]) -> str | None:
    keys = downstream_units(gauge.get("place", "").split(" – ")[:1])
    return keys[0] if keys else None


def downstream_units(names: list[str]) -> list[str]:
    """The keys of the units in force today named ``names`` (the bulletins name places: Đại Lộc,
    Điện Bàn …): a commune or ward whose short name is the place's, first of all."""
    keys: list[str] = []
    today = timezone.localdate()
    for name in names:
        found = [u for u in Unit.objects.filter(short_name=name, level="commune").order_by("key")
                 if u.is_valid_on(today)]  # fmt: skip
        keys.extend(u.key for u in found[:1])
    return keys


def _in_english(event: dict[str, Any]) -> dict[str, str]:
    at = dt.datetime.fromisoformat(event["time"]).astimezone(dt.timezone(dt.timedelta(hours=7)))
    name = event.get("station_name") or event["station"]
    where = f"the {event['river']} river at {name}" if event.get("river") else name
    return {
        "headline_en": f"Flood warning: the water level of {where} is above alarm III"[:200],
        "description_en": f"At {at:%H:%M} on {at:%d/%m/%Y} the water level at {name} was "
                          f"{event['level_m']:.2f} m. Low-lying areas along the river are at risk of flooding.",
        "instruction_en": "People in low-lying areas along the river should move themselves and their belongings "
                          "to safety, keep off deeply flooded roads and fast water, and follow the local authorities.",
    }  # fmt: skip


def _draft(event: dict[str, Any]):
    mode = getattr(settings, "TOANCANH_ENV_FLOOD_WARNING", "draft")
    text = floods.public_warning(event)
    if mode == "off" or text is None:
        return None
    units = downstream_units(text["areas"])
    if not units:
        log.warning("floods: no unit in force for %s: no warning drafted", text["areas"])
        return None
    try:
        with transaction.atomic():
            return draft_public_warning(
                by=DRAFTED_BY, scope=Scope(everywhere=True), units=units, category="Met", event="Lũ", event_en="Flood",
                headline=text["headline_vi"][:200], description=text["description_vi"],
                instruction=text["instruction_vi"], severity=text["severity"], urgency=text["urgency"],
                certainty=text["certainty"], expires_in_hours=24, **_in_english(event),
            )  # fmt: skip
    except (ServiceError, NotFound) as exc:
        log.warning("floods: the warning for %s was not drafted: %s", event["station"], exc)
        return None
