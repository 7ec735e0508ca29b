"""The event bus: small typed dicts such as ``{"type": "alert.raised", "id": 7, "unit": "/vn34-p48/…"}``,
published when the transaction that caused them commits, and heard by every process.

A publisher hands the event to the configured transport; in each process one listener takes what
the transport brings and delivers it to that process's subscribers (the live screens' streams),
so a screen connected to any web process sees what any worker raised. Who may see an event is
decided by the receiver from its ``unit`` path, ``sector`` and ``agency`` — never by the transport.

Transports (``TOANCANH_LIVE_BUS``; by default the one ``TOANCANH_EVENTS_BUS`` names, else ``db``):
- ``db``: rows of ``core.BusMessage`` that each process's listener polls (needs nothing but the
  database; several web processes and runners on one SQLite file or PostgreSQL);
- ``nats``: a core NATS subject (``NATS_URL``); ``redis``: a Redis pub/sub channel (``REDIS_URL``);
- ``local``: this process only (a single process, and tests that want delivery at once).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from django.db import transaction

log = logging.getLogger(__name__)
Subscriber = Callable[[dict[str, Any]], None]
_subscribers: list[Subscriber] = []
_lock = threading.Lock()
CHANNEL = os.environ.get("TOANCANH_LIVE_SUBJECT", "toancanh.live")


def kind() -> str:
    chosen = os.environ.get("TOANCANH_LIVE_BUS", "").lower()
    if chosen:
        return chosen
    events = os.environ.get("TOANCANH_EVENTS_BUS", "").lower()
    return events if events in ("nats", "redis") else "db"


def subscribe(fn: Subscriber) -> Callable[[], None]:
    """Hear every event this process receives; the process's listener starts with the first subscriber."""
    with _lock:
        _subscribers.append(fn)
    transport().listen()

    def unsubscribe() -> None:
        with _lock:
            if fn in _subscribers:
                _subscribers.remove(fn)

    return unsubscribe


# Events go over the wire in packs (a JSON list) of at most this many: one row, one message per
# pack, not one per event; a single event still goes alone, as a JSON object.
PACK = 500


def packs(events: list[dict[str, Any]]) -> list[Any]:
    """The events to send, as messages: lists of up to ``PACK`` events (an event alone as itself)."""
    if len(events) == 1:
        return [events[0]]
    return [events[i : i + PACK] for i in range(0, len(events), PACK)]


def deliver_message(message: Any) -> None:
    """Deliver what one message of a transport holds: an event, or a pack of them."""
    for event in message if isinstance(message, list) else [message]:
        if isinstance(event, dict):
            deliver(event)


def deliver(event: dict[str, Any]) -> None:
    """Hand an event to every subscriber of this process now; one failing does not stop the others."""
    with _lock:
        targets = list(_subscribers)
    for fn in targets:
        try:
            fn(event)
        except Exception:  # noqa: BLE001 - a broken receiver must not break the sender
            log.exception("bus subscriber failed on %s", event.get("type"))


_pending = threading.local()


def publish(event: dict[str, Any]) -> None:
    """Publish once the current transaction commits (at once outside a transaction). The events
    of one transaction leave together, in one write or one round trip."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        _send([event])
        return
    batch: list[dict[str, Any]] | None = getattr(_pending, "batch", None)
    flush = getattr(_pending, "flush", None)
    if batch is None or not any(entry[1] is flush for entry in conn.run_on_commit):
        # A new transaction (the last one committed, or rolled back and took its callback along).
        batch = _pending.batch = []

        def flush(batch=batch) -> None:
            _pending.batch = None
            _send(batch)

        _pending.flush = flush
        transaction.on_commit(flush)
    batch.append(event)


def _send(events: list[dict[str, Any]]) -> None:
    try:
        transport().send_many(events)
    except Exception:  # noqa: BLE001 - a live update lost must never undo or fail the committed work
        log.exception("the live bus could not take %d events", len(events))


# --- transports --------------------------------------------------------------------------------------


class Transport:
    def __init__(self) -> None:
        self._listening = False
        self._start_lock = threading.Lock()

    def send(self, event: dict[str, Any]) -> None:
        self.send_many([event])

    def send_many(self, events: list[dict[str, Any]]) -> None:
        for event in events:
            self.send(event)

    def listen(self) -> None:
        with self._start_lock:
            if self._listening:
                return
            self._listening = True
        threading.Thread(target=self._listen_forever, name=f"bus-{type(self).__name__}", daemon=True).start()

    def _listen_forever(self) -> None:
        while True:
            try:
                self.run_listener()
            except Exception:  # noqa: BLE001 - a broken connection is retried, never the end of live updates
                log.exception("the live bus listener stopped; starting again")
            time.sleep(1)

    def run_listener(self) -> None:
        raise NotImplementedError


class LocalTransport(Transport):
    def send(self, event):
        deliver(event)

    def listen(self):
        pass


class DatabaseTransport(Transport):
    """Rows that every process polls. On PostgreSQL, ids may become visible out of order (two
    transactions committing in the other order), so each poll looks back a little and skips ids
    already delivered."""

    POLL_SECONDS = float(os.environ.get("TOANCANH_LIVE_POLL", "0.2"))
    KEEP_SECONDS = 600
    LOOK_BACK = 200

    def send_many(self, events):
        from toancanh.core.models import BusMessage

        # One round trip through JSON per pack, so what a datetime becomes here is what listeners read.
        BusMessage.objects.bulk_create([BusMessage(body=json.loads(json.dumps(p, default=str))) for p in packs(events)])

    def run_listener(self):
        import datetime as dt

        from django.db import close_old_connections
        from django.utils import timezone

        from toancanh.core.models import BusMessage

        last = BusMessage.objects.order_by("-id").values_list("id", flat=True).first() or 0
        seen: deque[int] = deque(maxlen=5000)
        seen_set: set[int] = set()
        next_prune = 0.0
        while True:
            time.sleep(self.POLL_SECONDS)
            close_old_connections()
            rows = list(
                BusMessage.objects.filter(id__gt=max(last - self.LOOK_BACK, 0)).order_by("id").values_list("id", "body")
            )
            for pk, body in rows:
                if pk in seen_set:
                    continue
                if len(seen) == seen.maxlen:
                    seen_set.discard(seen[0])
                seen.append(pk)
                seen_set.add(pk)
                last = max(last, pk)
                deliver_message(body)
            if time.monotonic() >= next_prune:
                BusMessage.objects.filter(at__lt=timezone.now() - dt.timedelta(seconds=self.KEEP_SECONDS)).delete()
                next_prune = time.monotonic() + 60


class NatsTransport(Transport):
    """A core NATS subject: fire-and-forget fan-out, one connection per process on a loop thread."""

    def __init__(self) -> None:
        super().__init__()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._nc = None
        self._ready = threading.Event()

    def _url(self) -> str:
        return os.environ.get("NATS_URL", "nats://127.0.0.1:4222")

    def _ensure(self) -> asyncio.AbstractEventLoop:
        with self._start_lock:
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                threading.Thread(target=self._loop.run_forever, name="bus-nats-loop", daemon=True).start()
                asyncio.run_coroutine_threadsafe(self._connect(), self._loop).result(timeout=10)
        return self._loop

    async def _connect(self) -> None:
        import nats

        self._nc = await nats.connect(self._url(), max_reconnect_attempts=-1)

    def send_many(self, events):
        loop = self._ensure()

        async def publish_all() -> None:
            for message in packs(events):
                await self._nc.publish(CHANNEL, json.dumps(message, default=str).encode())
            await self._nc.flush()

        asyncio.run_coroutine_threadsafe(publish_all(), loop).result(timeout=10)

    def listen(self):
        with self._start_lock:
            if self._listening:
                return
            self._listening = True
        loop = self._ensure()

        async def on_message(msg) -> None:
            with contextlib.suppress(ValueError):
                deliver_message(json.loads(msg.data))

        asyncio.run_coroutine_threadsafe(self._nc.subscribe(CHANNEL, cb=on_message), loop).result(timeout=10)


class RedisTransport(Transport):
    def _client(self):
        import redis

        return redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))

    def send_many(self, events):
        if not hasattr(self, "_r"):
            self._r = self._client()
        pipe = self._r.pipeline(transaction=False)
        for message in packs(events):
            pipe.publish(CHANNEL, json.dumps(message, default=str))
        pipe.execute()

    def run_listener(self):
        pubsub = self._client().pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(CHANNEL)
        for message in pubsub.listen():
            with contextlib.suppress(ValueError, TypeError):
                deliver_message(json.loads(message["data"]))


TRANSPORTS: dict[str, type[Transport]] = {
    "local": LocalTransport, "db": DatabaseTransport, "nats": NatsTransport, "redis": RedisTransport,
}  # fmt: skip
_transport: Transport | None = None


def transport() -> Transport:
    global _transport
    if _transport is None:
        with _lock:
            if _transport is None:
                chosen = kind()
                if chosen not in TRANSPORTS:
                    raise RuntimeError(f"TOANCANH_LIVE_BUS must be one of {', '.join(TRANSPORTS)}, not '{chosen}'")
                _transport = TRANSPORTS[chosen]()
    return _transport
