"""Who may open a page: one decorator for pages that staff with a permission may see."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def staff_page(permission: str | None = None) -> Callable:
    """Anonymous visitors go to the login page; citizens and staff whose role lacks ``permission``
    get the 403 page."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if getattr(user, "kind", "") != "staff" or (permission and not user.permits(permission)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
