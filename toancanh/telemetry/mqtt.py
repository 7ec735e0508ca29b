"""The MQTT subscriber: station loggers publish their readings to a broker (Mosquitto), one topic per
station, and this subscriber stores them through :func:`~toancanh.telemetry.services.ingest_readings`.

Topics and payloads (docs/telemetry.md): ``<prefix>/<station code>/readings`` (prefix
``toancanh/telemetry`` by default), the payload a JSON object or array of readings in the wire format
of the HTTP API without the station, which the topic gives::

    {"quantity": "water_level", "time": "2020-10-11T08:00:00+07:00", "value": 3.42, "unit": "m"}

Nothing acknowledged is lost: the subscriber holds a persistent session (MQTT 5, a fixed client id,
``clean_start`` off and a session that outlives a disconnection), takes QoS 1 and acknowledges a
message only once the batch it came in is committed (``manual_ack``). A subscriber killed between
receiving and committing leaves its messages unacknowledged: the broker sends them again when the
session comes back, and the store takes a reading it has once (same sensor and time) as a duplicate.
A message received before a reconnection is never acknowledged after it (its packet id may name
another message by then): the broker redelivers it and it is counted as a duplicate.

Bad input is refused with its reason and counted per station (``RefusalCount``) and on the source's
health, and still acknowledged, so that the broker does not send it again forever: a payload that is
not JSON, a station in the payload that is not the topic's, more than ``max_per_message`` readings in
one message, a station over its rate (``station_cap_per_minute``: one station's flood does not hold up
the others), and whatever :func:`ingest_readings` refuses (unknown station, wrong unit, future time …).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import orjson
from django.db import DatabaseError, close_old_connections
from paho.mqtt import client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from pydantic import BaseModel, Field

from toancanh.core.connectors import Connector, Outcome
from toancanh.telemetry.publisher import DEFAULT_PREFIX

log = logging.getLogger(__name__)
SESSION_EXPIRY_S = 7 * 86400  # the broker keeps the session (and queues for it) a week


class MqttConfig(BaseModel):
    host: str = Field("127.0.0.1", min_length=1, max_length=200, description="the broker's host")
    port: int = Field(1883, ge=1, le=65535)
    prefix: str = Field(DEFAULT_PREFIX, min_length=1, max_length=120, pattern=r"^[^#+]+$",
                        description="topics are <prefix>/<station code>/readings")  # fmt: skip
    client_id: str = Field("", max_length=64, description="the session's name (default: toancanh-<source>)")
    username: str = Field("", max_length=120)
    password: str = Field("", max_length=200)
    batch_readings: int = Field(20_000, ge=1, le=50_000, description="readings stored in one transaction at most")
    flush_ms: int = Field(200, ge=5, le=10_000, description="the longest a received reading waits to be stored")
    max_per_message: int = Field(5_000, ge=1, le=50_000)
    station_cap_per_minute: int = Field(3_000, ge=1, le=10_000_000)
    receive_maximum: int = Field(1_000, ge=1, le=65_535, description="unacknowledged messages the broker may send")


class MqttReadings(Connector):
    """The connector kind ``telemetry.mqtt``: a long-lived subscription, run by
    ``toancanh telemetry mqtt --source NAME`` (not by the pull schedule)."""

    Config = MqttConfig
    mode = "stream"

    def store(self, records: list[Any]) -> Outcome:
        from toancanh.telemetry.services import ingest_readings

        name = self.instance.name if self.instance is not None else "mqtt"
        result = ingest_readings(records, source=name, health=False)
        outcome = Outcome(accepted=result.accepted)
        for ref in result.refused:
            outcome.refuse(f"{ref.row}: {ref.station}", ref.message)
        return outcome


@dataclass(slots=True)
class _Message:
    station: str
    payload: bytes
    mid: int
    qos: int
    generation: int


class Subscription:
    """One running subscriber. ``run()`` blocks until ``stop()`` (or ``idle_exit`` seconds without a
    message); ``stats`` counts messages and readings as they go."""

    def __init__(self, config: MqttConfig, *, source: str):
        self.config, self.source = config, source
        self.stats: Counter[str] = Counter()
        self._inbox: queue.SimpleQueue[_Message] = queue.SimpleQueue()
        self._generation = 0
        self._connected = threading.Event()
        self._stop = threading.Event()
        self._minute_counts: dict[str, tuple[int, int]] = {}
        self._topic_head = config.prefix.rstrip("/") + "/"
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=config.client_id or f"toancanh-{source}"[:64],
            protocol=mqtt.MQTTv5, manual_ack=True,
        )  # fmt: skip
        if config.username:
            self.client.username_pw_set(config.username, config.password or None)
        self.client.reconnect_delay_set(min_delay=1, max_delay=30)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message

    # --- the network thread ----------------------------------------------------------------------------

    def _on_connect(self, client, _userdata, flags, reason_code, _properties) -> None:
        if reason_code.is_failure:
            log.warning("mqtt: the broker refused the connection: %s", reason_code)
            return
        self._generation += 1
        self.stats["connections"] += 1
        client.subscribe(self._topic_head + "+/readings", qos=1)
        self._connected.set()
        log.info("mqtt: connected to %s:%s (session %s)", self.config.host, self.config.port,
                 "resumed" if flags.session_present else "new")  # fmt: skip

    def _on_disconnect(self, _client, _userdata, _flags, reason_code, _properties) -> None:
        self._connected.clear()
        if not self._stop.is_set():
            log.warning("mqtt: disconnected (%s); reconnecting", reason_code)

    def _on_message(self, _client, _userdata, msg) -> None:
        topic = msg.topic
        station = topic[len(self._topic_head) : -len("/readings")] if topic.startswith(self._topic_head) else ""
        self._inbox.put(_Message(station, msg.payload, msg.mid, msg.qos, self._generation))

    # --- the storing thread --------------------------------------------------------------------------

    def wait_connected(self, timeout: float) -> bool:
        return self._connected.wait(timeout)

    def stop(self) -> None:
        self._stop.set()

    def run(self, *, idle_exit: float | None = None) -> Counter[str]:
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = SESSION_EXPIRY_S
        props.ReceiveMaximum = self.config.receive_maximum
        self.client.connect_async(self.config.host, self.config.port, keepalive=30, clean_start=False,
                                  properties=props)  # fmt: skip
        self.client.loop_start()
        last_message = time.monotonic()
        try:
            while not self._stop.is_set():
                batch = self._collect()
                if batch:
                    self._handle(batch)
                    last_message = time.monotonic()
                elif idle_exit is not None and time.monotonic() - last_message > idle_exit:
                    break
        finally:
            self.client.disconnect()
            self.client.loop_stop()
        return self.stats

    def _collect(self) -> list[tuple[_Message, list[Any] | None, str]]:
        """Messages received, parsed, until ``batch_readings`` readings or ``flush_ms`` have passed."""
        try:
            first = self._inbox.get(timeout=0.25)
        except queue.Empty:
            return []
        out, n = [], 0
        deadline = time.monotonic() + self.config.flush_ms / 1000
        msg: _Message | None = first
        while msg is not None:
            rows, problem = self._parse(msg)
            out.append((msg, rows, problem))
            n += len(rows or ())
            if n >= self.config.batch_readings:
                break
            left = deadline - time.monotonic()
            try:
                msg = self._inbox.get(timeout=left) if left > 0 else self._inbox.get_nowait()
            except queue.Empty:
                msg = None
        return out

    def _parse(self, msg: _Message) -> tuple[list[Any] | None, str]:
        """The message's readings, or ``None`` and why it is refused as a whole."""
        try:
            body = orjson.loads(msg.payload)
        except orjson.JSONDecodeError:
            return None, "the payload is not JSON"
        rows = body if isinstance(body, list) else [body]
        if len(rows) > self.config.max_per_message:
            return None, f"more than {self.config.max_per_message} readings in one message"
        for r in rows:
            if isinstance(r, dict):
                named = r.setdefault("station", msg.station)
                if named != msg.station:
                    return None, f"the payload names station {str(named)[:40]}, the topic {msg.station}"
        return rows, ""

    def _over_cap(self, station: str, n: int) -> int:
        """How many of ``n`` readings of ``station`` go over its rate this minute."""
        minute = int(time.time() // 60)
        at, count = self._minute_counts.get(station, (minute, 0))
        if at != minute:
            count = 0
        allowed = max(0, min(n, self.config.station_cap_per_minute - count))
        self._minute_counts[station] = (minute, count + n)
        return n - allowed

    def _handle(self, batch: list[tuple[_Message, list[Any] | None, str]]) -> None:
        from toancanh.telemetry.services import IngestResult, ingest_readings

        early: list[tuple[str, str, str]] = []  # (station, reason, detail) refused before the store
        rows: list[Any] = []
        for msg, got, problem in batch:
            if got is None:
                early.append((msg.station, "malformed", problem))
                continue
            over = self._over_cap(msg.station, len(got))
            early.extend([(msg.station, "rate_limited", f"> {self.config.station_cap_per_minute}/min")] * over)
            rows.extend(got[: len(got) - over])
        delay = 0.5
        while True:
            prior = IngestResult()
            for station, reason, detail in early:
                prior.refuse(0, station, reason, detail)
            try:
                result = ingest_readings(rows, source=self.source, prior=prior)
                break
            except DatabaseError as exc:  # the database away: keep the messages, try again
                log.warning("mqtt: storing failed (%s); retrying in %.1f s", exc, delay)
                close_old_connections()
                if self._stop.wait(delay):
                    return  # not acknowledged: the broker sends them again next time
                delay = min(delay * 2, 30)
        generation = self._generation
        for msg, _rows, _problem in batch:
            if msg.qos and msg.generation == generation:
                self.client.ack(msg.mid, msg.qos)
            elif msg.qos:
                self.stats["left_for_redelivery"] += 1
        self.stats["messages"] += len(batch)
        self.stats["batches"] += 1
        self.stats["accepted"] += result.accepted
        self.stats["duplicates"] += result.duplicates
        self.stats["refused"] += len(result.refused)


def config_of(source: str) -> MqttConfig:
    """The configuration of the MQTT source named ``source`` (a configured ``telemetry.mqtt`` connector)."""
    from toancanh.core.errors import NotFound, ServiceError
    from toancanh.core.models import ConnectorInstance

    instance = ConnectorInstance.objects.filter(name=source).first()
    if instance is None:
        raise NotFound(f"no source '{source}' (add one: toancanh connector add {source} telemetry.mqtt)")
    if instance.kind != "telemetry.mqtt":
        raise ServiceError(f"the source '{source}' is a {instance.kind}, not a telemetry.mqtt subscriber")
    return MqttConfig.model_validate(instance.config)
