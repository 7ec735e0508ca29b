"""The government pack's records: administrative procedures (thủ tục hành chính), one-stop-shop
dossiers (hồ sơ thủ tục hành chính), tasks assigned by the leadership (nhiệm vụ được giao) with their
progress reports and extensions.

Facts after shared/reference/government-performance.md: the national portal's dossier status codes
(TrangThaiHoSo 1…10) and channels (KenhThucHien 1…3) [S]; 766 outcome buckets early / on time / late
with supplement time excluded and more than one supplement request counting as late [S]; the four
official task states (Báo cáo 1270/BC-TCTTTg) [C]. Agencies and units are the core's (``units``),
referred to by name so the pack imports nothing of them.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from toancanh.packs.api import ScopedQuerySet


class Status(models.IntegerChoices):
    """TrangThaiHoSo, the national portal's dossier status [S]."""

    NEW = 1, _("Newly registered")  # Mới đăng ký
    RECEIVED = 2, _("Received")  # Được tiếp nhận
    NOT_RECEIVED = 3, _("Not received")  # Không được tiếp nhận
    PROCESSING = 4, _("Being processed")  # Đang xử lý
    SUPPLEMENT = 5, _("Supplement requested")  # Yêu cầu bổ sung giấy tờ
    FINANCIAL = 6, _("Financial obligation requested")  # Yêu cầu thực hiện nghĩa vụ tài chính
    WITHDRAWN = 7, _("Withdrawn by the citizen")  # Công dân yêu cầu rút hồ sơ
    STOPPED = 8, _("Processing stopped")  # Dừng xử lý
    DONE = 9, _("Processed")  # Đã xử lý xong
    RETURNED = 10, _("Result returned")  # Đã trả kết quả


# Statuses whose dossier is finished (its end date counts); the others are in progress.
FINISHED = frozenset({Status.NOT_RECEIVED, Status.WITHDRAWN, Status.STOPPED, Status.DONE, Status.RETURNED})
# Statuses that never count in the 766 progress group (the dossier was not taken in, or was taken back).
NOT_COUNTED = frozenset({Status.NEW, Status.NOT_RECEIVED, Status.WITHDRAWN})


class Channel(models.IntegerChoices):
    """KenhThucHien [S]."""

    IN_PERSON = 1, _("In person")  # trực tiếp
    ONLINE = 2, _("Online")  # trực tuyến
    POST = 3, _("Public postal service")  # bưu chính công ích


class Outcome(models.IntegerChoices):
    """Where a dossier stands against its appointment (766: trước hạn / đúng hạn / quá hạn)."""

    PENDING = 0, _("In progress, within the deadline")
    EARLY = 1, _("Settled early")
    ON_TIME = 2, _("Settled on time")
    LATE = 3, _("Settled late")
    OVERDUE = 4, _("In progress, overdue")
    NOT_COUNTED = 5, _("Not counted")


class OnlineLevel(models.IntegerChoices):
    """ND 42/2022: online public service in part or whole (toàn trình) [C]."""

    NONE = 0, _("No online service")
    PARTIAL = 1, _("Online in part")
    FULL = 2, _("Online in whole")


class Procedure(models.Model):
    """An administrative procedure (thủ tục hành chính, TTHC) with its publication data (766 group 1)
    and what it offers online (group 3)."""

    code = models.CharField(max_length=40, unique=True, help_text="MaTTHC")
    name = models.CharField(max_length=300)
    online = models.PositiveSmallIntegerField(choices=OnlineLevel.choices, default=OnlineLevel.NONE)
    has_fee = models.BooleanField(default=False)
    fee_synced = models.BooleanField(default=False, help_text="fee data integrated for online payment")
    paper_result = models.BooleanField(default=True, help_text="the procedure returns a paper result")
    announced_on_time = models.BooleanField(default=True)  # 766 1.1
    published_on_time = models.BooleanField(default=True)  # 766 1.2
    complete_parts = models.BooleanField(default=True)  # 766 1.3: all 7 parts published

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DossierQuerySet(ScopedQuerySet):
    scope_unit_path = "unit__path"
    scope_agency = "agency_id"
    scope_sector = None


class Dossier(models.Model):
    """A one-stop-shop dossier (hồ sơ TTHC) as the national portal syncs it. ``due_at`` is the
    appointment moved on by the time spent waiting for the citizen's supplements (that time is
    excluded); ``outcome`` is derived at import (see :func:`services.derive`)."""

    code = models.CharField(max_length=60, unique=True, help_text="MaHoSo")
    # Few indexes (the bulk import's cost): the composite ones below serve agency and unit.
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="dossiers", db_index=False)
    agency = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="+", db_index=False)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", db_index=False)
    status = models.PositiveSmallIntegerField(choices=Status.choices)
    channel = models.PositiveSmallIntegerField(choices=Channel.choices)
    received_at = models.DateTimeField()
    appointment_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(help_text="appointment plus the supplement time")
    supplements = models.JSONField(default=list, blank=True, help_text="[[requested, supplied], …]")
    supplement_count = models.PositiveSmallIntegerField(default=0)
    fee = models.PositiveBigIntegerField(default=0, help_text="VND")
    paid_online = models.PositiveSmallIntegerField(default=0, help_text="0 no, 1 DVCQG, 2 local gateway")
    digitised = models.BooleanField(default=False)
    reused = models.BooleanField(default=False)
    e_result = models.BooleanField(default=False)
    synced = models.BooleanField(default=True, help_text="synced to the national portal")
    outcome = models.PositiveSmallIntegerField(choices=Outcome.choices)
    resolution_days = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=120, blank=True)
    month = models.PositiveIntegerField(help_text="the month received, yyyymm in Việt Nam's time")

    objects = DossierQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["agency", "received_at"]),
            models.Index(fields=["received_at"]),
            models.Index(fields=["outcome", "due_at"]),
        ]

    def __str__(self) -> str:
        return self.code


class DossierMonthQuerySet(ScopedQuerySet):
    scope_unit_path = "unit__path"
    scope_agency = "agency_id"
    scope_sector = None


class DossierMonth(models.Model):
    """The dossiers received in a month by agency, unit and procedure, counted the way the 766 index
    needs them (a roll-up of :class:`Dossier`, rebuilt for the months an import touched)."""

    agency = models.ForeignKey("units.Agency", on_delete=models.CASCADE, related_name="+", db_index=False)
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+", db_index=False)
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+", db_index=False)
    month = models.PositiveIntegerField(db_index=True)
    total = models.PositiveIntegerField(default=0)
    early = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0, help_text="in progress after two supplement requests")
    pending = models.PositiveIntegerField(default=0, help_text="in progress (overdue or not: read the dossiers)")
    online = models.PositiveIntegerField(default=0)
    synced = models.PositiveIntegerField(default=0)
    fee = models.PositiveIntegerField(default=0)
    paid = models.PositiveIntegerField(default=0)
    digitised = models.PositiveIntegerField(default=0, help_text="digitised inputs and an electronic result")
    reused = models.PositiveIntegerField(default=0)
    e_result = models.PositiveIntegerField(default=0)
    days = models.FloatField(default=0, help_text="sum of resolution days")
    settled = models.PositiveIntegerField(default=0)

    objects = DossierMonthQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "unit", "procedure", "month"], name="gov_month_key")]

    def __str__(self) -> str:
        return f"{self.month}: {self.total}"


class DirtyMonth(models.Model):
    """A month whose roll-up must be rebuilt (an import touched its dossiers)."""

    month = models.PositiveIntegerField(primary_key=True)

    def __str__(self) -> str:
        return str(self.month)


class TaskState(models.TextChoices):
    """The four official states of an assigned task [C] (Báo cáo 1270/BC-TCTTTg)."""

    DONE_ON_TIME = "done_on_time", _("Done on time")
    DONE_LATE = "done_late", _("Done late")
    OPEN_ON_TIME = "open_on_time", _("Not done, within the deadline")
    OPEN_OVERDUE = "open_overdue", _("Not done, overdue")


class TaskQuerySet(ScopedQuerySet):
    scope_unit_path = "lead__unit__path"
    scope_agency = "lead_id"
    scope_sector = None


class Task(models.Model):
    """A task assigned by the leadership (nhiệm vụ được giao, QĐ 42/2014 amended by QĐ 23/2018)."""

    code = models.CharField(max_length=60, unique=True)
    title = models.CharField(max_length=500)
    document = models.CharField(max_length=200, blank=True, help_text="the assigning document")
    lead = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="+")
    cooperating = models.ManyToManyField("units.Agency", blank=True, related_name="+")
    assigned_on = models.DateField()
    deadline = models.DateField(help_text="the deadline in force (after extensions)")
    done_on = models.DateField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(default=0, help_text="per cent")

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "code"]

    def __str__(self) -> str:
        return self.title

    def state(self, today: dt.date) -> TaskState:
        return task_state(self.deadline, self.done_on, today)


def task_state(deadline: dt.date, done_on: dt.date | None, today: dt.date) -> TaskState:
    """The official state of a task on ``today``: done on or before its deadline, done after it, not
    done with the deadline not yet past (the deadline day itself is within), or not done and overdue."""
    if done_on is not None:
        return TaskState.DONE_ON_TIME if done_on <= deadline else TaskState.DONE_LATE
    return TaskState.OPEN_ON_TIME if today <= deadline else TaskState.OPEN_OVERDUE


class TaskReport(models.Model):
    """A progress report on a task (báo cáo tiến độ)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    on = models.DateField()
    progress = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["task", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.on}: {self.progress} %"


class TaskExtension(models.Model):
    """An extension of a task's deadline (gia hạn)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="extensions")
    old_deadline = models.DateField()
    new_deadline = models.DateField()
    reason = models.CharField(max_length=500)
    granted_on = models.DateField()

    class Meta:
        ordering = ["task", "granted_on", "pk"]

    def __str__(self) -> str:
        return f"{self.old_deadline} → {self.new_deadline}"


class DocState(models.TextChoices):
    """Where a document stands for its receiving agency (after a real e-office's states [S]:
    chờ tiếp nhận / chờ xử lý, đang xử lý, đã hoàn thành, đã trả lại)."""

    WAITING = "waiting", _("Waiting")
    PROCESSING = "processing", _("Being processed")
    DONE = "done", _("Done")
    RETURNED = "returned", _("Returned")


class DocTimeliness(models.TextChoices):
    """A document against its processing deadline on a day (no national formula [U]: on time is done
    on or before the deadline; a document without a deadline is never late; a returned one is neither)."""

    DONE_ON_TIME = "done_on_time", _("Done on time")
    DONE_LATE = "done_late", _("Done late")
    OPEN_ON_TIME = "open_on_time", _("Not done, within the deadline")
    OPEN_OVERDUE = "open_overdue", _("Not done, overdue")


class DocumentQuerySet(ScopedQuerySet):
    scope_unit_path = "agency__unit__path"
    scope_agency = "agency_id"
    scope_sector = None


class Document(models.Model):
    """An incoming or outgoing document (văn bản đến / văn bản đi, ND 30/2020 [C]) of an agency, from a
    document-management system, with its processing deadline and state."""

    code = models.CharField(max_length=80, unique=True, help_text="the system's id of the document")
    number = models.CharField(max_length=80, blank=True, help_text="số, ký hiệu")
    summary = models.CharField(max_length=500, blank=True, help_text="trích yếu")
    incoming = models.BooleanField(help_text="văn bản đến (else văn bản đi)")
    agency = models.ForeignKey("units.Agency", on_delete=models.PROTECT, related_name="+")
    lead = models.BooleanField(default=True, help_text="the agency leads (chủ trì), else cooperates (phối hợp)")
    dated = models.DateField(help_text="arrival (incoming) or issue (outgoing)")
    deadline = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=12, choices=DocState.choices)
    electronic = models.BooleanField(default=True)
    signed_digitally = models.BooleanField(default=False)
    source = models.CharField(max_length=120, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["agency", "dated"])]

    def __str__(self) -> str:
        return self.number or self.code

    def timeliness(self, today: dt.date) -> DocTimeliness | None:
        if self.state == DocState.DONE:
            late = self.deadline is not None and self.done_on is not None and self.done_on > self.deadline
            return DocTimeliness.DONE_LATE if late else DocTimeliness.DONE_ON_TIME
        if self.state == DocState.RETURNED:
            return None
        overdue = self.deadline is not None and self.deadline < today
        return DocTimeliness.OPEN_OVERDUE if overdue else DocTimeliness.OPEN_ON_TIME
