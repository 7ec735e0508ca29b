"""``{% panels "wall" %}``: the panels that the core and the packs add to a place (the wall, the home
page, a sector's page), those the user may see, each rendered with the context it asks for."""

from __future__ import annotations

import logging

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from toancanh.core.registry import Panel, registry

register = template.Library()
log = logging.getLogger(__name__)


@register.simple_tag(takes_context=True)
def panels(context, place: str, sector: str | None = None) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    out = []
    for panel in registry.all(Panel):
        if place not in panel.places or (sector and panel.sector not in (None, sector)):
            continue
        if panel.permission and not user.permits(panel.permission):
            continue
        try:
            extra = panel.context(request, user) if panel.context else {}
        except Exception:  # noqa: BLE001 - one broken panel must not take the page down
            log.exception("panel %s failed", panel.code)
            continue
        if extra is None:
            continue
        out.append(render_to_string(panel.template, {**extra, "panel": panel}, request=request))
    return mark_safe("".join(out))  # noqa: S308 - each panel is a rendered (auto-escaped) template
