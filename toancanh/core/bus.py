"""The event bus: small typed dicts such as ``{"type": "alert.raised", "id": 7, "unit": "/vn34-p48/…"}``,
published when the transaction that caused them commits.

In-process by default: subscribers (the live screens' streams, notification senders) are
called in the publishing process. Who may see an event is decided by the receiver from its
``unit`` path and ``sector``, never by the transport, so the same dicts can travel over NATS or
Redis when several processes share the load.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.db import transaction

log = logging.getLogger(__name__)
Subscriber = Callable[[dict[str, Any]], None]
_subscribers: list[Subscriber] = []
_lock = threading.Lock()


def subscribe(fn: Subscriber) -> Callable[[], None]:
    with _lock:
        _subscribers.append(fn)

    def unsubscribe() -> None:
        with _lock:
            if fn in _subscribers:
                _subscribers.remove(fn)

    return unsubscribe


def deliver(event: dict[str, Any]) -> None:
    """Hand an event to every subscriber now; one failing subscriber does not stop the others."""
    with _lock:
        targets = list(_subscribers)
    for fn in targets:
        try:
            fn(event)
        except Exception:  # noqa: BLE001 - a broken receiver must not break the sender
            log.exception("bus subscriber failed on %s", event.get("type"))


def publish(event: dict[str, Any]) -> None:
    """Publish once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: deliver(event))
