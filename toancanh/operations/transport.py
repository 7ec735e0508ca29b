"""Events through NATS JetStream or Redis Streams, so several worker processes share the load.

With ``TOANCANH_EVENTS_BUS=nats`` (and ``NATS_URL``) — or ``redis`` (and ``REDIS_URL``) — the API
checks incoming events and publishes them to the stream ``TOANCANH_EVENTS``, in one of its
partitions (subjects ``toancanh.events.in.<p>``, or Redis streams ``TOANCANH_EVENTS:<p>``) chosen by
the event's subject, instead of handling them itself. ``toancanh worker`` processes lease the
partitions among themselves (:mod:`toancanh.operations.partitions`), so one subject's events are
decided in one place and in order; each takes them from the partition's durable consumer, handles
a batch in one transaction, and acknowledges it only after the commit. Delivery is therefore at
least once: a worker killed mid-batch leaves its batch unacknowledged, its leases expire, and
another worker takes the partitions over and gets the batch again. Handling is idempotent —
events are unique by (source, source_id) and alerts by (rule, key) — so a redelivered event
changes nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
from collections.abc import Callable, Sequence
from typing import Any

from toancanh.operations.partitions import LEASE_SECONDS, PARTITIONS, Leases, partition_of, worker_id

log = logging.getLogger(__name__)

STREAM = os.environ.get("TOANCANH_EVENTS_STREAM", "TOANCANH_EVENTS")
SUBJECT = os.environ.get("TOANCANH_EVENTS_SUBJECT", "toancanh.events.in")
CONSUMER = "rules"
PUBLISH_WINDOW = 1000  # acknowledgements awaited at once when publishing
ACK_WAIT_SECONDS = float(os.environ.get("TOANCANH_EVENTS_ACK_WAIT", "30"))  # redelivery after a silent worker


def nats_url() -> str:
    return os.environ.get("NATS_URL", "nats://127.0.0.1:4222")


def kind() -> str:
    return os.environ.get("TOANCANH_EVENTS_BUS", "").lower()


def enabled() -> bool:
    return kind() in ("nats", "redis")


Handler = Callable[[list[dict[str, Any]]], Any]  # handles a batch in one transaction (services.ingest_events)


def _decode(raw: bytes) -> dict[str, Any] | None:
    try:
        return json.loads(raw)
    except ValueError:
        log.error("dropping a message that is not an event: %r", raw[:200])
        return None


# --- NATS JetStream ------------------------------------------------------------------------------------


def _subject(p: int) -> str:
    return f"{SUBJECT}.{p}"


async def _ensure_stream(js) -> None:
    from nats.js.api import RetentionPolicy, StreamConfig

    config = StreamConfig(name=STREAM, subjects=[f"{SUBJECT}.*"], retention=RetentionPolicy.WORK_QUEUE)
    try:
        info = await js.stream_info(STREAM)
    except Exception:  # noqa: BLE001 - the stream does not exist yet
        await js.add_stream(config)
        return
    if list(info.config.subjects or []) != config.subjects:  # a stream from before partitions
        with contextlib.suppress(Exception):  # its one unfiltered consumer overlaps the partitions'
            await js.delete_consumer(STREAM, CONSUMER)
        await js.update_stream(config)


async def publish_async(rows: Sequence[dict[str, Any]]) -> int:
    import nats

    nc = await nats.connect(nats_url())
    try:
        js = nc.jetstream()
        await _ensure_stream(js)
        # At most PUBLISH_WINDOW acknowledgements awaited at once: tens of thousands in flight
        # outlast the client's time limit on a busy machine ("nats: timeout"), and gain nothing.
        for i in range(0, len(rows), PUBLISH_WINDOW):
            await asyncio.gather(
                *(
                    js.publish(
                        _subject(partition_of(row)),
                        json.dumps(row, default=str).encode(),
                        headers={"Nats-Msg-Id": f"{row['source']}:{row['source_id']}"},
                    )
                    for row in rows[i : i + PUBLISH_WINDOW]
                )
            )
    finally:
        await nc.close()
    return len(rows)


def publish(rows: Sequence[dict[str, Any]]) -> int:
    """Publish checked events to their partitions (JetStream drops a repeated Nats-Msg-Id itself;
    with Redis, a repeated event is dropped by the workers, as any redelivery is)."""
    if kind() == "redis":
        return redis_publish(rows)
    return asyncio.run(publish_async(rows))


class _Stopper:
    def __init__(self) -> None:
        self.now = False

    def install(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(ValueError):  # not the main thread (tests): stopping is up to the caller
                signal.signal(sig, lambda *_: setattr(self, "now", True))


async def run_worker(handle_batch: Handler, batch: int = 200, stop_after_idle: float | None = None) -> int:
    """Take events from the partitions this worker leases and handle them until stopped; returns
    how many were handled. A batch is acknowledged only after its transaction commits."""
    import nats
    from asgiref.sync import sync_to_async
    from nats.js.api import AckPolicy, ConsumerConfig

    leases = Leases(worker_id())
    rebalance = sync_to_async(leases.rebalance, thread_sensitive=True)
    release = sync_to_async(leases.release, thread_sensitive=True)
    handle = sync_to_async(handle_batch, thread_sensitive=True)
    nc = await nats.connect(nats_url())
    js = nc.jetstream()
    await _ensure_stream(js)
    subs: dict[int, Any] = {}
    stopping = _Stopper()
    stopping.install()
    handled, next_lease = 0, 0.0
    loop = asyncio.get_running_loop()
    last_busy = loop.time()  # idle time counts from the last batch (or from when the full share is held)

    async def fetch(p: int):
        try:
            return await subs[p].fetch(batch, timeout=1)
        except (nats.errors.TimeoutError, TimeoutError):  # the client raises either, depending on where it waited
            return []

    # One fetch under way per partition; whichever brings messages first is handled at once, so an
    # event never waits for the quiet partitions' fetches to time out.
    pending: dict[int, asyncio.Task] = {}
    try:
        while not stopping.now:
            if loop.time() >= next_lease:
                owned = await rebalance()
                for p in set(subs) - owned:
                    if p in pending:
                        pending.pop(p).cancel()
                    await subs.pop(p).unsubscribe()
                for p in owned - set(subs):
                    subs[p] = await js.pull_subscribe(
                        _subject(p), durable=f"{CONSUMER}-p{p}", stream=STREAM,
                        config=ConsumerConfig(ack_policy=AckPolicy.EXPLICIT, ack_wait=ACK_WAIT_SECONDS,
                                              max_ack_pending=batch * 4),
                    )  # fmt: skip
                next_lease = loop.time() + LEASE_SECONDS / 4
            if not subs:
                await asyncio.sleep(0.5)
                continue
            for p in subs:
                if p not in pending:
                    pending[p] = asyncio.create_task(fetch(p))
            done, _ = await asyncio.wait(pending.values(), timeout=1, return_when=asyncio.FIRST_COMPLETED)
            msgs = []
            for p in [p for p, t in pending.items() if t in done]:
                msgs += pending.pop(p).result()
            if not msgs:
                if len(subs) < getattr(leases, "share", 1):
                    last_busy = loop.time()  # still taking over partitions: not idle yet
                elif stop_after_idle is not None and loop.time() - last_busy >= stop_after_idle:
                    break
                continue
            last_busy = loop.time()
            rows = [row for m in msgs if (row := _decode(m.data)) is not None]
            rows.sort(key=lambda r: str(r.get("occurred_at", "")))
            report = await handle(rows)
            await asyncio.gather(*(m.ack() for m in msgs))  # only after the batch is committed
            handled += len(rows)
            log.info("handled %d events (%d new, %d repeated)", len(rows), report.stored, report.duplicates)
    finally:
        for task in pending.values():
            task.cancel()
        await release()
        await nc.close()
    return handled


# --- Redis Streams -----------------------------------------------------------------------------------

GROUP = "rules"


def _redis():
    import redis

    return redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))


def _stream(p: int) -> str:
    return f"{STREAM}:{p}"


def redis_publish(rows: Sequence[dict[str, Any]]) -> int:
    r = _redis()
    pipe = r.pipeline(transaction=False)
    for row in rows:
        pipe.xadd(_stream(partition_of(row)), {"event": json.dumps(row, default=str)})
    pipe.execute()
    return len(rows)


def run_redis_worker(
    handle_batch: Handler, batch: int = 200, stop_after_idle: float | None = None, consumer: str | None = None
) -> int:
    """Take events from the consumer groups of the partitions this worker leases; acknowledge after
    the commit; claim entries a dead worker took but never acknowledged once they waited the ack wait."""
    import time

    import redis

    r = _redis()
    for p in range(PARTITIONS):
        try:
            r.xgroup_create(_stream(p), GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:  # the group exists already
            if "BUSYGROUP" not in str(exc):
                raise
    me = consumer or worker_id()
    leases = Leases(me)
    stopping = _Stopper()
    stopping.install()
    handled, idle, next_lease = 0, 0, 0.0
    try:
        while not stopping.now:
            if time.monotonic() >= next_lease:
                leases.rebalance()
                next_lease = time.monotonic() + LEASE_SECONDS / 4
            if not leases.owned:
                time.sleep(0.5)
                continue
            entries: list[tuple[str, bytes, dict]] = []
            for p in sorted(leases.owned):
                _next, claimed, _deleted = r.xautoclaim(
                    _stream(p), GROUP, me, min_idle_time=int(ACK_WAIT_SECONDS * 1000), count=batch
                )
                entries += [(_stream(p), eid, fields) for eid, fields in claimed]
            if not entries:
                got = r.xreadgroup(GROUP, me, {_stream(p): ">" for p in sorted(leases.owned)}, count=batch, block=1000)
                entries = [(name.decode(), eid, fields) for name, es in (got or []) for eid, fields in es]
            if not entries:
                if len(leases.owned) >= getattr(leases, "share", 1):
                    idle += 1
                    if stop_after_idle is not None and idle >= stop_after_idle:
                        break
                continue
            idle = 0
            rows = [row for _s, _id, fields in entries if (row := _decode(fields.get(b"event", b""))) is not None]
            rows.sort(key=lambda row: str(row.get("occurred_at", "")))
            handle_batch(rows)
            pipe = r.pipeline(transaction=False)
            for name, eid, _f in entries:  # only after the commit
                pipe.xack(name, GROUP, eid)
            pipe.execute()
            handled += len(rows)
    finally:
        leases.release()
    return handled
