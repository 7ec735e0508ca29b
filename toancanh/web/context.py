"""What every page's shell shows: the user's scope, the sector navigation, the theme."""

from __future__ import annotations

from django.http import HttpRequest

from toancanh.core.models import Sector


def shell(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    theme = request.COOKIES.get("theme", "light")
    context = {"theme": "dark" if theme == "dark" else "light"}
    if user is not None and user.is_authenticated and user.kind == "staff":
        context["nav_sectors"] = list(Sector.objects.all())
        context["scope_unit"] = user.unit
        context["scope_agency"] = user.agency
    return context
