"""Shared models with no domain of their own: sectors (as data) and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from toancanh.core.scoping import ScopedQuerySet


class Sector(models.Model):
    """A sector (lĩnh vực) the IOC watches: health, education, public order, fisheries …

    Sectors are data so that packs can add their own; the defaults are seeded by a migration.
    """

    code = models.SlugField(primary_key=True, max_length=40)
    name_vi = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("sector")

    def __str__(self) -> str:
        return self.localized

    @property
    def localized(self) -> str:
        """The name in the language of the current request."""
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi


class AuditQuerySet(ScopedQuerySet):
    scope_unit_path = "unit_path"


class AuditEntry(models.Model):
    """One write, as the audit log (nhật ký) keeps it: who, when, what, before and after."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150, help_text="user name, 'apikey:NAME' or 'cli'")
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=80)
    object_repr = models.CharField(max_length=255, blank=True)
    unit_path = models.CharField(max_length=255, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}:{self.object_id}"


class BusMessage(models.Model):
    """A live update on its way to every web process (the database transport of the event bus,
    used when no NATS or Redis is configured). Kept a few minutes, then pruned."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    body = models.JSONField()

    def __str__(self) -> str:
        return f"{self.pk}: {self.body.get('type', '?')}"


class ConnectorInstance(models.Model):
    """A configured data source (nguồn dữ liệu): a connector kind from the registry, its checked
    configuration, its schedule, and its health — what happened on the last runs."""

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=60)
    config = models.JSONField(default=dict)
    active = models.BooleanField(default=True)
    every_seconds = models.PositiveIntegerField(default=300, help_text="pull every … seconds")
    timeout_seconds = models.PositiveIntegerField(default=60)
    next_run_at = models.DateTimeField(null=True, blank=True, db_index=True)
    claimed_by = models.CharField(max_length=120, blank=True)
    # health
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0, help_text="failed runs in a row")
    runs = models.PositiveIntegerField(default=0)
    accepted_total = models.PositiveBigIntegerField(default=0)
    refused_total = models.PositiveBigIntegerField(default=0)
    last_accepted = models.PositiveIntegerField(default=0)
    last_refused = models.PositiveIntegerField(default=0)
    last_refusals = models.JSONField(default=list, blank=True, help_text="reasons of the last run's refusals")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def status(self) -> str:
        """ok, failing (the last run failed), paused, or new (never ran)."""
        if not self.active:
            return "paused"
        if self.last_run_at is None:
            return "new"
        return "failing" if self.failures else "ok"


class JobStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", pgettext_lazy("job status", "Done")
    FAILED = "failed", _("Failed, will retry")
    DEAD = "dead", pgettext_lazy("job status", "Given up")


class Job(models.Model):
    """One run of a background task (tác vụ nền): a row with its status, attempts and last error,
    claimed by one worker with a conditional update (see ``toancanh.core.jobs``)."""

    name = models.CharField(max_length=100, db_index=True)
    args = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.WAITING)
    dedupe = models.CharField(max_length=200, null=True, blank=True, help_text="at most one waiting job per key")
    attempts = models.PositiveSmallIntegerField(default=0)
    run_at = models.DateTimeField()
    claimed_by = models.CharField(max_length=200, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "run_at"], name="job_status_run_at")]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe"], condition=models.Q(status="waiting"), name="one_waiting_job_per_dedupe_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} #{self.pk} ({self.status})"


class Worker(models.Model):
    """A process that runs jobs (tiến trình xử lý nền), with its heartbeat."""

    name = models.CharField(max_length=200, unique=True)
    host = models.CharField(max_length=200)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    current_job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return self.name


class DayKind(models.TextChoices):
    """How a calendar day differs from the normal week (Labour Code 2019, Art. 111–112)."""

    HOLIDAY = "holiday", _("Public holiday")  # ngày lễ, Tết (Art. 112.1)
    COMPENSATORY = "compensatory", _("Compensatory day off")  # nghỉ bù (Art. 111)
    SWAPPED_OFF = "swapped_off", _("Swapped day off")  # ngày nghỉ hoán đổi
    SWAPPED_WORKING = "swapped_working", _("Swapped working day")  # ngày làm bù (e.g. Sat 26/04/2025)
    LOCAL_OFF = "local_off", _("Local day off")  # ngày nghỉ của địa phương

    @classmethod
    def off(cls) -> frozenset[str]:
        """The kinds that make a day a day off; only a swapped working day makes it a working day."""
        return frozenset({cls.HOLIDAY, cls.COMPENSATORY, cls.SWAPPED_OFF, cls.LOCAL_OFF})


class CalendarDay(models.Model):
    """A day of the working-day calendar (lịch ngày làm việc) that differs from the normal week:
    a public holiday, a compensatory day off, a swapped day off or working Saturday from the
    Government's yearly notice, a province's own day off. Days of the normal week are not stored.

    ``edited`` marks a day an administrator created or changed: seeding a year's defaults never
    overwrites it. ``withdrawn`` keeps a default day an administrator deleted, so a later seed
    does not bring it back (it counts as a normal day)."""

    date = models.DateField(unique=True)
    kind = models.CharField(max_length=20, choices=DayKind.choices)
    name = models.CharField(max_length=200, help_text="Vietnamese name, e.g. “Tết Nguyên đán (mùng 1)”")
    source = models.CharField(max_length=200, blank=True, help_text="e.g. “Thông báo 9441/TB-BNV”")
    edited = models.BooleanField(default=False, help_text="changed by an administrator; seeding keeps it")
    withdrawn = models.BooleanField(default=False, help_text="a default day an administrator removed")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"

    @property
    def is_day_off(self) -> bool:
        return not self.withdrawn and self.kind in DayKind.off()


class CalendarYear(models.Model):
    """A year whose default days (official schedule or generated statutory holidays) were seeded."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    seeded_at = models.DateTimeField()
    origin = models.CharField(max_length=40, help_text="'official' (shipped schedule) or 'generated'")

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year} ({self.origin})"


class VersionCounter(models.Model):
    """One row whose version rises whenever what it stands for changes, so that every process can
    tell its cache is stale by reading one integer (abstract: each subject has its own table)."""

    version = models.BigIntegerField(default=0)

    class Meta:
        abstract = True

    @classmethod
    def current(cls) -> int:
        row = cls.objects.filter(pk=1).values_list("version", flat=True).first()
        return row or 0

    @classmethod
    def bump(cls) -> None:
        if not cls.objects.filter(pk=1).update(version=models.F("version") + 1):
            cls.objects.get_or_create(pk=1, defaults={"version": 1})


class CalendarState(VersionCounter):
    """The working-day calendar's version: it rises with every edit, so every process drops its cache."""

    def __str__(self) -> str:
        return f"calendar version {self.version}"
