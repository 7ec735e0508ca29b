"""What every page's shell shows: the user's scope, the navigation, the notification bell, the theme."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from toancanh.core.models import Sector
from toancanh.core.registry import NavEntry, registry

# The consoles' entries: (group title, [(URL name, label, permission needed)]).
NAV = [
    (_("Operations"), [
        ("alert-list", _("Alert inbox"), "operations.view"),
        ("situation-list", _("Situations"), "operations.view"),
        ("warning-list", _("Public warnings"), "operations.view"),
        ("notification-list", _("Notifications"), "operations.view"),
    ]),
    (_("Administration"), [
        ("user-list", _("Users"), "users.view"),
        ("apikey-list", _("API keys"), "apikeys.manage"),
        ("agency-list", _("Agencies"), "agencies.manage"),
        ("catalogue-list", _("Indicator catalogue"), "indicators.manage"),
        ("target-list", _("Yearly targets"), "indicators.manage"),
        ("unit-list", _("Administrative units"), "units.manage"),
        ("rule-list", _("Alert rules"), "rules.manage"),
        ("situationtype-list", _("Procedures"), "rules.manage"),
        ("channel-list", _("Notification channels"), "rules.manage"),
        ("subscription-list", _("Subscriptions"), "rules.manage"),
        ("audit-list", _("Audit log"), "audit.view"),
        ("connectors", _("Data sources"), "connectors.manage"),
        ("jobs", _("Background jobs"), "jobs.view"),
        ("calendar-list", _("Working-day calendar"), "calendar.manage"),
    ]),
]  # fmt: skip


def _nav_groups(request: HttpRequest, user) -> list[dict]:
    groups = []
    for title, entries in NAV:
        items = []
        for name, label, permission in entries:
            if not user.permits(permission):
                continue
            try:
                url = reverse(name)
            except NoReverseMatch:
                continue
            items.append({"name": name, "label": label, "url": url, "active": request.path.startswith(url)})
        if items:
            groups.append({"title": title, "items": items})
    return groups


def _bell(user) -> dict | None:
    try:
        url = reverse("notification-list")
    except NoReverseMatch:
        return None
    from toancanh.operations.models import InAppNotification

    return {"url": url, "unread": InAppNotification.objects.filter(user=user, read_at__isnull=True).count()}


def shell(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    theme = request.COOKIES.get("theme", "light")
    context = {"theme": "dark" if theme == "dark" else "light"}
    if settings.TOANCANH_BASEMAP_URL:
        context["basemap_url"] = settings.TOANCANH_BASEMAP_URL
        context["basemap_attribution"] = settings.TOANCANH_BASEMAP_ATTRIBUTION
    if user is not None and user.is_authenticated and user.kind == "staff":
        context["nav_sectors"] = list(Sector.objects.all())
        context["nav_groups"] = _nav_groups(request, user)
        context["bell"] = _bell(user)
        context["scope_unit"] = user.unit
        context["scope_agency"] = user.agency
        context["pack_nav"] = [n for n in registry.all(NavEntry) if not n.permission or user.permits(n.permission)]
    return context
