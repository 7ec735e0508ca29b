"""Factories for units' own objects. Units themselves come from the official lists (conftest)."""

from __future__ import annotations

import factory

from toancanh.units.models import Agency, Unit


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"agency-{n}")
    name = factory.Sequence(lambda n: f"Cơ quan thử nghiệm {n}")
    kind = "so"
    unit = factory.LazyFunction(lambda: Unit.objects.get(key="vn34-p48"))
