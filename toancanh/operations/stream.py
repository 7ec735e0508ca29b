"""Live updates for the operations screens: Server-Sent Events from the event bus.

Each open screen gets a bounded queue; the bus hands events to it without waiting (a slow or
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
from django.http import HttpRequest, HttpResponseForbidden, StreamingHttpResponse

from toancanh.core import bus
from toancanh.core.scoping import Scope

QUEUE_SIZE = 500
KEEP_ALIVE_SECONDS = 15


def visible(event: dict[str, Any], scope: Scope) -> bool:
    path = event.get("unit") or ""
    if not scope.covers_path(path):
        return False
    sector = event.get("sector")
    return not scope.sectors or sector is None or sector in scope.sectors


def _offer(queue: asyncio.Queue, event: dict[str, Any]) -> None:
    if queue.full():
        queue.get_nowait()  # drop the oldest: a screen that cannot keep up sees the latest
    queue.put_nowait(event)


async def stream(request: HttpRequest):
    user = await request.auser()
    if not user.is_authenticated or user.kind != "staff":
        return HttpResponseForbidden("sign in as staff to follow the operations screen")
    scope = await sync_to_async(lambda: user.scope)()
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
