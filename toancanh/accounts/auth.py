"""How the API knows who is calling: an API key (``Authorization: Bearer …``) or a page session."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from toancanh.accounts.services import authenticate_api_key


class ApiKeyBearer(HttpBearer):
    openapi_description = "An integrator's API key: `Authorization: Bearer tc_<id>_<secret>`"

    def authenticate(self, request: HttpRequest, token: str):
        key = authenticate_api_key(token)
        if key is not None:
            request.principal = key
        return key


class SessionAuth(APIKeyCookie):
    """The signed-in user of the pages (session cookie); unsafe methods need the CSRF token."""

    param_name = "sessionid"
    openapi_description = "A signed-in user's session (for the pages' own calls)"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        # Only a signed-in session is checked for CSRF, so an anonymous call answers 401, not 403.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None):
        user = getattr(request, "user", None)
        if key is not None and user is not None and user.is_authenticated:
            request.principal = user
            return user
        return None


api_auth = [ApiKeyBearer(), SessionAuth()]
