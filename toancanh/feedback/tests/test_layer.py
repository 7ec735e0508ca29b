"""The open reports as a layer of the wall's map: declared like the packs' layers, scoped, coloured
by the deadline, with no personal data."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from toancanh.feedback import services
from toancanh.feedback.models import Report, Status
from toancanh.feedback.tests.conftest import HAI_CHAU, TAM_KY, submission

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def report(n, at=HAI_CHAU, **fields) -> Report:
    r = services.submit_report(submission(at=at, phone=f"09051234{n:02d}", device=f"dev-{n}", ip=f"10.0.0.{n}",
                                          name="Trần Thị Bí Mật", address="12 Ngõ Riêng"))  # fmt: skip
    Report.objects.filter(pk=r.pk).update(**fields)
    r.refresh_from_db()
    return r


def features(client) -> dict[str, dict]:
    response = client.get("/feedback/reports.geojson")
    assert response.status_code == 200
    return {f["properties"]["code"]: f for f in response.json()["features"]}


def test_the_layer_is_declared_for_staff_who_see_reports(staff):
    layers = signed_in(staff["operator"]).get("/api/v1/layers").json()["items"]
    (layer,) = [la for la in layers if la["code"] == "feedback-open"]
    assert (layer["url"], layer["sector"], layer["pack"]) == ("/feedback/reports.geojson", "feedback", "core")
    assert [colour for _label, colour in layer["legend"]] == ["#d73027", "#fc8d59", "#1a9850"]


def test_open_reports_coloured_by_deadline_without_personal_data(staff):
    now = timezone.now()
    late = report(1, due_at=now - dt.timedelta(hours=1))
    soon = report(2, due_at=now + dt.timedelta(minutes=1))
    fine = report(3, due_at=now + dt.timedelta(days=40))
    marked = report(4, due_at=now + dt.timedelta(days=40), overdue=True)
    answered = report(5, status=Status.ANSWERED)
    got = features(signed_in(staff["operator"]))
    assert {c: f["properties"]["state"] for c, f in got.items()} == {
        late.code: "overdue", soon.code: "due_soon", fine.code: "on_time", marked.code: "overdue"}  # fmt: skip
    assert answered.code not in got
    assert got[late.code]["properties"]["colour"] == "#d73027"
    assert got[fine.code]["geometry"]["coordinates"] == [round(fine.lon, 5), round(fine.lat, 5)]
    text = json.dumps(got, ensure_ascii=False)
    for private in ("Trần Thị Bí Mật", "12 Ngõ Riêng", late.reporter_phone, late.description, late.token):
        assert private not in text


def test_an_agency_officer_sees_only_the_agencys_reports_and_anonymous_nothing(staff):
    here, there = report(1, at=HAI_CHAU), report(2, at=TAM_KY)
    assert here.agency.code == "ubnd-phuong-hai-chau" and there.agency.code == "ubnd-phuong-tam-ky"
    assert set(features(signed_in(staff["hai_chau"]))) == {here.code}
    assert set(features(signed_in(staff["tam_ky"]))) == {there.code}
    assert set(features(signed_in(staff["operator"]))) == {here.code, there.code}
    anonymous = Client().get("/feedback/reports.geojson")
    assert anonymous.status_code == 302 and here.code.encode() not in anonymous.content
