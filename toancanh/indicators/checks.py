"""A check over every figure and forecast: nothing outside its indicator's valid range.

Walks every indicator × unit × period of the store (entered and computed figures, in SQL) and,
for the current units, every indicator's year-end forecast (see :mod:`forecast`), and reports
each one that leaves the indicator's valid range (``Indicator.valid_range``: 0 for counts,
0–100 for shares, −100 for growth rates, as the catalogue sets them).

Run it over the demo with ``python -m toancanh.indicators.checks [unit key]``.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass

from django.db import connection

from toancanh.indicators.models import Indicator
from toancanh.units.models import Unit


@dataclass(frozen=True)
class Finding:
    indicator: str
    unit: str
    period: str
    what: str  # "value" or "forecast"
    value: float
    low: float | None
    high: float | None

    def __str__(self) -> str:
        return (
            f"{self.indicator} {self.unit} {self.period} {self.what} {self.value:g} outside [{self.low}, {self.high}]"
        )


def values_out_of_range() -> list[Finding]:
    """Entered and computed figures outside their indicator's valid range."""
    found = []
    keys = dict(Unit.objects.values_list("id", "key"))
    for ind in Indicator.objects.all():
        low, high = ind.valid_range
        if low is None and high is None:
            continue
        cond, params = [], []
        if low is not None:
            cond.append("value < %s")
            params.append(low - 1e-9)
        if high is not None:
            cond.append("value > %s")
            params.append(high + 1e-9)
        where = " OR ".join(cond)
        with connection.cursor() as cur:
            for table in ("indicators_datavalue", "indicators_rollupvalue"):
                cur.execute(
                    f"SELECT unit_id, period, value FROM {table} WHERE indicator_id = %s AND ({where})",  # noqa: S608
                    [ind.pk, *params],
                )
                found += [Finding(ind.code, keys[u], p, "value", float(v), low, high) for u, p, v in cur.fetchall()]
    return found


def forecasts_out_of_range(units: list[Unit], year: int | None = None) -> list[Finding]:
    """Year-end forecasts (median and 80 % interval) outside their indicator's valid range."""
    from toancanh.indicators import forecast

    found = []
    for ind in Indicator.objects.all():
        low, high = ind.valid_range
        for unit in units:
            f = forecast.for_unit(ind, unit, year)
            if f is None:
                continue
            for v in (f.low, f.median, f.high):
                if v is None:
                    continue
                if (low is not None and v < low - 1e-9) or (high is not None and v > high + 1e-9):
                    found.append(Finding(ind.code, unit.key, str(f.year), "forecast", v, low, high))
                    break
    return found


def current_units(root_key: str) -> list[Unit]:
    root = Unit.objects.get(key=root_key)
    today = dt.date.today()  # noqa: DTZ011 - units valid today, whatever the zone
    return [root, *Unit.objects.valid_on(today).filter(path__startswith=root.path).exclude(pk=root.pk)]


def main(argv: list[str]) -> int:
    import django

    django.setup()
    root = argv[0] if argv else "vn34-p48"
    units = current_units(root)
    findings = values_out_of_range() + forecasts_out_of_range(units)
    for f in findings:
        print(f)
    print(f"{len(findings)} figures or forecasts outside their valid range ({len(units)} units walked)")
    return 1 if findings else 0


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toancanh.settings")
    sys.exit(main(sys.argv[1:]))
