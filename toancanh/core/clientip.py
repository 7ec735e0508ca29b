"""The client's address, as far as it can be trusted.

Without a proxy in front, it is the connection's address (``REMOTE_ADDR``); an
``X-Forwarded-For`` header is then ignored, since anyone can send one. Behind
``TOANCANH_TRUSTED_PROXIES`` reverse proxies (nginx, a load balancer), each appends the address it
received the request from to ``X-Forwarded-For``; the client's address is the entry that many
places from the right. Entries further left were written by the client and are never believed.
Used by login throttling (django-axes) so that a forged header cannot spread guesses over
made-up addresses.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    proxies = getattr(settings, "TOANCANH_TRUSTED_PROXIES", 0)
    if proxies <= 0:
        return remote
    chain = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
    if len(chain) < proxies:
        return remote
    candidate = chain[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
