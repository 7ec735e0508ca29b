"""The core's default rule ``feedback-burst`` (operations' demo) fires on the events the reports
really emit: more than 10 reports of one category in one commune within 24 hours raise one alert,
and the other steps of a report's life (accepted, answered …) are not counted as reports."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from django.utils import timezone

from toancanh.core.registry import DefaultRule, registry
from toancanh.core.scoping import Scope
from toancanh.feedback import handling, services
from toancanh.feedback.tests.conftest import HAI_CHAU, TAM_KY, submission
from toancanh.operations import engine
from toancanh.operations import services as ops
from toancanh.operations.models import Alert, Event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_engine():
    engine.reset()
    yield
    engine.reset()


@pytest.fixture
def burst_rule(db):
    r = registry.get(DefaultRule, "feedback-burst")
    return ops.save_rule(by=None, scope=Scope(everywhere=True), unit="vn34-p48", name=r.name, kind=r.kind,
                         sector_id=r.sector, params=copy.deepcopy(r.params), severity=r.severity,
                         event_type=r.event_type)  # fmt: skip


def send(n, capture, at=HAI_CHAU, category="environment.waste", start=None):
    start = start or timezone.now() - dt.timedelta(hours=3)
    sub = submission(category=category, at=at, phone=f"0905{n:06d}", device=f"dev-{n}", ip=f"10.1.{n // 200}.{n % 200}")
    with capture(execute=True):
        return services.submit_report(sub, now=start + dt.timedelta(minutes=n))


def test_eleven_reports_of_one_category_in_a_commune_in_a_day_raise_one_alert(
    burst_rule, staff, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    reports = [send(n, capture) for n in range(10)]
    for r in reports[:5]:  # five more events of the same commune and category, none of them a new report
        with capture(execute=True):
            handling.accept(r, by=staff["operator"])
    send(20, capture, category="environment.noise")  # another category
    send(21, capture, at=TAM_KY)  # another commune
    assert Event.objects.filter(type="feedback.report.received").count() == 12
    assert Event.objects.filter(type="feedback.report.accepted").count() == 5
    assert Alert.objects.count() == 0
    eleventh = send(30, capture)
    (alert,) = Alert.objects.all()
    assert alert.rule_id == burst_rule.pk
    assert alert.key == f"{eleventh.unit.key}:environment.waste"
    send(31, capture)
    assert Alert.objects.count() == 1


def test_the_events_say_what_the_rule_groups_by_and_nothing_personal(staff, django_capture_on_commit_callbacks):
    r = send(1, django_capture_on_commit_callbacks)
    (e,) = Event.objects.filter(type="feedback.report.received")
    assert (e.sector_id, e.unit.key, e.payload["category"]) == ("feedback", r.unit.key, "environment.waste")
    text = str(e.payload) + e.subject
    assert r.reporter_phone not in text and r.reporter_name not in text and r.description not in text
