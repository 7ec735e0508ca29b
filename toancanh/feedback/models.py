"""Citizen field reports (phản ánh hiện trường): categories, routing rules, reports and their handling.

Deadlines are counted on the core's working-day calendar (``toancanh.core.workdays``). Defaults
come from ``shared/reference/feedback.md`` and ``feedback-vietnam.md``: Đà Nẵng's Decision
960/QĐ-UBND (25/03/2021) — urgent reports within 1 working day, issues checkable on the spot in
urban infrastructure, sanitation, security or urban order within 3 — and the national PAKN
system's steps (refuse within 2 working days, handle within 15, publish within 2).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from toancanh.core.scoping import ScopedQuerySet


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent")  # khẩn cấp
    ON_THE_SPOT = "on_the_spot", _("Checkable on the spot")  # xử lý ngay
    NORMAL = "normal", _("Normal")  # thông thường
    COMPLEX = "complex", _("Complex")  # phức tạp


class DeadlineUnit(models.TextChoices):
    WORKING_DAYS = "days", _("working days")
    WORKING_HOURS = "hours", _("working hours")


# Answer deadlines by urgency (value, unit): Decision 960/QĐ-UBND Đà Nẵng (urgent 1 wd, on the spot
# 3 wd); the national PAKN system's 15 wd for the rest. Defaults only: each category keeps its own.
DEFAULT_DEADLINES = {
    Urgency.URGENT: (1, DeadlineUnit.WORKING_DAYS),
    Urgency.ON_THE_SPOT: (3, DeadlineUnit.WORKING_DAYS),
    Urgency.NORMAL: (15, DeadlineUnit.WORKING_DAYS),
    Urgency.COMPLEX: (15, DeadlineUnit.WORKING_DAYS),
}


class AgencyLevel(models.TextChoices):
    COMMUNE = "commune", _("Commune level")
    PROVINCE = "province", _("Province level")


class Category(models.Model):
    """A field of reports (lĩnh vực phản ánh) or one of its sub-categories (``parent`` set), with the
    agency that answers it, its urgency and its answer deadline. Codes: ``environment``,
    ``environment.waste``."""

    code = models.CharField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    description = models.CharField(max_length=300, blank=True)
    agency_kind = models.CharField(max_length=20, blank=True, help_text="units.AgencyKind of the answering agency")
    agency_level = models.CharField(max_length=10, choices=AgencyLevel.choices, default=AgencyLevel.COMMUNE)
    agency_sector = models.CharField(max_length=40, blank=True, help_text="a sector the agency must cover")
    urgency = models.CharField(max_length=12, choices=Urgency.choices, default=Urgency.ON_THE_SPOT)
    deadline_value = models.PositiveSmallIntegerField(default=3)
    deadline_unit = models.CharField(max_length=6, choices=DeadlineUnit.choices, default=DeadlineUnit.WORKING_DAYS)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("report category")
        verbose_name_plural = _("report categories")

    def __str__(self) -> str:
        return self.name

    @property
    def top(self) -> Category:
        return self.parent if self.parent_id else self


class HandlingSettings(models.Model):
    """The handling rules an administrator may change (one row): step deadlines, reminders,
    escalation, duplicates and rate limits."""

    accept_within_days = models.PositiveSmallIntegerField(default=2, help_text="refuse or accept (national PAKN: 2)")
    publish_within_days = models.PositiveSmallIntegerField(default=2, help_text="publish an answer (PAKN: 2)")
    remind_hours_before = models.PositiveSmallIntegerField(default=4, help_text="working hours before the deadline")
    escalate_after_days = models.PositiveSmallIntegerField(default=1, help_text="working days overdue")
    extension_max_days = models.PositiveSmallIntegerField(default=10)
    close_unrated_after_days = models.PositiveSmallIntegerField(default=7)
    duplicate_radius_m = models.PositiveIntegerField(default=250, help_text="FixMyStreet's default")
    duplicate_days = models.PositiveSmallIntegerField(default=30)
    max_reports_per_hour = models.PositiveSmallIntegerField(default=5, help_text="per phone, device or address")
    abuse_reports_to_lock = models.PositiveSmallIntegerField(
        default=3, help_text="reports of one citizen account refused as spam or abuse that lock it"
    )
    abuse_window_days = models.PositiveSmallIntegerField(default=30, help_text="counted over the reports of these days")
    abuse_lock_days = models.PositiveSmallIntegerField(default=7, help_text="how long the account may not send")

    class Meta:
        verbose_name = _("report handling settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)  # the page's title: in the reader's language

    @classmethod
    def current(cls) -> HandlingSettings:
        return cls.objects.order_by("pk").first() or cls()


class RoutingRuleQuerySet(ScopedQuerySet):
    scope_unit_path = "unit__path"


class RoutingRule(models.Model):
    """Category + place → agency (quy tắc chuyển phản ánh). The most specific rule wins: a
    sub-category before its category before any; a commune before the province."""

    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE, related_name="rules")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(default=True)

    objects = RoutingRuleQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["category", "unit"], name="feedback_rule_unique")]
        verbose_name = _("routing rule")

    def __str__(self) -> str:
        return f"{self.category or '*'} @ {self.unit_id} → {self.agency_id}"


class Status(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("report status", "Received")  # chờ tiếp nhận
    ACCEPTED = "accepted", _("Accepted")  # đã tiếp nhận
    REFUSED = "refused", _("Refused")  # từ chối
    ASSIGNED = "assigned", _("Assigned")  # đã giao xử lý
    IN_PROGRESS = "in_progress", _("In progress")  # đang xử lý
    ANSWERED = "answered", _("Answered")  # đã trả lời
    CLOSED = "closed", _("Closed")  # hoàn thành
    CLOSED_NOT_FIXED = "closed_not_fixed", _("Closed, not fixed")
    REOPENED = "reopened", _("Reopened")


OPEN = (Status.RECEIVED, Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS, Status.REOPENED)
DONE = (Status.ANSWERED, Status.CLOSED, Status.CLOSED_NOT_FIXED)


class RefusalReason(models.TextChoices):
    SPAM = "spam", _("Spam or abuse")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")
    DUPLICATE = "duplicate", _("Duplicate")


class ReportQuerySet(ScopedQuerySet):
    """Staff see the reports of their units; an agency's officers only their agency's."""

    scope_unit_path = "unit__path"
    scope_agency = "agency_id"

    def public(self) -> ReportQuerySet:
        """What anyone may see: reports not refused (no spam on the public map)."""
        return self.exclude(status=Status.REFUSED)

    def open(self) -> ReportQuerySet:
        return self.filter(status__in=OPEN)


class Report(models.Model):
    """A citizen's field report (phản ánh hiện trường)."""

    code = models.CharField(max_length=16, unique=True, help_text="the tracking code (mã tra cứu)")
    token = models.CharField(max_length=32, unique=True, help_text="Open311 token")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="reports")
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=4000)
    lat = models.FloatField()
    lon = models.FloatField()
    address = models.CharField(max_length=255, blank=True)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("units.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The reporter: never public; handling agencies see it only when an operator shares it.
    reporter = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reporter_name = models.CharField(max_length=120, blank=True)
    reporter_phone = models.CharField(max_length=20, blank=True)
    reporter_shared = models.BooleanField(default=False)
    anonymous = models.BooleanField(default=True)
    device = models.CharField(max_length=64, blank=True, help_text="a hash of the device id")
    client_ip = models.CharField(max_length=45, blank=True)
    channel = models.CharField(max_length=12, default="app", help_text="app, open311, api, operator")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    refusal_reason = models.CharField(max_length=14, choices=RefusalReason.choices, blank=True)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged")
    answer = models.TextField(blank=True)
    received_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField()
    accept_due_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    answered_on_time = models.BooleanField(null=True)
    extended = models.BooleanField(default=False)
    overdue = models.BooleanField(default=False)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    satisfied = models.BooleanField(null=True)
    rating_comment = models.CharField(max_length=500, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["category", "status", "received_at"], name="feedback_dup_idx"),
            models.Index(fields=["lat", "lon"], name="feedback_pos_idx"),
            models.Index(fields=["agency", "status"], name="feedback_inbox_idx"),
        ]
        verbose_name = _("field report")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


class Entry(models.Model):
    """One step of a report's history: a status change, an internal note, a public answer, a
    transfer, an extension, a rating. Internal entries are never shown to the public."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=12, help_text="status, note, answer, transfer, extension, rating, follow")
    public = models.BooleanField(default=False)
    status = models.CharField(max_length=20, blank=True)
    text = models.TextField(blank=True)
    by = models.CharField(max_length=150, blank=True, help_text="who, as staff read it (never shown publicly)")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


class Photo(models.Model):
    """A photo, re-encoded (no EXIF, no GPS), of the report or of an answer's evidence."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    entry = models.ForeignKey(Entry, null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="feedback/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    public = models.BooleanField(default=True, help_text="faces or number plates: keep private")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.file.name


class Follower(models.Model):
    """Someone who follows a report (its reporter, or a citizen whose duplicate was merged) and
    hears its answer."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    phone = models.CharField(max_length=20, blank=True)
    device = models.CharField(max_length=64, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"follower of {self.report_id}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class Extension(models.Model):
    """An agency's request for more time (gia hạn), with its justification."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField()
    justification = models.TextField(max_length=2000)
    status = models.CharField(max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING)
    requested_by = models.CharField(max_length=150)
    requested_at = models.DateTimeField()
    decided_by = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"+{self.days} wd ({self.status})"


class PhoneCode(models.Model):
    """A one-time code sent by text message to sign a citizen in with a phone number (only its hash kept)."""

    phone = models.CharField(max_length=20, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"code for {self.phone[-3:]}"


class AccountLockQuerySet(models.QuerySet):
    def active(self, now=None) -> AccountLockQuerySet:
        from django.utils import timezone

        return self.filter(lifted_at__isnull=True, until__gt=now or timezone.now())


class AccountLock(models.Model):
    """A sender locked from sending reports (tạm khóa gửi phản ánh) after reports of it were refused as
    spam or abuse: a citizen account (``user``), or a sender without an account, known by its verified
    phone number (``phone``) or by the hash of the device key its app sends (``device``). It ends by
    itself at ``until`` or when an administrator lifts it."""

    user = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    phone = models.CharField(max_length=20, blank=True, help_text="a verified phone, for a sender without account")
    device = models.CharField(max_length=64, blank=True, help_text="a hash of the device key, as Report.device")
    reason = models.CharField(max_length=300)
    abusive_reports = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField()
    until = models.DateTimeField()
    locked_by = models.CharField(max_length=150, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.CharField(max_length=150, blank=True)
    lift_reason = models.CharField(max_length=300, blank=True)

    objects = AccountLockQuerySet.as_manager()

    class Meta:
        ordering = ["-locked_at"]
        indexes = [
            models.Index(fields=["user", "until"], name="feedback_lock_user_idx"),
            models.Index(fields=["phone", "until"], name="feedback_lock_phone_idx"),
            models.Index(fields=["device", "until"], name="feedback_lock_device_idx"),
        ]
        verbose_name = _("locked citizen account")

    def __str__(self) -> str:
        who = self.user_id or self.phone or (self.device[:8] and f"device {self.device[:8]}")
        return f"lock of {who} until {self.until:%Y-%m-%d %H:%M}"
