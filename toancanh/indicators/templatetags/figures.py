"""Showing figures the Vietnamese way: 1.234.567,8 with the indicator's decimals."""

from __future__ import annotations

import json

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def figure(value, decimals=0):
    """A number with thousands separators and the given decimals, or an en dash when empty."""
    if value is None or value == "":
        return "–"
    try:
        return number_format(
            round(float(value), int(decimals)), decimal_pos=int(decimals), use_l10n=True, force_grouping=True
        )
    except (TypeError, ValueError):
        return value


@register.filter
def signed_pct(value):
    if value is None:
        return ""
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return f"{sign}{number_format(round(abs(value), 1), decimal_pos=1, use_l10n=True)}%"


@register.filter
def as_json(value):
    """Data for a chart, into a data- attribute (escaped by the template)."""
    return json.dumps(value)


@register.filter
def good_change(change, direction):
    """Whether a change is for the better, for an indicator's direction: 'up', 'down' or ''."""
    if change is None or abs(change) < 0.05:
        return ""
    better = change > 0 if direction == "up" else change < 0
    return "better" if better else "worse"


@register.filter
def period_label(code):
    """A period as people say it: "Tháng 10/2026", "Quý III/2026" ("10/2026", "Q3 2026" in English; the code itself if it is none)."""
    from toancanh.core.periods import Period, PeriodError

    try:
        return Period.parse(str(code)).label
    except (PeriodError, ValueError):
        return code
