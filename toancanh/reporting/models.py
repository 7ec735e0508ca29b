"""Report forms (biểu mẫu báo cáo), reporting regimes (chế độ báo cáo, Decree 09/2019/NĐ-CP) and the
submissions of reporting units (báo cáo của đơn vị), with their history.

A template (``Template``) has versions; a version holds the layout — sections, rows with the codes
printed on the form, columns — the cells' settings (type, formula, aggregation, indicator) and the
validation rules. A version is immutable once a submission uses it: changes make a new version.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from toancanh.core.periods import Period, PeriodError
from toancanh.core.scoping import ScopedQuerySet


def _period_label(code: str) -> str:
    """A period as people say it in names that people read (the audit log): "Tháng 12/2026"."""
    try:
        return Period.parse(code).label
    except PeriodError:
        return code


class ColumnKind(models.TextChoices):
    THIS_PERIOD = "this_period", _("This period")
    SAME_PERIOD_LAST_YEAR = "last_year", _("Same period last year")
    CHANGE_PERCENT = "change_pct", _("% change")
    YEAR_TO_DATE = "ytd", _("Year to date")
    PLAN = "plan", _("Plan")
    OTHER = "other", _("Other")


class CellType(models.TextChoices):
    NUMBER = "number", _("Number")
    INTEGER = "integer", _("Integer")
    PERCENT = "percent", _("Percent")
    TEXT = "text", _("Text")
    CHOICE = "choice", _("Choice")
    DATE = "date", _("Date")


class Aggregation(models.TextChoices):
    """How a cell consolidates over the reporting units below (DHIS2's aggregation type)."""

    SUM = "sum", _("Sum")
    AVERAGE = "avg", _("Average")
    WEIGHTED = "wavg", _("Weighted average")
    NONE = "none", _("Not consolidated")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("6-monthly")
    NINE_MONTHS = "nine_months", _("9-monthly")
    YEARLY = "yearly", _("Yearly")
    AD_HOC = "ad_hoc", _("Ad hoc")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class Template(models.Model):
    """A report form (biểu mẫu), e.g. "Biểu 01/KTXH"; its content lives in its versions."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TemplateVersion(models.Model):
    """One version of a form. ``locked`` once a submission uses it (then it never changes)."""

    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    note = models.CharField(max_length=300, blank=True)
    locked = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="template_version_unique")]

    def __str__(self) -> str:
        return f"{self.template.code} v{self.number}"


class Section(models.Model):
    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=300)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="section_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Row(models.Model):
    """A criterion (chỉ tiêu) of the form: the code printed in its first column, e.g. ``03`` or ``1.1``."""

    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="rows")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.CASCADE, related_name="rows")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=300)
    measure = models.CharField(max_length=40, blank=True, help_text="đơn vị tính")
    level = models.PositiveSmallIntegerField(default=0, help_text="indent: 0 for a heading's children …")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="row_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Column(models.Model):
    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="columns")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=ColumnKind.choices, default=ColumnKind.THIS_PERIOD)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="column_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Cell(models.Model):
    """The settings of one cell (ô) of a form; a cell without a row here is an entered number that sums."""

    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="cells")
    key = models.CharField(max_length=41, help_text="ROW.COLUMN")
    type = models.CharField(max_length=8, choices=CellType.choices, default=CellType.NUMBER)
    formula = models.CharField(max_length=1000, blank=True)
    required = models.BooleanField(default=False)
    min_value = models.FloatField(null=True, blank=True)
    max_value = models.FloatField(null=True, blank=True)
    choices = models.JSONField(default=list, blank=True, help_text="the options of a choice cell")
    aggregation = models.CharField(max_length=4, choices=Aggregation.choices, default=Aggregation.SUM)
    weight = models.CharField(max_length=41, blank=True, help_text="the cell that weighs a weighted average")
    indicator_code = models.CharField(max_length=40, blank=True, help_text="the indicator an approved value feeds")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="cell_key_unique")]

    def __str__(self) -> str:
        return f"[{self.key}]"


class Rule(models.Model):
    """A validation rule (quy tắc kiểm tra), e.g. ``[01.KY_NAY] >= [02.KY_NAY]``, with its message."""

    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="rules")
    expression = models.CharField(max_length=1000)
    message = models.CharField(max_length=300)
    blocking = models.BooleanField(default=True, help_text="refuse submission (else a warning)")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.expression


class RegimeQuerySet(ScopedQuerySet):
    """Regimes are catalogue data that every filer reads, except that a sector-limited officer sees
    only the regimes of their sectors (a general regime, with no sector, is not theirs)."""

    scope_sector = "sector"


class Regime(models.Model):
    """A reporting regime (chế độ báo cáo, Decree 09/2019/NĐ-CP): which form, how often, who reports
    to whom, the data cut-off window and the deadline per level."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=300)
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="regimes")
    frequency = models.CharField(max_length=12, choices=Frequency.choices)
    reporting_level = models.CharField(max_length=10, blank=True, help_text="every unit of this level reports")
    reporting_units = models.ManyToManyField("units.Unit", blank=True, related_name="+")
    recipient = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    deadline_days = models.JSONField(
        default=dict, blank=True, help_text='working days after the cut-off, per level: {"commune": 1, "province": 3}'
    )
    active = models.BooleanField(default=True)
    sector = models.ForeignKey(
        "core.Sector", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="the sector whose officers file and approve it; empty: a general regime, filed by the units' "
        "general offices (an officer limited to some sectors neither files nor approves it)",
    )  # fmt: skip

    objects = RegimeQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name


class SubmissionQuerySet(ScopedQuerySet):
    scope_unit_path = "unit__path"
    scope_sector = "regime__sector"


class Submission(models.Model):
    """One unit's report for one period of a regime; its current values are ``values``."""

    regime = models.ForeignKey(Regime, on_delete=models.PROTECT, related_name="submissions")
    version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="submissions")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=12)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=150, blank=True)
    comment = models.CharField(max_length=1000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["regime", "unit", "period"], name="submission_unit_period_unique")
        ]
        indexes = [models.Index(fields=["regime", "period", "status"], name="submission_regime_period")]

    def __str__(self) -> str:
        return f"{self.regime.code} · {self.unit.name} · {_period_label(self.period)}"


class SubmissionValue(models.Model):
    """A cell's current value in a submission: a number, or text for text, choice and date cells."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="cell_values")
    key = models.CharField(max_length=41)
    number = models.FloatField(null=True, blank=True)
    text = models.CharField(max_length=1000, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "key"], name="submission_value_unique")]

    def __str__(self) -> str:
        return f"[{self.key}] {self.number if self.number is not None else self.text}"


class SubmissionRevision(models.Model):
    """Every version of a submission (lịch sử): its values and status after each act, who and when."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    action = models.CharField(max_length=12)
    status = models.CharField(max_length=10, choices=Status.choices)
    values = models.JSONField(default=dict)
    comment = models.CharField(max_length=1000, blank=True)
    by = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submission", "number"]
        constraints = [models.UniqueConstraint(fields=["submission", "number"], name="submission_revision_unique")]

    def __str__(self) -> str:
        return f"{self.submission_id} #{self.number} {self.action}"


class Notice(models.Model):
    """A reminder or overdue notice already given for one unit's report of one period (the
    deadline watch claims each by inserting its row, so it is given once)."""

    REMINDER, OVERDUE = "reminder", "overdue"

    regime = models.ForeignKey(Regime, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=12)
    kind = models.CharField(max_length=10)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["regime", "unit", "period", "kind"], name="reporting_notice_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.regime_id} {self.unit_id} {self.period}"


class PeriodLock(models.Model):
    """The closing of one period of a regime (khóa sổ kỳ báo cáo) by the officer of the receiving
    unit: while ``closed``, no report of that period can be saved, submitted, approved, returned or
    reopened. Reopening the period is an explicit act with a reason; both acts are in the audit log,
    the last of each kept here for the pages."""

    regime = models.ForeignKey(Regime, on_delete=models.CASCADE, related_name="locks")
    period = models.CharField(max_length=12)
    closed = models.BooleanField(default=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.CharField(max_length=150, blank=True)
    note = models.CharField(max_length=500, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.CharField(max_length=150, blank=True)
    reopen_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["regime", "period"], name="reporting_period_lock_unique")]

    def __str__(self) -> str:
        state = pgettext_lazy("period", "closed") if self.closed else pgettext_lazy("period", "open")
        return f"{self.regime.code} · {_period_label(self.period)} · {state}"
