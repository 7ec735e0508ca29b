"""Monitoring stations (trạm quan trắc) and what they measure, the readings they send, and the hourly
and daily roll-ups of those readings.

Times of readings and buckets are stored as whole seconds since 1970-01-01 UTC (``t``, ``start``): one
integer column, the same on SQLite and PostgreSQL, eight bytes a row, cheap to bucket
(``t - t % 3600``) and to range-partition. Readings never leave the service layer as integers: the API
and pages show them as aware datetimes in Asia/Ho_Chi_Minh. Daily buckets are local days (UTC+7,
which keeps no summer time), so a day's chart matches the day a person means.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from toancanh.core.scoping import ScopedQuerySet
from toancanh.units.models import Agency, Unit


class StationKind(models.TextChoices):
    AIR = "air", _("Air quality")
    WATER = "water", _("Water quality")
    RIVER = "river", _("River level (hydrological)")
    RAIN = "rain", _("Rain gauge")
    WEATHER = "weather", _("Weather")
    OTHER = "other", _("Other sensors")


class StationStatus(models.TextChoices):
    ACTIVE = "active", _("In service")
    MAINTENANCE = "maintenance", _("Under maintenance")
    RETIRED = "retired", _("Retired")


class Quality(models.IntegerChoices):
    """The quality flag of a reading: ``raw`` as received (automatic checks off), ``valid`` when the
    automatic checks (sensor range, spike, flat line) found nothing, ``suspect`` when one did."""

    RAW = 0, _("Raw")
    VALID = 1, _("Valid")
    SUSPECT = 2, _("Suspect")


class StationQuerySet(ScopedQuerySet):
    scope_unit_path = "unit__path"
    scope_agency = "agency_id"


class Station(models.Model):
    """A monitoring station (trạm quan trắc): an automatic air- or water-quality station, a
    hydrological (river-level) station, a rain gauge … at a position, within a unit, run by an agency."""

    code = models.CharField(max_length=40, unique=True, help_text="the code the station's logger sends")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=StationKind.choices)
    lat = models.FloatField()
    lon = models.FloatField()
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="stations")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="stations")
    interval_seconds = models.PositiveIntegerField(default=3600, help_text="expected reporting interval")
    status = models.CharField(max_length=20, choices=StationStatus.choices, default=StationStatus.ACTIVE)
    calibrated_on = models.DateField(null=True, blank=True)
    calibration_notes = models.TextField(blank=True)
    last_reading_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StationQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("monitoring station")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def is_silent(self, now) -> bool:
        """Whether an active station has sent nothing for three reporting intervals."""
        if self.status != StationStatus.ACTIVE:
            return False
        if self.last_reading_at is None:
            return True
        return (now - self.last_reading_at).total_seconds() > 3 * self.interval_seconds


class SensorQuerySet(ScopedQuerySet):
    scope_unit_path = "station__unit__path"
    scope_agency = "station__agency_id"


class Sensor(models.Model):
    """One quantity a station measures (a series): its code among the registry's quantities, an optional
    narrower expected range (outside it a reading is ``suspect``), and the state the spike and
    flat-line checks need (the last reading in time order and how many times it repeated)."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="sensors")
    quantity = models.CharField(max_length=40)
    expected_min = models.FloatField(null=True, blank=True)
    expected_max = models.FloatField(null=True, blank=True)
    last_t = models.BigIntegerField(null=True, blank=True)
    last_value = models.FloatField(null=True, blank=True)
    repeats = models.PositiveIntegerField(default=0, help_text="readings in a row equal to the last")

    objects = SensorQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["station", "quantity"], name="telemetry_sensor_unique")]

    def __str__(self) -> str:
        return f"{self.station_id}:{self.quantity}"


class Reading(models.Model):
    """A raw reading: a sensor's value at a time (seconds since the epoch, UTC). One per sensor and
    time — the primary key: a reading sent again is a duplicate and stored once. On PostgreSQL the
    table is partitioned by month of ``t`` (migration 0002)."""

    pk = models.CompositePrimaryKey("sensor", "t")
    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, db_constraint=False, db_index=False, related_name="+")
    t = models.BigIntegerField()
    value = models.FloatField()
    quality = models.SmallIntegerField(choices=Quality.choices, default=Quality.RAW)

    def __str__(self) -> str:
        return f"{self.sensor_id}@{self.t}={self.value}"


class Rollup(models.Model):
    """A bucket of a sensor's readings: count, min, max, sum and mean (abstract: hourly and daily)."""

    id = models.BigAutoField(primary_key=True)
    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, db_constraint=False, db_index=False, related_name="+")
    start = models.BigIntegerField()
    count = models.IntegerField()
    min = models.FloatField()
    max = models.FloatField()
    sum = models.FloatField()
    mean = models.FloatField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.sensor_id}@{self.start}: {self.count}"


class HourlyRollup(Rollup):  # noqa: DJ008 - its __str__ is the abstract model's
    class Meta:
        constraints = [models.UniqueConstraint(fields=["sensor", "start"], name="telemetry_hourly_unique")]


class DailyRollup(Rollup):  # noqa: DJ008 - its __str__ is the abstract model's
    """A local day (Asia/Ho_Chi_Minh): ``start`` is local midnight, in seconds since the epoch."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sensor", "start"], name="telemetry_daily_unique")]


class RefusalCount(models.Model):
    """How many readings a source sent that were refused, per station and reason (the per-station
    part of the connector's health; the totals and the last refusals are on the connector itself)."""

    source = models.CharField(max_length=120)
    station = models.CharField(max_length=40, help_text="the code as sent (an unknown station too)")
    reason = models.CharField(max_length=30)
    count = models.PositiveBigIntegerField(default=0)
    last_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "station", "reason"], name="telemetry_refusal_unique")]

    def __str__(self) -> str:
        return f"{self.source} {self.station} {self.reason}: {self.count}"
