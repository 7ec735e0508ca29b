"""Connectors: the one base every data source is built on (citizen reports, telemetry, sector feeds).

A connector kind is a :class:`Connector` subclass with a pydantic ``Config`` and one job:
``fetch()`` pulls records from the source on a schedule (``mode = "pull"``), or the source pushes
them (``mode = "push"``: ``POST /api/v1/connectors/{name}/push``). Either way the records go through
the kind's ``store(records) -> Outcome``, which accepts or refuses each with its reason.

Each configured source is a ``ConnectorInstance`` row: its kind, its checked configuration, its
schedule and its health (last success, last error, records accepted and refused, and the refusal
reasons of the last run). :func:`run_due` — a periodic job of the runner — runs the due instances,
each in a thread of its own with a time limit, so a hanging source never holds up another; a failure
that retrying can help is retried with exponential back-off; a ``permanent`` one pauses the source
until an administrator mends its configuration and resumes it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from pydantic import BaseModel

from toancanh.core import audit
from toancanh.core.errors import NotFound, ServiceError, validated
from toancanh.core.models import ConnectorInstance
from toancanh.core.registry import ConnectorKind, registry

log = logging.getLogger(__name__)
MAX_REFUSALS_KEPT = 50
MAX_BACKOFF_SECONDS = 3600


class ConnectorError(Exception):
    """A run that failed. ``permanent`` when retrying cannot help (bad credentials, a source that
    answers 4xx, a configuration the source refuses)."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


@dataclass
class Outcome:
    """What became of a run's records: how many were accepted, and each refusal with its reason."""

    accepted: int = 0
    refused: list[dict[str, Any]] = field(default_factory=list)

    def refuse(self, ref: Any, reason: str) -> None:
        self.refused.append({"record": str(ref)[:200], "reason": str(reason)[:500]})


class Connector:
    """A kind of data source; subclasses set ``Config`` and implement ``fetch`` (pull) and ``store``."""

    Config: ClassVar[type[BaseModel]]
    mode: ClassVar[str] = "pull"

    def __init__(self, config: dict[str, Any], instance: ConnectorInstance | None = None):
        self.config = self.check(config)
        self.instance = instance

    @classmethod
    def check(cls, config: dict[str, Any]) -> BaseModel:
        return validated(cls.Config, config or {}, gettext("connector configuration refused: %(reason)s"))

    @staticmethod
    def now() -> str:
        """The time now, as events and readings want it (ISO 8601 with its zone)."""
        return timezone.now().isoformat()

    def fetch(self) -> Iterable[Any]:
        """The records the source has now (pull connectors)."""
        raise NotImplementedError

    def store(self, records: list[Any]) -> Outcome:
        """Take in records: accept what is good, refuse the rest with reasons."""
        raise NotImplementedError


def kind_of(code: str) -> ConnectorKind:
    found = registry.get(ConnectorKind, code)
    if found is None:
        raise ServiceError(
            gettext("unknown connector kind '%(code)s' (one of: %(kinds)s)")
            % {"code": code, "kinds": ", ".join(registry.codes(ConnectorKind))}
        )
    return found


# --- writes ------------------------------------------------------------------------------------------


def save_instance(*, by: Any, name: str, kind: str, config: dict[str, Any], every_seconds: int = 300,
                  timeout_seconds: int = 60, active: bool = True) -> ConnectorInstance:  # fmt: skip
    """Configure a source (its configuration is checked by its kind)."""
    connector = kind_of(kind).connector
    checked = connector.check(config)
    if not 10 <= every_seconds <= 7 * 86400 or not 1 <= timeout_seconds <= 3600:
        raise ServiceError(gettext("the schedule must be 10 s to 7 days, the time limit 1 s to 1 hour"))
    with transaction.atomic():
        existing = ConnectorInstance.objects.filter(name=name).first()
        before = audit.snapshot(existing)
        instance, _ = ConnectorInstance.objects.update_or_create(
            name=name, defaults={"kind": kind, "config": checked.model_dump(mode="json"), "active": active,
                                 "every_seconds": every_seconds, "timeout_seconds": timeout_seconds,
                                 "next_run_at": timezone.now() if connector.mode == "pull" else None},
        )  # fmt: skip
        audit.record("connectors.save", instance, by=by, before=before, after=audit.snapshot(instance))
    return instance


def set_active(instance: ConnectorInstance, active: bool, *, by: Any) -> ConnectorInstance:
    """Pause or resume a source."""
    with transaction.atomic():
        instance.active = active
        instance.next_run_at = timezone.now() if active else instance.next_run_at
        if active:
            instance.failures = 0
        instance.save(update_fields=["active", "next_run_at", "failures"])
        audit.record("connectors.resume" if active else "connectors.pause", instance, by=by)
    return instance


def run_now(instance: ConnectorInstance, *, by: Any) -> ConnectorInstance:
    """Ask the runner to run a source at its next look (within seconds), whatever its schedule."""
    if not instance.active:
        raise ServiceError(gettext("the source is paused: resume it first"))
    with transaction.atomic():
        instance.next_run_at = timezone.now()
        instance.save(update_fields=["next_run_at"])
        audit.record("connectors.run_now", instance, by=by)
    return instance


def push(name: str, records: list[Any]) -> Outcome:
    """Records a source pushed to us: stored through its kind, counted in its health."""
    instance = ConnectorInstance.objects.filter(name=name, active=True).first()
    if instance is None:
        raise NotFound(f"no active source '{name}'")
    kind = kind_of(instance.kind)
    if kind.connector.mode != "push":
        raise ServiceError(gettext("'%(name)s' is pulled on a schedule: it takes no pushed records") % {"name": name})
    connector = kind.connector(instance.config, instance)
    started = timezone.now()
    try:
        outcome = connector.store(records)
    except ConnectorError as exc:
        _record_failure(instance, exc, started)
        raise ServiceError(str(exc)) from exc
    _record_success(instance, outcome, started)
    return outcome


def record_pushed(name: str, outcome: Outcome) -> bool:
    """Count a batch that a context took in for the configured source ``name`` (a telemetry file drop,
    a subscriber) on that source's health; ``False`` when no source has that name."""
    instance = ConnectorInstance.objects.filter(name=name).first()
    if instance is None:
        return False
    _record_success(instance, outcome, timezone.now())
    return True


# --- the runner's job ----------------------------------------------------------------------------------


def _backoff(failures: int, every: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(30 * 2 ** max(failures - 1, 0), MAX_BACKOFF_SECONDS, max(every, 30)))


def _record_success(instance: ConnectorInstance, outcome: Outcome, started: dt.datetime) -> None:
    now = timezone.now()
    ConnectorInstance.objects.filter(pk=instance.pk).update(
        last_run_at=started, last_success_at=now, failures=0, runs=instance.runs + 1, claimed_by="",
        accepted_total=instance.accepted_total + outcome.accepted,
        refused_total=instance.refused_total + len(outcome.refused),
        last_accepted=outcome.accepted, last_refused=len(outcome.refused),
        last_refusals=outcome.refused[:MAX_REFUSALS_KEPT],
        next_run_at=now + dt.timedelta(seconds=instance.every_seconds),
    )  # fmt: skip


def _record_failure(instance: ConnectorInstance, exc: BaseException, started: dt.datetime) -> None:
    now = timezone.now()
    permanent = getattr(exc, "permanent", False)
    failures = instance.failures + 1
    ConnectorInstance.objects.filter(pk=instance.pk).update(
        last_run_at=started, last_error=str(exc)[:2000] or exc.__class__.__name__, last_error_at=now,
        failures=failures, runs=instance.runs + 1, claimed_by="", active=not permanent and instance.active,
        next_run_at=None if permanent else now + _backoff(failures, instance.every_seconds),
    )  # fmt: skip


def run_due(now: dt.datetime | None = None, *, worker: str = "") -> int:
    """Run every active pull source whose time has come; returns how many ran. Each is claimed
    (its next run moved past its time limit) so that no other runner takes it meanwhile."""
    now = now or timezone.now()
    due = list(
        ConnectorInstance.objects.filter(Q(next_run_at__lte=now) | Q(next_run_at__isnull=True), active=True)
        .exclude(kind__in=[k.code for k in registry.all(ConnectorKind) if k.connector.mode != "pull"])
        .order_by("next_run_at")[:50]
    )
    claimed = []
    for inst in due:
        hold = now + dt.timedelta(seconds=inst.timeout_seconds + 30)
        if ConnectorInstance.objects.filter(pk=inst.pk, next_run_at=inst.next_run_at).update(
            next_run_at=hold, claimed_by=worker or threading.current_thread().name
        ):
            claimed.append(inst)
    if not claimed:
        return 0
    # Only the talking to sources happens in threads, each with its time limit; what they bring is
    # stored here, in the runner's own thread and transaction.
    pool = ThreadPoolExecutor(max_workers=min(8, len(claimed)), thread_name_prefix="connector")
    running = []
    for inst in claimed:
        try:
            connector = kind_of(inst.kind).connector(inst.config, inst)
        except Exception as exc:  # noqa: BLE001 - a kind no longer installed, a configuration no longer valid
            _record_failure(inst, ConnectorError(str(exc), permanent=True), now)
            continue
        running.append((inst, connector, pool.submit(lambda c=connector: list(c.fetch()))))
    for inst, connector, future in running:
        started = timezone.now()
        try:
            records = future.result(timeout=max(inst.timeout_seconds - (started - now).total_seconds(), 0.1))
            with transaction.atomic():
                outcome = connector.store(records)
        except FutureTimeout:
            _record_failure(inst, ConnectorError(f"no answer within {inst.timeout_seconds} s"), now)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded in the source's health
            _record_failure(inst, exc, now)
            log.warning("connector %s failed: %s", inst.name, exc)
        else:
            _record_success(inst, outcome, now)
    pool.shutdown(wait=False, cancel_futures=True)  # a hanging source's thread is left to end on its own
    return len(claimed)
