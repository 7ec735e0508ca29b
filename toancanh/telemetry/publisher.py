"""Publish readings over MQTT exactly as station loggers do: one topic per station
(``<prefix>/<station>/readings``), QoS 1, JSON payloads in the wire format without the station. The
simulators (the demo's stations, the environment pack's flood scenario) send through it, so the demo
uses the real path: broker, subscriber, store. It needs no database and no Django: a simulator on
another machine runs it as it is."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterable
from typing import Any

import orjson
from paho.mqtt import client as mqtt

DEFAULT_PREFIX = "toancanh/telemetry"  # topics: <prefix>/<station>/readings
NO_MATCHING_SUBSCRIBERS = 0x10  # an MQTT 5 PUBACK's reason code


def _message_rows(items: Iterable[Any]) -> Iterable[tuple[float | None, dict[str, Any]]]:
    for item in items:
        if isinstance(item, tuple):
            yield float(item[0]), item[1]
        else:
            yield None, item


def publish_rows(
    rows: Iterable[dict[str, Any] | tuple[float, dict[str, Any]]],
    *,
    host: str = "127.0.0.1",
    port: int = 1883,
    prefix: str = DEFAULT_PREFIX,
    per_message: int = 1,
    client_id: str = "",
    timeout: float = 60,
) -> dict[str, int]:
    """Publish reading rows (``{"station", "quantity", "time", "value", "unit"}``); each item may also
    be a pair ``(seconds after the start, row)`` to be sent at that moment (a replay on a clock), as
    ``environment.scenario.replay`` gives. Consecutive rows of one station go in one message, up to
    ``per_message``. Returns what the broker acknowledged (PUBACK): ``{"messages", "readings",
    "acknowledged_messages", "acknowledged_readings"}``; a message not acknowledged within
    ``timeout`` after the last is not counted as acknowledged. ``refused_messages``: PUBACKs that
    refuse (MQTT 5 reason codes from 0x80); ``unrouted_messages``: taken by the broker while no
    session subscribed to the topic (nobody will receive them)."""
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    client.max_queued_messages_set(0)
    client.max_inflight_messages_set(1000)
    client.reconnect_delay_set(min_delay=1, max_delay=5)
    client.connect_async(host, port, keepalive=30)
    client.loop_start()
    connected = time.monotonic() + timeout
    while not client.is_connected() and time.monotonic() < connected:
        time.sleep(0.02)
    head = prefix.rstrip("/") + "/"
    # Acknowledgements counted by the on_publish callback: a message published while the broker is
    # away is queued by the client and sent (and acknowledged) after it reconnects.
    lock = threading.Lock()
    pending: dict[int, int] = {}  # message id -> readings, until its PUBACK
    early: set[int] = set()  # PUBACKs that came before publish() returned
    done = {
        "messages": 0,
        "readings": 0,
        "acknowledged_messages": 0,
        "acknowledged_readings": 0,
        "refused_messages": 0,
        "unrouted_messages": 0,
    }

    def on_publish(_client, _userdata, mid, reason_code, _properties) -> None:
        with lock:
            if getattr(reason_code, "is_failure", False):  # a PUBACK that refuses: the broker did not take it
                pending.pop(mid, None)
                done["refused_messages"] += 1
                return
            if getattr(reason_code, "value", 0) == NO_MATCHING_SUBSCRIBERS:
                done["unrouted_messages"] += 1  # taken, but no session subscribes to the topic
            n = pending.pop(mid, None)
            if n is None:
                early.add(mid)
                return
            done["acknowledged_messages"] += 1
            done["acknowledged_readings"] += n

    client.on_publish = on_publish
    start = time.monotonic()
    try:
        for station, group in itertools.groupby(_message_rows(rows), key=lambda p: p[1].get("station", "")):
            for chunk in itertools.batched(group, per_message):
                at = chunk[0][0]
                if at is not None and (wait := start + at - time.monotonic()) > 0:
                    time.sleep(wait)
                body = [{k: v for k, v in row.items() if k != "station"} for _at, row in chunk]
                payload = orjson.dumps(body[0] if len(body) == 1 else body)
                # Not under the lock: paho calls on_publish holding its own lock, which publish() takes too.
                mid = client.publish(f"{head}{station}/readings", payload, qos=1).mid
                with lock:
                    done["messages"] += 1
                    done["readings"] += len(body)
                    if mid in early:
                        early.discard(mid)
                        done["acknowledged_messages"] += 1
                        done["acknowledged_readings"] += len(body)
                    else:
                        pending[mid] = len(body)
        deadline = time.monotonic() + timeout
        while pending and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        client.disconnect()
        client.loop_stop()
    return done
