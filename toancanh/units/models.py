"""Administrative units (đơn vị hành chính), their succession across reforms, boundaries and agencies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from toancanh.core.scoping import ScopedQuerySet
from toancanh.core.text import fold

# Resolution 202/2025/QH15 and the two-level local government from 1 July 2025
# (shared/reference/administrative-units.md).
REFORM_2025 = dt.date(2025, 7, 1)


class Level(models.TextChoices):
    PROVINCE = "province", _("Province level")
    DISTRICT = "district", _("District level")
    COMMUNE = "commune", _("Commune level")


class UnitType(models.TextChoices):
    PROVINCE = "tinh", _("Province")
    CENTRAL_CITY = "thanh_pho_tw", _("Centrally-run city")
    URBAN_DISTRICT = "quan", _("Urban district")
    RURAL_DISTRICT = "huyen", _("Rural district")
    TOWN = "thi_xa", _("Town")
    PROVINCIAL_CITY = "thanh_pho_thuoc_tinh", _("Provincial city")
    WARD = "phuong", _("Ward")
    COMMUNE = "xa", _("Commune")
    TOWNSHIP = "thi_tran", _("Township")
    SPECIAL_ZONE = "dac_khu", _("Special zone")


LEVEL_OF_TYPE: dict[str, str] = {
    UnitType.PROVINCE: Level.PROVINCE,
    UnitType.CENTRAL_CITY: Level.PROVINCE,
    UnitType.URBAN_DISTRICT: Level.DISTRICT,
    UnitType.RURAL_DISTRICT: Level.DISTRICT,
    UnitType.TOWN: Level.DISTRICT,
    UnitType.PROVINCIAL_CITY: Level.DISTRICT,
    UnitType.WARD: Level.COMMUNE,
    UnitType.COMMUNE: Level.COMMUNE,
    UnitType.TOWNSHIP: Level.COMMUNE,
    UnitType.SPECIAL_ZONE: Level.COMMUNE,
}
LEVEL_LETTER = {Level.PROVINCE: "p", Level.DISTRICT: "d", Level.COMMUNE: "c"}
LEVEL_DEPTH = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}


def unit_key(edition: str, level: str, code: str) -> str:
    """The stable, readable key of a unit: edition of the code list, level letter and GSO code.

    GSO codes of different levels overlap (province 01, district 001), and the 2025 communes
    reuse codes of former communes (new Phường Hải Vân is 20194, as was Phường Hòa Hiệp Bắc),
    so neither the code nor level+code alone identifies a unit: ``vn34-c20194`` vs ``vn63-c20194``.
    """
    return f"{edition}-{LEVEL_LETTER[level]}{code}"


class UnitQuerySet(ScopedQuerySet):
    scope_unit_path = "path"

    def valid_on(self, day: dt.date) -> UnitQuerySet:
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        )

    def current(self) -> UnitQuerySet:
        from django.utils import timezone

        return self.valid_on(timezone.localdate())

    def search(self, text: str) -> UnitQuerySet:
        """Accent-insensitive search of names: "hiep duc" finds "Hiệp Đức"."""
        q = models.Q()
        for word in fold(text).split():
            q &= models.Q(search_name__contains=word)
        return self.filter(q)

    def subtree_of(self, unit: Unit) -> UnitQuerySet:
        return self.filter(path__startswith=unit.path)


class Unit(models.Model):
    """An administrative unit (đơn vị hành chính): tỉnh, thành phố, quận, huyện, xã, phường, đặc khu …"""

    key = models.CharField(max_length=40, unique=True)
    edition = models.CharField(max_length=16, help_text="the official code list the unit belongs to")
    code = models.CharField(max_length=10, db_index=True, help_text="GSO code")
    level = models.CharField(max_length=10, choices=Level.choices)
    type = models.CharField(max_length=24, choices=UnitType.choices)
    name = models.CharField(max_length=150)
    short_name = models.CharField(max_length=120)
    search_name = models.CharField(max_length=300, editable=False)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=255, editable=False)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    area_km2 = models.FloatField(null=True, blank=True)
    bounds = models.JSONField(null=True, blank=True, help_text="[south, west, north, east]")
    source = models.CharField(max_length=120, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        indexes = [
            models.Index(fields=["path"], name="unit_path_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["level", "valid_to"], name="unit_level_valid_idx"),
            models.Index(fields=["parent", "name"], name="unit_parent_name_idx"),
        ]
        verbose_name = _("administrative unit")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = f"{fold(self.name)} {fold(self.short_name)} {self.code}"
        super().save(*args, **kwargs)

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    @property
    def ancestor_keys(self) -> list[str]:
        return [k for k in self.path.strip("/").split("/")[:-1] if k]


class SuccessionQuerySet(ScopedQuerySet):
    scope_unit_path = "new__path"  # the successor's place (a scope covers the former units its units succeeded)


class Succession(models.Model):
    """Where a former unit went (kế thừa): old unit → new unit, with the share of the old unit it took.

    Figures reported under former units roll up under their successors by these shares.
    """

    old = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successors")
    new = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="predecessors")
    share = models.DecimalField(max_digits=9, decimal_places=6, default=Decimal(1))
    share_estimated = models.BooleanField(
        default=False, help_text="the share is not from an official source (e.g. an equal split)"
    )
    source = models.CharField(max_length=200, blank=True)

    objects = SuccessionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["old", "new"], name="succession_unique_pair"),
            models.CheckConstraint(
                condition=models.Q(share__gt=0) & models.Q(share__lte=1), name="succession_share_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.old.name} → {self.new.name}"

    @property
    def effective_on(self) -> dt.date | None:
        """The day the change took effect: the successor's first day, else the day after the former unit's last."""
        if self.new.valid_from:
            return self.new.valid_from
        return self.old.valid_to + dt.timedelta(days=1) if self.old.valid_to else None


class Boundary(models.Model):
    """The boundary (địa giới hành chính) of a unit as a GeoJSON geometry in WGS 84."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="boundary")
    geometry = models.JSONField()
    display = models.JSONField(help_text="a simplified geometry for maps")
    source = models.CharField(max_length=200, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"boundary of {self.unit.key}"


class AgencyKind(models.TextChoices):
    PEOPLES_COMMITTEE = "ubnd", _("People's Committee")
    DEPARTMENT = "so", _("Department")
    POLICE = "cong_an", _("Police")
    MILITARY = "quan_su", _("Military, border guard")
    HOSPITAL = "benh_vien", _("Hospital, health facility")
    SCHOOL = "truong_hoc", _("School")
    PUBLIC_SERVICE = "su_nghiep", _("Public service unit")
    ENTERPRISE = "doanh_nghiep", _("Enterprise")
    OTHER = "khac", _("Other")


class AgencyQuerySet(ScopedQuerySet):
    scope_unit_path = "unit__path"
    scope_agency = "id"  # a principal tied to an agency sees that agency only

    def search(self, text: str) -> AgencyQuerySet:
        q = models.Q()
        for word in fold(text).split():
            q &= models.Q(search_name__contains=word)
        return self.filter(q)


class Agency(models.Model):
    """An agency (cơ quan, đơn vị): a sở, ban, ngành, the UBND of a commune, police, a hospital …"""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="agencies")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    sectors = models.ManyToManyField("core.Sector", blank=True, related_name="agencies")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.CharField(max_length=255, blank=True)
    active = models.BooleanField(default=True)
    search_name = models.CharField(max_length=300, editable=False)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)
