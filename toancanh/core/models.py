"""Shared models with no domain of their own: sectors (as data) and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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
