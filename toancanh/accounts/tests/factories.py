"""Factories for accounts: staff users of any role and scope, citizens, API keys."""

from __future__ import annotations

import factory

from toancanh.accounts.models import Kind, User
from toancanh.accounts.services import create_api_key
from toancanh.core.scoping import Scope

PASSWORD = "correct-horse-42"


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    kind = Kind.STAFF
    role = "operator"
    full_name = factory.Faker("name", locale="vi_VN")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.sectors.set(extracted)
        if create:
            self.save()


class CitizenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"citizen{n}")
    kind = Kind.CITIZEN
    role = ""
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        if create:
            self.save()


def api_key(name: str, role: str, unit: str, agency: str | None = None) -> tuple:
    """An API key and its plain text, created the way an administrator creates one."""
    return create_api_key(by=None, scope=Scope(everywhere=True), name=name, role=role, unit=unit, agency=agency)
