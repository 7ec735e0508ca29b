"""Demo alert rules and procedures for Đà Nẵng: the situation types and default rules that the
installed packs declare (air quality, flood alarm levels and silent stations in the environment
pack, vessels crossing the fishing boundary in fisheries, budget revenue behind its target in
economy) and the core's own (many citizen reports of one kind in a commune); a draft public
warning for the operator to publish and two channels of the province."""

from __future__ import annotations

import copy

from toancanh.core.registry import DefaultRule, SituationTypeDecl, registry
from toancanh.core.scoping import Scope
from toancanh.operations import services
from toancanh.operations.models import AlertRule, SituationType

# The core's own default rule (citizen reports are a context of the core, not a sector pack's);
# declared in the registry beside the packs' (OperationsConfig.ready).
BUILT_IN_RULES = (
    DefaultRule(
        "feedback-burst", "Nhiều phản ánh cùng loại trong một xã", "count", sector="feedback", severity="Moderate",
        params={"window_seconds": 86400, "more_than": 10, "group_by": "unit_and_category"}, order=60,
        # only new reports: a report's later steps (accepted, answered, rated …) are events too
        event_type="feedback.report.received",
    ),
)  # fmt: skip


def build(unit: str = "vn34-p48") -> int:
    """The situation types and default alert rules that the core and the installed packs declare,
    for the demo province, on a database without rules; then a draft warning and two channels."""
    if AlertRule.objects.exists():
        return 0
    for t in registry.all(SituationTypeDecl):
        SituationType.objects.get_or_create(code=t.code, defaults={
            "name": t.name, "sector_id": t.sector,
            "steps": [{"title": title, "owner": owner, "due_minutes": due} for title, owner, due in t.steps],
        })  # fmt: skip
    everywhere = Scope(everywhere=True)
    rules = registry.all(DefaultRule)
    for r in rules:
        services.save_rule(
            by=None, scope=everywhere, unit=unit, name=r.name, kind=r.kind, sector_id=r.sector,
            params=copy.deepcopy(r.params), severity=r.severity, **({"event_type": r.event_type} if r.event_type else {}),
        )  # fmt: skip
    draft_warning(unit)
    channels()
    return len(rules)


def channels(unit: str = "vn34-p48") -> None:
    """Two channels of the province for its administrator to subscribe people to (nobody is yet)."""
    from toancanh.operations import notifications
    from toancanh.operations.models import Channel
    from toancanh.units.models import Unit

    if Channel.objects.exists():
        return
    province = Unit.objects.get(key=unit)
    notifications.save_channel(name="Thông báo trong ứng dụng", kind="in_app", config={}, unit=province)
    notifications.save_channel(name="Thư điện tử Trung tâm IOC", kind="email", unit=province, config={
        "host": "mail.danang.gov.vn", "port": 587, "sender": "ioc@danang.gov.vn", "username": "ioc",
        "password": "mat-khau-demo", "starttls": True})  # fmt: skip


def draft_warning(unit: str = "vn34-p48") -> None:
    """A draft public warning waiting for the operator to check its CAP message and publish it."""
    from toancanh.operations import warnings
    from toancanh.operations.models import PublicWarning

    if PublicWarning.objects.exists():
        return
    warnings.draft_warning(
        by=None, scope=Scope(everywhere=True), units=[unit], expires_in_hours=48, category="Met",
        event="Mưa lớn, nguy cơ ngập lụt", event_en="Heavy rain, flood risk",
        headline="Cảnh báo mưa lớn và ngập lụt vùng trũng trong 48 giờ tới",
        headline_en="Heavy rain and flooding of low-lying areas in the next 48 hours",
        description="Dự báo mưa 150–250 mm trong 48 giờ; mực nước các sông có thể vượt báo động 2.",
        description_en="150–250 mm of rain forecast in 48 hours; rivers may pass alarm level 2.",
        instruction="Không đi qua ngầm tràn, chằng chống nhà cửa, chuẩn bị di dời khi có lệnh.",
        instruction_en="Do not cross flooded fords, secure houses, be ready to move when told.",
        severity="Severe", urgency="Expected", certainty="Likely",
    )  # fmt: skip


# Readings that cross the demo rules' thresholds when the demo is built: alerts in the operator's
# inbox, a flood situation opened by its rule (Severe) with its procedure, and notifications. A river
# reading carries its alarm class, as the environment pack's crossing events do (Ái Nghĩa's alarm
# III is 9.00 m, Decision 05/2020/QĐ-TTg).
LIVE_READINGS = [
    ("Trạm quan trắc không khí Hòa Khánh", "vn34-c20194", "air_quality", {"pm25": 88.0}, 50),
    ("Trạm quan trắc không khí Tam Kỳ", "vn34-c20341", "air_quality", {"pm25": 71.5}, 35),
    ("Trạm thủy văn Ái Nghĩa (sông Vu Gia)", "vn34-c20341", "water_level", {"level_m": 9.35, "alarm": 3}, 25),
    ("Trạm thủy văn Hiệp Đức (sông Thu Bồn)", "vn34-c20779", "water_level", {"level_m": 4.6, "alarm": 3}, 10),
]


def live_work(unit: str = "vn34-p48") -> int:
    """Work waiting for the demo's people on first sign-in (once): the operator and the leader
    subscribed to the province's in-app channel, alerts raised by readings, a flood situation
    opened by its rule and assigned to the operator, their notifications delivered. Run after
    the demo users exist; returns the number of alerts raised. Other packs' demos may have raised
    alerts already (overdue dossiers and tasks), so "once" means: the demo's own readings are not in."""
    import datetime as dt

    from django.utils import timezone

    from toancanh.accounts.models import User
    from toancanh.operations import notifications
    from toancanh.operations.models import Alert, Event, Situation

    if Event.objects.filter(source="demo").exists():
        return 0
    before = Alert.objects.count()
    everywhere = Scope(everywhere=True)
    people = {u.username: u for u in User.objects.filter(username__in=["vanhanh", "lanhdao"])}
    for username, severity in (("vanhanh", "Moderate"), ("lanhdao", "Severe")):
        if username in people:
            notifications.save_subscription(by=None, scope=everywhere, channel="Thông báo trong ứng dụng",
                                            unit=unit, user=people[username].pk, min_severity=severity)  # fmt: skip
    now = timezone.now()
    rows = [
        {"source": "demo", "source_id": f"demo-{i}", "sector": "environment", "type": kind, "subject": subject,
         "unit": key, "occurred_at": (now - dt.timedelta(minutes=ago)).isoformat(), "payload": payload}
        for i, (subject, key, kind, payload, ago) in enumerate(LIVE_READINGS)
    ]  # fmt: skip
    services.ingest_events(rows, by=None, scope=everywhere)
    flood = Situation.objects.filter(type__code="flood").order_by("opened_at").first()
    if flood is not None and "vanhanh" in people:
        services.assign_situation(flood, by=None, scope=everywhere, users=[people["vanhanh"].pk])
    notifications.deliver_due()
    return Alert.objects.count() - before
