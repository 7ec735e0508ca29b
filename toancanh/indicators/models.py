"""Socio-economic indicators (chỉ tiêu kinh tế – xã hội): catalogue, data values, targets, roll-ups."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from toancanh.core.models import VersionCounter
from toancanh.core.periods import PeriodType
from toancanh.core.scoping import ScopedQuerySet


class UnitAggregation(models.TextChoices):
    SUM = "sum", _("Sum")
    AVERAGE = "avg", _("Average")
    WEIGHTED_AVERAGE = "wavg", _("Weighted average")
    MIN = "min", _("Minimum")
    MAX = "max", _("Maximum")
    NONE = "none", _("Not aggregated")


class TimeAggregation(models.TextChoices):
    SUM = "sum", _("Sum")
    AVERAGE = "avg", _("Average")
    END_OF_PERIOD = "last", _("End of period")
    MAX = "max", _("Maximum")


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "up", _("Higher is better")
    LOWER_IS_BETTER = "down", _("Lower is better")


class ValueStatus(models.TextChoices):
    ESTIMATE = "estimate", _("Estimate")
    PRELIMINARY = "preliminary", _("Preliminary")
    OFFICIAL = "official", _("Official")


PERIOD_TYPES = [(t.value, t.value) for t in PeriodType]


class Category(models.Model):
    """A disaggregation (phân tổ): sex, urban/rural, ownership …"""

    code = models.SlugField(max_length=40, unique=True)
    name_vi = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)

    def __str__(self) -> str:
        return self.name_vi


class CategoryOption(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="options")
    code = models.SlugField(max_length=40)
    name_vi = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["category", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="category_option_unique")]

    def __str__(self) -> str:
        return self.name_vi


class IndicatorQuerySet(ScopedQuerySet):
    """Indicators are catalogue data; a principal limited to sectors sees those sectors' only."""

    scope_sector = "sector"


class Indicator(models.Model):
    """An indicator (chỉ tiêu) of the catalogue, with how it aggregates over units and time."""

    code = models.CharField(max_length=40, unique=True, help_text="upper-case letters, digits and _")
    name_vi = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    measure = models.CharField(max_length=40, help_text="unit of measure (đơn vị tính): tỷ đồng, %, người …")
    sector = models.ForeignKey("core.Sector", on_delete=models.PROTECT, related_name="indicators")
    period_type = models.CharField(max_length=10, choices=PERIOD_TYPES)
    unit_aggregation = models.CharField(max_length=5, choices=UnitAggregation.choices, default=UnitAggregation.SUM)
    weight = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="for weighted averages"
    )
    time_aggregation = models.CharField(max_length=5, choices=TimeAggregation.choices, default=TimeAggregation.SUM)
    direction = models.CharField(max_length=4, choices=Direction.choices, default=Direction.HIGHER_IS_BETTER)
    decimals = models.PositiveSmallIntegerField(default=0)
    source = models.CharField(max_length=200, blank=True)
    legal_basis = models.CharField(max_length=200, blank=True)
    formula = models.CharField(max_length=500, blank=True, help_text="for derived indicators, e.g. GRDP / POP")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="indicators")
    min_value = models.DecimalField(
        max_digits=24, decimal_places=6, null=True, blank=True,
        help_text="lowest valid figure (0 for counts, −100 for a growth rate); empty: 0 for entered figures",
    )  # fmt: skip
    max_value = models.DecimalField(
        max_digits=24, decimal_places=6, null=True, blank=True, help_text="highest valid figure (100 for a share)"
    )
    green_at = models.DecimalField(max_digits=6, decimal_places=2, default=100, help_text="completion % for green")
    amber_at = models.DecimalField(max_digits=6, decimal_places=2, default=90, help_text="completion % for amber")
    order = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["sector__order", "order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name_vi}"

    @property
    def is_derived(self) -> bool:
        return bool(self.formula)

    @property
    def valid_range(self) -> tuple[float | None, float | None]:
        """The range a figure (or a forecast) of this indicator can take: as the catalogue sets it;
        failing that, entered figures (counts, sums, levels, rates) are never negative."""
        low = float(self.min_value) if self.min_value is not None else (None if self.is_derived else 0.0)
        return low, None if self.max_value is None else float(self.max_value)

    @property
    def localized(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi


class DataValueQuerySet(ScopedQuerySet):
    scope_unit_path = "unit__path"
    scope_sector = "indicator__sector"


class DataValue(models.Model):
    """A figure as entered (số liệu): indicator × unit × period × category option."""

    # No index of their own: the unique key and the (unit, period) index lead with them already,
    # and every index less is one B-tree less to write for each imported figure.
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values", db_index=False)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", db_index=False)
    period = models.CharField(max_length=10)
    period_start = models.DateField()
    option = models.CharField(max_length=40, blank=True, default="", help_text="category option code; '' = total")
    value = models.DecimalField(max_digits=24, decimal_places=6)
    status = models.CharField(max_length=12, choices=ValueStatus.choices, default=ValueStatus.PRELIMINARY)
    source = models.CharField(max_length=200, blank=True)
    entered_by = models.CharField(max_length=150, blank=True)
    entered_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DataValueQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit", "period", "option"], name="datavalue_unique")
        ]
        indexes = [
            models.Index(fields=["unit", "period"], name="datavalue_unit_period"),
            models.Index(fields=["indicator", "period"], name="datavalue_indicator_period"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.indicator_id} {self.unit_id} {self.period}{' ' + self.option if self.option else ''}: {self.value}"
        )


class DataValueCorrection(models.Model):
    """One change of a data value (đính chính): the history of corrections."""

    data_value = models.ForeignKey(DataValue, on_delete=models.CASCADE, related_name="corrections")
    old_value = models.DecimalField(max_digits=24, decimal_places=6, null=True)
    new_value = models.DecimalField(max_digits=24, decimal_places=6)
    old_status = models.CharField(max_length=12, blank=True)
    new_status = models.CharField(max_length=12)
    source = models.CharField(max_length=200, blank=True)
    corrected_by = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.old_value} → {self.new_value} ({self.at:%Y-%m-%d})"


class TargetKind(models.TextChoices):
    """How an official target is worded: "đạt ít nhất", "không vượt quá", or a band "từ … đến …"."""

    AT_LEAST = "at_least", _("At least")
    AT_MOST = "at_most", _("At most")
    RANGE = "range", _("Range")


class TargetQuerySet(ScopedQuerySet):
    scope_unit_path = "unit__path"


class Target(models.Model):
    """A yearly target (chỉ tiêu kế hoạch) of an indicator for a unit, as officials set it: a floor
    ("đạt ít nhất", ``value``), a ceiling ("không vượt quá", ``value``) or a range ("7,5–8,0 %",
    ``value`` to ``upper``); e.g. NQ 43/NQ-HĐND Đà Nẵng 2026 "GRDP tăng từ 11 % trở lên"."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=8, choices=TargetKind.choices, default=TargetKind.AT_LEAST)
    value = models.DecimalField(
        max_digits=24, decimal_places=6, help_text="the floor, the ceiling or a range's low end"
    )
    upper = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True, help_text="a range's high end")
    note = models.CharField(max_length=200, blank=True)
    set_by = models.CharField(max_length=150, blank=True)
    set_at = models.DateTimeField(auto_now=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "unit", "year"], name="target_unique")]

    def __str__(self) -> str:
        return str(
            _("Target of %(indicator)s for %(unit)s in %(year)s: %(value)s")
            % {"indicator": self.indicator.code, "unit": self.unit.name, "year": self.year, "value": self.value}
        )


class RollupValue(models.Model):
    """The figure readers see for a unit and period (số liệu tổng hợp): the entered value where
    there is one, otherwise aggregated from the unit's children or from the former units it
    succeeded; coarser periods aggregated over time; derived indicators by their formula.
    Rebuilt by the roll-up engine, never entered by hand. ``reason`` says why ``value`` is empty."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", db_index=False)
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+", db_index=False)
    period = models.CharField(max_length=10)
    period_type = models.CharField(max_length=10)
    option = models.CharField(max_length=40, blank=True, default="")
    value = models.DecimalField(max_digits=24, decimal_places=6, null=True)
    reason = models.CharField(max_length=120, blank=True)
    complete = models.BooleanField(default=True, help_text="false when a period-to-date value lacks sub-periods")
    entered = models.BooleanField(default=False, help_text="the unit's own entered value, not a computed one")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "period", "indicator", "option"], name="rollup_unique")]
        indexes = [models.Index(fields=["indicator", "period"], name="rollup_indicator_period")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.unit_id} {self.period}: {self.value}"


class OverviewFigure(models.Model):
    """One indicator's overview figure for a unit, as the overview of ``year`` shows it: the
    latest figure of the year, the same period last year, the year to date (by the indicator's
    own time aggregation) and a sparkline. Precomputed by the roll-up engine for the slices it
    rebuilds (see :mod:`toancanh.indicators.overview_store`); targets and judgements are applied
    when read, so a changed target needs no rebuild. A slice marked dirty is read live instead."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+", db_index=False)
    year = models.PositiveSmallIntegerField()
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", db_index=False)
    period = models.CharField(max_length=10)
    value = models.FloatField(null=True)
    reason = models.CharField(max_length=120, blank=True)
    year_to_date = models.FloatField(null=True)
    year_to_date_complete = models.BooleanField(default=False)
    last_year = models.FloatField(null=True)
    spark = models.TextField(default="[]", help_text="the latest values, oldest first, as JSON")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year", "indicator"], name="overview_figure_unique")]
        indexes = [models.Index(fields=["indicator", "year"], name="overview_figure_indicator_year")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.unit_id} {self.year}: {self.year_to_date}"


class OverviewYear(models.Model):
    """That the overview figures of an indicator's ``year`` were built for every unit (a year
    not built is read live)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", db_index=False)
    year = models.PositiveSmallIntegerField()
    built_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "indicator"], name="overview_year_unique")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}"


class RollupState(VersionCounter):
    """The figures' version: it rises whenever figures change, so caches of pages know they are stale."""

    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"figures version {self.version}"


class DirtySlice(models.Model):
    """An (indicator, year) slice whose figures changed since its roll-ups were built: marked in the
    transaction that stores the figures, rebuilt by the job runner (task ``indicators.recompute``).
    ``version`` rises with every mark, so a mark made while a worker rebuilds the slice survives it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", db_index=False)
    year = models.PositiveSmallIntegerField()
    version = models.PositiveIntegerField(default=1)
    marked_at = models.DateTimeField()
    claimed_by = models.CharField(max_length=200, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="one_dirty_slice")]

    def __str__(self) -> str:
        return f"dirty {self.indicator_id} {self.year}"


class DirtySeries(models.Model):
    """A unit's series of an indicator whose figures changed, waiting for its anomaly check."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", db_index=False)
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+", db_index=False)
    version = models.PositiveIntegerField(default=1)
    marked_at = models.DateTimeField()
    claimed_by = models.CharField(max_length=200, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "unit"], name="one_dirty_series")]

    def __str__(self) -> str:
        return f"unchecked {self.indicator_id} {self.unit_id}"


class AnomalyFlagQuerySet(ScopedQuerySet):
    scope_unit_path = "unit__path"
    scope_sector = "indicator__sector_id"


class AnomalyFlag(models.Model):
    """A stored figure far outside its own series' history (số liệu bất thường), as the job runner's
    anomaly check found it after the figure was filed (see forecast.anomalies)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", db_index=False)
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+", db_index=False)
    period = models.CharField(max_length=10)
    z = models.FloatField()
    found_at = models.DateTimeField(db_index=True)

    objects = AnomalyFlagQuerySet.as_manager()

    class Meta:
        ordering = ["-found_at", "indicator", "unit", "period"]
        constraints = [models.UniqueConstraint(fields=["indicator", "unit", "period"], name="one_anomaly_flag")]

    def __str__(self) -> str:
        return f"unusual {self.indicator_id} {self.unit_id} {self.period} (z = {self.z:.1f})"
