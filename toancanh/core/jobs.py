"""One runner for all background work: every run of a task is a :class:`~toancanh.core.models.Job` row.

Contexts register their tasks in a ``tasks.py`` module (imported at start-up by the core's
``AppConfig.ready``, as Django's admin discovers ``admin.py``)::

    from toancanh.core import jobs

    @jobs.task("operations.tick", every=60, timeout=120, max_attempts=5)
    def tick() -> dict: ...

and queue work with ``jobs.enqueue("indicators.recompute", dedupe="indicators.recompute")``.
``toancanh worker`` runs :func:`run_worker`; any number of workers share the rows:

- a worker claims a due row with a conditional update (``UPDATE … WHERE id = ? AND status IN
  ('waiting', 'failed')``; on PostgreSQL the candidates are read ``FOR UPDATE SKIP LOCKED``), so no
  row runs twice at once;
- a failed run is retried with exponential back-off (status ``failed`` until then), and after
  ``max_attempts`` it is ``dead`` with its last error;
- while a row runs its worker beats (``heartbeat``) every few seconds; a row whose heartbeat is
  older than the claim time-out (twice the task's ``timeout``, or ``TOANCANH_JOB_CLAIM_TIMEOUT``
  seconds) belonged to a process that died and is taken over by another worker. A run that
  outlives its own ``timeout`` stops being beaten for (Python cannot kill a thread), so it is
  taken over too, and its late outcome is ignored;
- a periodic task (``every=``) has one waiting run at a time: the runner ensures it at start and
  each run, when it ends, queues the next;
- each worker process keeps a :class:`~toancanh.core.models.Worker` row with its heartbeat and the
  job it runs; done rows are pruned after a day.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import os
import socket
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone

from toancanh.core.models import Job, JobStatus, Worker

log = logging.getLogger(__name__)

from toancanh.core.permissions import JOBS_VIEW  # noqa: E402, F401 - the permission to see the runner's page

HEARTBEAT_SECONDS = float(os.environ.get("TOANCANH_JOB_HEARTBEAT", "5"))
FIRST_RETRY_SECONDS = 10
MAX_RETRY_SECONDS = 3600
KEEP_DONE = dt.timedelta(days=1)
PRUNE_EVERY_SECONDS = 600
CLAIMABLE = (JobStatus.WAITING, JobStatus.FAILED)
PENDING = (JobStatus.WAITING, JobStatus.FAILED, JobStatus.RUNNING)


@dataclass(frozen=True)
class Task:
    name: str
    fn: Callable[..., Any]
    every: float | None = None
    timeout: float = 300
    max_attempts: int = 5
    backoff: float = FIRST_RETRY_SECONDS

    @property
    def claim_timeout(self) -> float:
        """Seconds without a heartbeat after which a claim is taken over."""
        configured = os.environ.get("TOANCANH_JOB_CLAIM_TIMEOUT")
        return float(configured) if configured else 2 * self.timeout

    def retry_delay(self, attempts: int) -> dt.timedelta:
        return dt.timedelta(seconds=min(self.backoff * 2 ** max(attempts - 1, 0), MAX_RETRY_SECONDS))


_registry: dict[str, Task] = {}


def task(name: str, *, every: float | None = None, timeout: float = 300, max_attempts: int = 5,
         backoff: float = FIRST_RETRY_SECONDS) -> Callable[[Callable[..., Any]], Callable[..., Any]]:  # fmt: skip
    """Register a function (called with the job's ``args`` as keyword arguments) as a task;
    periodic every ``every`` seconds when given."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        if name in _registry and _registry[name].fn is not fn:
            raise ValueError(f"two tasks are named '{name}'")
        _registry[name] = Task(name, fn, every, timeout, max_attempts, backoff)
        return fn

    return register


def tasks() -> dict[str, Task]:
    return dict(_registry)


def enqueue(name: str, args: dict | None = None, *, run_at: dt.datetime | None = None,
            dedupe: str | None = None) -> Job:  # fmt: skip
    """Queue a run of task ``name``. With ``dedupe``, at most one waiting run has that key: a
    second call returns the waiting one (moved earlier if this one is due sooner)."""
    if name not in _registry:
        raise ValueError(f"no task is named '{name}'")
    run_at = run_at or timezone.now()
    for _ in range(5):
        if dedupe:
            waiting = Job.objects.filter(dedupe=dedupe, status=JobStatus.WAITING).first()
            if waiting is not None:
                if run_at < waiting.run_at:
                    Job.objects.filter(pk=waiting.pk, status=JobStatus.WAITING).update(run_at=run_at)
                    waiting.run_at = run_at
                return waiting
        try:
            with transaction.atomic():  # a savepoint inside the caller's transaction
                return Job.objects.create(name=name, args=args or {}, run_at=run_at, dedupe=dedupe)
        except IntegrityError:
            continue  # another process queued the same key just now: return theirs
    raise RuntimeError(f"could not queue '{name}' with key '{dedupe}'")


def _periodic_key(name: str) -> str:
    return f"periodic:{name}"


def ensure_periodic(now: dt.datetime | None = None, names: list[str] | None = None) -> int:
    """Give every periodic task (of ``names``, default all) one pending run (due now if it has none)."""
    now = now or timezone.now()
    made = 0
    for t in _registry.values():
        if (
            t.every
            and (names is None or t.name in names)
            and not Job.objects.filter(dedupe=_periodic_key(t.name), status__in=PENDING).exists()
        ):
            enqueue(t.name, run_at=now, dedupe=_periodic_key(t.name))
            made += 1
    return made


def _next_slot(t: Task, job: Job, now: dt.datetime) -> dt.datetime:
    every = dt.timedelta(seconds=t.every or 60)
    late = max((now - job.run_at) / every, 0)
    return job.run_at + every * max(math.ceil(late + 1e-9), 1)


# --- claiming and running -----------------------------------------------------------------------


def claim(worker: str, names: list[str] | None = None, now: dt.datetime | None = None) -> Job | None:
    """Claim the next due job (of the given task names) for ``worker``, or None."""
    now = now or timezone.now()
    names = names if names is not None else list(_registry)
    due = Job.objects.filter(status__in=CLAIMABLE, run_at__lte=now, name__in=names).order_by("run_at", "id")
    claimed = {"status": JobStatus.RUNNING, "claimed_by": worker, "claimed_at": now, "heartbeat": now,
               "attempts": F("attempts") + 1, "finished_at": None}  # fmt: skip
    if connection.features.has_select_for_update_skip_locked and not connection.in_atomic_block:
        with transaction.atomic():
            row = due.select_for_update(skip_locked=True).values_list("id", flat=True).first()
            if row is None:
                return None
            Job.objects.filter(pk=row).update(**claimed)
            return Job.objects.get(pk=row)
    for pk in due.values_list("id", flat=True)[:20]:
        if Job.objects.filter(pk=pk, status__in=CLAIMABLE).update(**claimed):
            return Job.objects.get(pk=pk)
    return None


def take_over_stale(now: dt.datetime | None = None) -> int:
    """Free the running jobs whose worker stopped beating (a dead process, or a run past its
    time-out), so that another worker runs them again."""
    now = now or timezone.now()
    freed = 0
    shortest = min((t.claim_timeout for t in _registry.values()), default=600)
    stale = Job.objects.filter(status=JobStatus.RUNNING, heartbeat__lt=now - dt.timedelta(seconds=shortest))
    for job in stale.only("id", "name", "attempts", "heartbeat", "claimed_by"):
        t = _registry.get(job.name)
        limit = t.claim_timeout if t else 600
        if job.heartbeat and (now - job.heartbeat).total_seconds() < limit:
            continue
        error = f"worker {job.claimed_by} stopped answering (last heartbeat {job.heartbeat:%Y-%m-%d %H:%M:%S} UTC)"
        dead = t is not None and job.attempts >= t.max_attempts
        freed += Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, heartbeat=job.heartbeat).update(
            status=JobStatus.DEAD if dead else JobStatus.FAILED, run_at=now, last_error=error,
            finished_at=now if dead else None,
        )  # fmt: skip
        if dead and t is not None and t.every:
            enqueue(t.name, run_at=now, dedupe=_periodic_key(t.name))
    return freed


def execute(job: Job, worker: str, now: dt.datetime | None = None) -> str:
    """Run a claimed job and record its outcome (at ``now``, default the time it ends); returns the
    final status."""
    clock = (lambda: now) if now is not None else timezone.now
    t = _registry[job.name]
    started = time.perf_counter()
    try:
        result = t.fn(**(job.args or {}))
    except Exception as exc:  # noqa: BLE001 - a task's failure is recorded on its row, never a crash of the loop
        log.exception("job %s #%s failed", job.name, job.pk)
        error = f"{exc.__class__.__name__}: {exc}\n\n{traceback.format_exc()[-3000:]}"
        ended = clock()
        dead = job.attempts >= t.max_attempts
        fields = {"status": JobStatus.DEAD if dead else JobStatus.FAILED, "last_error": error}
        fields |= {"finished_at": ended} if dead else {"run_at": ended + t.retry_delay(job.attempts)}
    else:
        ended = clock()
        result = json.loads(json.dumps(result, default=str))  # what JSON cannot hold is kept as text
        fields = {"status": JobStatus.DONE, "finished_at": ended, "result": result}
        log.info("job %s #%s done in %.2f s", job.name, job.pk, time.perf_counter() - started)
    mine = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, claimed_by=worker).update(**fields)
    if not mine:
        log.warning("job %s #%s was taken over while it ran: its outcome is not recorded", job.name, job.pk)
        return "taken-over"
    if t.every and fields["status"] in (JobStatus.DONE, JobStatus.DEAD):
        enqueue(t.name, run_at=_next_slot(t, job, ended), dedupe=_periodic_key(t.name))
    return fields["status"]


def run_pending(now: dt.datetime | None = None, *, limit: int = 1000) -> int:
    """Run every due job here and now, one after another (for tests and one-shot commands)."""
    ran = 0
    me = f"inline:{os.getpid()}"
    while ran < limit:
        job = claim(me, now=now)
        if job is None:
            break
        execute(job, me, now)
        ran += 1
    return ran


def prune(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    deleted, _ = Job.objects.filter(status=JobStatus.DONE, finished_at__lt=now - KEEP_DONE).delete()
    Worker.objects.filter(beat_at__lt=now - KEEP_DONE).delete()
    return deleted


# --- the worker loop ----------------------------------------------------------------------------


class _Heart:
    """Beats for the worker row, and for the job it runs while that job is within its time-out."""

    def __init__(self, worker: Worker):
        self.worker = worker
        self.job: Job | None = None
        self.job_started = 0.0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="jobs-heartbeat", daemon=True)

    def running(self, job: Job | None) -> None:
        with self.lock:
            self.job, self.job_started = job, time.monotonic()
        self.beat()

    def beat(self) -> None:
        now = timezone.now()
        with self.lock:
            job, started = self.job, self.job_started
        try:
            Worker.objects.filter(pk=self.worker.pk).update(beat_at=now, current_job_id=job.pk if job else None)
            t = _registry.get(job.name) if job else None
            if job is not None and t is not None and time.monotonic() - started <= t.timeout:
                Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, claimed_by=self.worker.name).update(
                    heartbeat=now
                )
        except Exception:  # noqa: BLE001 - a missed beat (a busy database) is retried at the next one
            log.warning("heartbeat failed", exc_info=True)

    def _loop(self) -> None:
        try:
            while not self.stop.wait(HEARTBEAT_SECONDS):
                self.beat()
        finally:
            connection.close()


def run_worker(stop: threading.Event | None = None, *, poll: float = 1.0, stop_after_idle: float | None = None,
               names: list[str] | None = None) -> int:  # fmt: skip
    """Claim and run due jobs until ``stop`` is set (or after ``stop_after_idle`` idle seconds).
    Returns how many jobs this worker ran."""
    stop = stop or threading.Event()
    now = timezone.now()
    worker = Worker.objects.create(name=f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}",
                                   host=socket.gethostname()[:200], pid=os.getpid(), started_at=now, beat_at=now)  # fmt: skip
    heart = _Heart(worker)
    heart.thread.start()
    log.info("job worker %s started (%d tasks)", worker.name, len(_registry))
    ran, idle_since, last_prune, last_sweep = 0, time.monotonic(), 0.0, 0.0
    try:
        ensure_periodic(names=names)
        while not stop.is_set():
            close_old_connections()
            try:
                if time.monotonic() - last_sweep >= min(HEARTBEAT_SECONDS, 5):
                    take_over_stale()
                    last_sweep = time.monotonic()
                if time.monotonic() - last_prune >= PRUNE_EVERY_SECONDS:
                    prune()
                    last_prune = time.monotonic()
                job = claim(worker.name, names)
            except Exception:  # noqa: BLE001 - the database may be busy or restarting: try again shortly
                log.warning("could not claim a job", exc_info=True)
                stop.wait(poll)
                continue
            if job is None:
                if stop_after_idle is not None and time.monotonic() - idle_since >= stop_after_idle:
                    break
                stop.wait(poll)
                continue
            heart.running(job)
            try:
                execute(job, worker.name)
            except Exception:  # noqa: BLE001 - recording the outcome failed: the claim times out and is retried
                log.exception("could not record the outcome of job #%s", job.pk)
            heart.running(None)
            ran += 1
            idle_since = time.monotonic()
    finally:
        heart.stop.set()
        Worker.objects.filter(pk=worker.pk).update(stopped_at=timezone.now(), current_job=None)
        close_old_connections()
    return ran


def start_runner(*, poll: float = 1.0) -> threading.Event:
    """Run :func:`run_worker` in a daemon thread of this process; set the returned event to stop it."""
    stop = threading.Event()

    def loop() -> None:
        try:
            run_worker(stop, poll=poll)
        finally:
            connection.close()

    threading.Thread(target=loop, name="jobs-runner", daemon=True).start()
    return stop


# --- what the health check and the page show ---------------------------------------------------


def state(now: dt.datetime | None = None) -> dict[str, Any]:
    """The runner at a glance: live workers, counts by status, the oldest due waiting job."""
    from django.db.models import Count, Min

    now = now or timezone.now()
    live_after = now - dt.timedelta(seconds=max(3 * HEARTBEAT_SECONDS, 30))
    workers = [
        {
            "name": w.name,
            "host": w.host,
            "pid": w.pid,
            "started_at": w.started_at,
            "beat_at": w.beat_at,
            "beat_age_seconds": round((now - w.beat_at).total_seconds(), 1),
            "current_job": w.current_job_id,
        }  # fmt: skip
        for w in Worker.objects.filter(beat_at__gte=live_after, stopped_at__isnull=True).order_by("name")
    ]
    counts = {s: 0 for s in JobStatus.values} | dict(
        Job.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    oldest = Job.objects.filter(status__in=CLAIMABLE, run_at__lte=now).aggregate(at=Min("run_at"))["at"]
    return {
        "ok": bool(workers) and (oldest is None or (now - oldest).total_seconds() < 300),
        "workers": workers,
        "counts": counts,
        "dead": counts[JobStatus.DEAD],
        "oldest_waiting_seconds": round((now - oldest).total_seconds(), 1) if oldest else None,
    }
