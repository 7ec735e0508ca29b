"""Who may open a page: staff only, and the role permission the page needs.

Core imports no context: the signed-in user is asked through what every principal offers
(``kind`` and ``permits(code)``, as :func:`toancanh.core.http.require` does for the API).
Citizens and roles without the permission get the 403 page inside the application frame.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _


def is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "kind", None) == "staff"


def permits(user, code: str | None) -> bool:
    """Whether a signed-in staff member's role grants ``code`` (no code: any staff member)."""
    if not is_staff(user):
        return False
    return code is None or bool(getattr(user, "permits", lambda _c: False)(code))


def staff_required(view):
    """Pages for staff; anonymous visitors go to the sign-in page, citizens get a 403 that says so."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not is_staff(request.user):
            raise PermissionDenied(_("This page is for government staff."))
        return view(request, *args, **kwargs)

    return wrapped


def permission_required(code: str):
    """Pages for staff whose role grants ``code``."""

    def decorate(view):
        @staff_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not permits(request.user, code):
                raise PermissionDenied(_("Your role does not allow this."))
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
