"""One demo account per role (and a citizen), with passwords printed by `toancanh demo`."""

from __future__ import annotations

from toancanh.accounts import services
from toancanh.accounts.models import User
from toancanh.accounts.roles import Role
from toancanh.core.scoping import Scope

# (username, password, role, unit, agency, sectors, full name)
DEMO_USERS = [
    ("lanhdao", "lanhdao@2025", Role.LEADER, "vn34-p48", None, [], "Nguyễn Văn Lãnh (Lãnh đạo UBND thành phố)"),
    ("vanhanh", "vanhanh@2025", Role.OPERATOR, "vn34-p48", None, [], "Trần Thị Vân (Vận hành IOC)"),
    ("canbo.yte", "canbo.yte@2025", Role.AGENCY_OFFICER, None, "so-y-te-danang", ["health"], "Lê Minh Y (Sở Y tế)"),
    (
        "thongke.hiepduc",
        "thongke@2025",
        Role.REPORTING_CLERK,
        "vn34-c20779",
        "ubnd-xa-hiep-duc",
        [],
        "Phạm Thị Kê (Thống kê xã Hiệp Đức)",
    ),
    ("quantri", "quantri@2025", Role.ADMIN, "vn34-p48", None, [], "Hoàng Quản Trị (Quản trị hệ thống)"),
]
DEMO_CITIZEN = ("congdan", "congdan@2025", "Võ Công Dân")


def create_users() -> list[tuple[str, str, str]]:
    """Create the demo accounts that do not exist yet; returns (username, password, role) of all."""
    out = []
    for username, password, role, unit, agency, sectors, name in DEMO_USERS:
        if not User.objects.filter(username=username).exists():
            services.create_staff_user(
                by=None,
                scope=Scope(everywhere=True),
                username=username,
                password=password,
                role=role,
                unit=unit,
                agency=agency,
                sectors=sectors,
                full_name=name,
            )
        out.append((username, password, str(Role(role).label)))
    username, password, name = DEMO_CITIZEN
    if not User.objects.filter(username=username).exists():
        services.create_citizen(username=username, password=password, full_name=name)
    out.append((username, password, "Công dân"))
    return out
