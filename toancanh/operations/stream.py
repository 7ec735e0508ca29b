"""Live updates for the operations screens: Server-Sent Events from the event bus.

One listener per web process hears the bus (:mod:`toancanh.core.bus`: events raised by any web
process or worker) and hands each event to every open screen of the process through a bounded
queue; the bus hands events to it without waiting (a slow or
stalled screen loses its oldest undelivered events, never slows the others or the sender).
A screen receives only events within its user's scope (unit subtree, sectors). A comment line
every 15 s keeps proxies from closing the connection; the browser's EventSource reconnects by
itself after a network break.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from asgiref.sync import sync_to_async
from django.db import connections
from django.http import HttpRequest, HttpResponseForbidden, StreamingHttpResponse

from toancanh.core import bus
from toancanh.core.scoping import NOT_SCOPED, Scope

QUEUE_SIZE = 500
KEEP_ALIVE_SECONDS = 15


def visible(event: dict[str, Any], scope: Scope) -> bool:
    """The one scope decision (:meth:`Scope.allows`), on what the event says of itself: its unit
    path (or its units' paths, for what covers several units, such as a public warning: one of
    them in scope is enough), and its sector and agency where it has them (a key left out limits
    nothing)."""
    paths = event.get("units") or [event.get("unit") or ""]
    sector, agency = event.get("sector", NOT_SCOPED), event.get("agency", NOT_SCOPED)
    return any(scope.allows(path or "", sector, agency) for path in paths)


def _offer(queue: asyncio.Queue, event: dict[str, Any]) -> None:
    if queue.full():
        queue.get_nowait()  # drop the oldest: a screen that cannot keep up sees the latest
    queue.put_nowait(event)


def _authorise(request: HttpRequest) -> Scope | None:
    """The screen's scope, or None when it may not follow. The database connection this needed is
    given back at once: a live screen holds none while it waits for events."""
    try:
        user = request.user
        if not user.is_authenticated or user.kind != "staff":
            return None
        return user.scope
    finally:
        connections.close_all()


async def stream(request: HttpRequest):
    scope = await sync_to_async(_authorise)(request)
    if scope is None:
        return HttpResponseForbidden("sign in as staff to follow the operations screen")
    queue: asyncio.Queue = asyncio.Queue(maxsize=QUEUE_SIZE)
    loop = asyncio.get_running_loop()

    def receive(event: dict[str, Any]) -> None:
        if visible(event, scope):
            loop.call_soon_threadsafe(_offer, queue, event)

    unsubscribe = bus.subscribe(receive)

    async def events():
        try:
            yield "retry: 3000\n\n"
            while True:
                try:
                    event = await asyncio.wait_for(queue.get(), timeout=KEEP_ALIVE_SECONDS)
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                yield f"event: {event['type']}\ndata: {json.dumps(event, ensure_ascii=False, default=str)}\n\n"
        finally:
            unsubscribe()

    response = StreamingHttpResponse(events(), content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
