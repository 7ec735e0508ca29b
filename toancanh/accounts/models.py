"""Users (staff and citizens) and integrators' API keys, each carrying a role and a scope."""

from __future__ import annotations

import hashlib
import hmac

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from toancanh.accounts.roles import Role, permissions_of
from toancanh.core.scoping import Scope, ScopedQuerySet


class Kind(models.TextChoices):
    STAFF = "staff", _("Staff")
    CITIZEN = "citizen", _("Citizen")


class ScopedPrincipal(models.Model):
    """What users and API keys share: a role, a unit subtree, an optional agency and sectors."""

    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("units.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sectors = models.ManyToManyField("core.Sector", blank=True, related_name="+")

    class Meta:
        abstract = True

    @cached_property
    def scope(self) -> Scope:
        from toancanh.units.queries import scope_paths

        if not self.is_active_principal or not self.role:
            return Scope.nothing()
        if self.unit_id is None:
            return Scope(everywhere=getattr(self, "is_superuser", False))
        return Scope(
            unit_paths=scope_paths(self.unit),
            agency_id=self.agency_id,
            sectors=frozenset(s.code for s in self.sectors.all()),
        )

    @property
    def permissions(self) -> frozenset[str]:
        return permissions_of(self.role) if self.is_active_principal else frozenset()

    def permits(self, code: str) -> bool:
        return code in self.permissions


class PrincipalQuerySet(ScopedQuerySet):
    """Accounts and keys are seen by unit (colleagues to assign work to); administered only where
    their own scope lies within the administrator's (``managed_by``)."""

    scope_unit_path = "unit__path"
    scope_grant_agency = "agency"
    scope_grant_sectors = "sectors__code"


class UserQuerySet(PrincipalQuerySet):
    pass


class StaffUserManager(UserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True


class User(AbstractUser, ScopedPrincipal):
    """A person who signs in: a staff member (cán bộ) with a role and scope, or a citizen (công dân)."""

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STAFF)
    full_name = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=20, blank=True)

    objects = StaffUserManager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(kind="citizen") | models.Q(role=""), name="citizen_has_no_role")
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_active_principal(self) -> bool:
        return self.is_active and self.kind == Kind.STAFF

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def audit_identity(self) -> tuple[User, str]:
        """Who the audit log names for this user's acts."""
        return self, self.get_username()


KEY_PREFIX = "tc_"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiKeyQuerySet(PrincipalQuerySet):
    def usable(self) -> ApiKeyQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiKey(ScopedPrincipal):
    """An integrator's API key (khóa API), sent as ``Authorization: Bearer tc_<id>_<secret>``.

    Only a hash of the secret is stored; the key is shown once, when it is created.
    """

    name = models.CharField(max_length=100, unique=True)
    key_id = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("API key")

    def __str__(self) -> str:
        return self.name

    @property
    def is_active_principal(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())

    def matches(self, secret: str) -> bool:
        return hmac.compare_digest(self.secret_hash, hash_secret(secret))

    def audit_identity(self) -> tuple[User | None, str]:
        """The audit log names a key's acts by the key, and keeps the user who created it."""
        return self.created_by, f"apikey:{self.name}"
