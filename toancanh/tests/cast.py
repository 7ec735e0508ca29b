"""The shared cast of the access tests: agencies and one principal per role and scope.

Places (Thành phố Đà Nẵng, since 1 July 2025):
  vn34-p48     Thành phố Đà Nẵng
  vn34-c20779  Xã Hiệp Đức   (formerly in Huyện Hiệp Đức, Tỉnh Quảng Nam)
  vn34-c20341  Phường Tam Kỳ (formerly in Thành phố Tam Kỳ, Tỉnh Quảng Nam)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.test import Client

from toancanh.accounts.tests.factories import CitizenFactory, StaffFactory, api_key
from toancanh.core.models import Sector
from toancanh.units.models import Unit
from toancanh.units.tests.factories import AgencyFactory

PROVINCE, HIEP_DUC, TAM_KY = "vn34-p48", "vn34-c20779", "vn34-c20341"


@dataclass
class Cast:
    units: dict[str, Unit]
    agencies: dict[str, Any]
    users: dict[str, Any]
    keys: dict[str, tuple[Any, str]]
    clients: dict[str, Client] = field(default_factory=dict)

    def client(self, who: str) -> Client:
        """A client acting as ``who``: anonymous, a signed-in user, or an API key."""
        if who not in self.clients:
            if who in self.keys:
                c = Client(headers={"Authorization": f"Bearer {self.keys[who][1]}"})
            else:
                c = Client()
                if who in self.users:
                    c.force_login(self.users[who])
            self.clients[who] = c
        return self.clients[who]


def build_cast() -> Cast:
    units = {k: Unit.objects.get(key=k) for k in (PROVINCE, HIEP_DUC, TAM_KY)}
    health = Sector.objects.get(code="health")
    agencies = {
        "health_dept": AgencyFactory(code="so-y-te", name="Sở Y tế", unit=units[PROVINCE]),
        "hiep_duc": AgencyFactory(code="ubnd-hiep-duc", name="UBND xã Hiệp Đức", kind="ubnd", unit=units[HIEP_DUC]),
        "tam_ky": AgencyFactory(code="ubnd-tam-ky", name="UBND phường Tam Kỳ", kind="ubnd", unit=units[TAM_KY]),
    }
    agencies["health_dept"].sectors.set([health])
    users = {
        "citizen": CitizenFactory(),
        "leader": StaffFactory(role="leader", unit=units[PROVINCE]),
        "operator": StaffFactory(role="operator", unit=units[PROVINCE]),
        "officer": StaffFactory(
            role="agency_officer", unit=units[PROVINCE], agency=agencies["health_dept"], sectors=[health]
        ),
        "clerk_hiep_duc": StaffFactory(role="reporting_clerk", unit=units[HIEP_DUC], agency=agencies["hiep_duc"]),
        "admin": StaffFactory(role="admin", unit=units[PROVINCE]),
        "admin_hiep_duc": StaffFactory(role="admin", unit=units[HIEP_DUC]),
        # An administrator of the whole province, limited to the health sector.
        "admin_health": StaffFactory(role="admin", unit=units[PROVINCE], sectors=[health]),
        "operator_tam_ky": StaffFactory(role="operator", unit=units[TAM_KY]),
    }
    keys = {
        "key_tam_ky": api_key("tam-ky-integration", "operator", TAM_KY),
        "key_tam_ky_spare": api_key("tam-ky-spare", "operator", TAM_KY),
    }
    return Cast(units=units, agencies=agencies, users=users, keys=keys)
