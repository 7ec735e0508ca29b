"""Events through NATS JetStream or Redis Streams, so several worker processes share the load.

With ``TOANCANH_EVENTS_BUS=nats`` (and ``NATS_URL``) — or ``redis`` (and ``REDIS_URL``) — the API
checks incoming events and publishes them to the stream ``TOANCANH_EVENTS`` instead of handling
them itself;
``toancanh worker`` processes take them from a durable pull consumer, handle a batch in one
transaction, and acknowledge it only after the commit. Delivery is therefore at least once: a
worker killed mid-batch leaves its batch unacknowledged and JetStream hands it out again.
Handling is idempotent — events are unique by (source, source_id) and alerts by (rule, key) —
so a redelivered event changes nothing.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
from collections.abc import Sequence
from typing import Any

log = logging.getLogger(__name__)

STREAM = os.environ.get("TOANCANH_EVENTS_STREAM", "TOANCANH_EVENTS")
SUBJECT = os.environ.get("TOANCANH_EVENTS_SUBJECT", "toancanh.events.in")
CONSUMER = "rules"
ACK_WAIT_SECONDS = float(os.environ.get("TOANCANH_EVENTS_ACK_WAIT", "30"))  # redelivery after a silent worker


def nats_url() -> str:
    return os.environ.get("NATS_URL", "nats://127.0.0.1:4222")


def kind() -> str:
    return os.environ.get("TOANCANH_EVENTS_BUS", "").lower()


def enabled() -> bool:
    return kind() in ("nats", "redis")


async def _ensure_stream(js) -> None:
    from nats.js.api import RetentionPolicy, StreamConfig

    try:
        await js.stream_info(STREAM)
    except Exception:  # noqa: BLE001 - the stream does not exist yet
        await js.add_stream(StreamConfig(name=STREAM, subjects=[SUBJECT], retention=RetentionPolicy.WORK_QUEUE))


async def publish_async(rows: Sequence[dict[str, Any]]) -> int:
    import nats

    nc = await nats.connect(nats_url())
    try:
        js = nc.jetstream()
        await _ensure_stream(js)
        acks = [
            js.publish(
                SUBJECT,
                json.dumps(row, default=str).encode(),
                headers={"Nats-Msg-Id": f"{row['source']}:{row['source_id']}"},
            )
            for row in rows
        ]
        await asyncio.gather(*acks)
    finally:
        await nc.close()
    return len(rows)


def publish(rows: Sequence[dict[str, Any]]) -> int:
    """Publish checked events to the stream (JetStream drops a repeated Nats-Msg-Id itself;
    with Redis, a repeated event is dropped by the workers, as any redelivery is)."""
    if kind() == "redis":
        return redis_publish(rows)
    return asyncio.run(publish_async(rows))


# --- Redis Streams -----------------------------------------------------------------------------------

GROUP = "rules"


def _redis():
    import redis

    return redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))


def redis_publish(rows: Sequence[dict[str, Any]]) -> int:
    r = _redis()
    pipe = r.pipeline(transaction=False)
    for row in rows:
        pipe.xadd(STREAM, {"event": json.dumps(row, default=str)})
    pipe.execute()
    return len(rows)


def run_redis_worker(batch: int = 200, stop_after_idle: float | None = None, consumer: str | None = None) -> int:
    """Take events from the Redis stream's consumer group; acknowledge after the commit; claim
    entries another worker took but never acknowledged once they have waited the ack wait."""
    import redis

    from toancanh.core.scoping import Scope
    from toancanh.operations.services import ingest_events

    r = _redis()
    try:
        r.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
    except redis.ResponseError as exc:  # the group exists already
        if "BUSYGROUP" not in str(exc):
            raise
    me = consumer or f"worker-{os.getpid()}"
    stopping = {"now": False}
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.update(now=True))
    handled, idle = 0, 0.0
    while not stopping["now"]:
        _next, claimed, _deleted = r.xautoclaim(
            STREAM, GROUP, me, min_idle_time=int(ACK_WAIT_SECONDS * 1000), count=batch
        )
        entries = claimed or [
            e for _s, es in (r.xreadgroup(GROUP, me, {STREAM: ">"}, count=batch, block=1000) or []) for e in es
        ]
        if not entries:
            idle += 1
            if stop_after_idle is not None and idle >= stop_after_idle:
                break
            continue
        idle = 0.0
        rows = []
        for _id, fields in entries:
            try:
                rows.append(json.loads(fields[b"event"]))
            except (KeyError, ValueError):
                log.error("dropping a stream entry that is not an event: %r", fields)
        ingest_events(rows, by=None, scope=Scope(everywhere=True))
        r.xack(STREAM, GROUP, *[entry_id for entry_id, _f in entries])  # only after the commit
        handled += len(rows)
    return handled


async def run_worker(batch: int = 200, stop_after_idle: float | None = None) -> int:
    """Take events from the stream and handle them until stopped; returns how many were handled."""
    import nats
    from asgiref.sync import sync_to_async
    from nats.js.api import AckPolicy, ConsumerConfig

    from toancanh.core.scoping import Scope
    from toancanh.operations.services import ingest_events

    nc = await nats.connect(nats_url())
    js = nc.jetstream()
    await _ensure_stream(js)
    sub = await js.pull_subscribe(
        SUBJECT, durable=CONSUMER, stream=STREAM,
        config=ConsumerConfig(ack_policy=AckPolicy.EXPLICIT, ack_wait=ACK_WAIT_SECONDS, max_ack_pending=batch * 4),
    )  # fmt: skip
    handle = sync_to_async(
        lambda rows: ingest_events(rows, by=None, scope=Scope(everywhere=True)), thread_sensitive=True
    )
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    handled, idle = 0, 0.0
    try:
        while not stopping.is_set():
            try:
                msgs = await sub.fetch(batch, timeout=1)
            except (nats.errors.TimeoutError, TimeoutError):  # the client raises either, depending on where it waited
                idle += 1
                if stop_after_idle is not None and idle >= stop_after_idle:
                    break
                continue
            idle = 0.0
            rows = []
            for m in msgs:
                try:
                    rows.append(json.loads(m.data))
                except ValueError:
                    log.error("dropping a message that is not JSON: %r", m.data[:200])
            report = await handle(rows)
            for m in msgs:  # only after the batch is committed
                await m.ack()
            handled += len(rows)
            log.info("handled %d events (%d new, %d repeated)", len(rows), report.stored, report.duplicates)
    finally:
        await nc.close()
    return handled
