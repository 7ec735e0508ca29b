"""Citizens' reports under /api/v1/feedback/: filters, one report with its history and no personal
data, the officers' steps, refusals in words, an account locked after spam refused through the API."""

from __future__ import annotations

import json

import pytest

from toancanh.feedback import services
from toancanh.feedback.models import AccountLock, Report, Status
from toancanh.feedback.tests.conftest import HAI_CHAU, TAM_KY, submission

pytestmark = pytest.mark.django_db


def post(client, path, body=None):
    return client.post(f"/api/v1{path}", data=json.dumps(body or {}), content_type="application/json")


def test_the_list_filters_by_status_category_and_unit_in_few_queries(world, django_assert_max_num_queries):
    for n in range(6):
        services.submit_report(submission("environment.waste" if n % 2 else "urban_order.sidewalk",
                                          at=TAM_KY if n < 4 else HAI_CHAU, phone=f"09050000{n:02d}",
                                          device=f"d{n}", ip=f"10.3.0.{n}"))  # fmt: skip
    c = world.client("operator")
    with django_assert_max_num_queries(12):
        page = c.get("/api/v1/feedback/reports?limit=100").json()
    assert page["count"] == 6 and len(page["items"]) == 6
    assert c.get("/api/v1/feedback/reports?category=environment").json()["count"] == 3
    assert c.get("/api/v1/feedback/reports?unit=vn34-c20341").json()["count"] == 4
    assert c.get("/api/v1/feedback/reports?status=accepted").json()["count"] == 0
    r = c.get("/api/v1/feedback/reports?status=nonsense")
    assert r.status_code in (400, 422)


def test_an_operator_takes_a_report_through_its_steps_and_no_personal_data_leaves(world):
    report = services.submit_report(submission(at=TAM_KY, name="Nguyễn Văn An", phone="0905123456"))
    c = world.client("operator")
    assert post(c, f"/feedback/reports/{report.code}/accept").json()["status"] == "accepted"
    assert post(c, f"/feedback/reports/{report.code}/start").json()["status"] == "in_progress"
    r = post(c, f"/feedback/reports/{report.code}/answer", {"text": "Đã xử lý xong, vỉa hè thông thoáng."})
    assert r.status_code == 200 and r.json()["answer"].startswith("Đã xử lý")
    done = post(c, f"/feedback/reports/{report.code}/close", {})
    assert done.json()["status"] == "closed"
    detail = c.get(f"/api/v1/feedback/reports/{report.code}").content.decode()
    assert "0905123456" not in detail and "Nguyễn Văn An" not in detail
    assert [e["status"] for e in json.loads(detail)["entries"] if e["kind"] in ("status", "answer")] == [
        "received", "accepted", "in_progress", "answered", "closed"]  # fmt: skip
    again = post(c, f"/feedback/reports/{report.code}/start")
    assert again.status_code == 400 and again.json()["code"] == "invalid" and again.json()["detail"]


def test_three_spam_refusals_through_the_api_lock_the_citizen_account(world):
    citizen = world.users["citizen"]
    c = world.client("operator")
    for n in range(3):
        report = services.submit_report(submission(at=TAM_KY, phone="", device=f"s{n}", ip=f"10.4.0.{n}"),
                                        user=citizen)  # fmt: skip
        assert post(c, f"/feedback/reports/{report.code}/refuse", {"reason": "spam"}).status_code == 200
    assert Report.objects.filter(status=Status.REFUSED).count() == 3
    assert AccountLock.objects.active().filter(user=citizen).exists()
    bad = post(c, f"/feedback/reports/{report.code}/refuse", {"reason": "boring"})
    assert bad.status_code in (400, 422)


def test_each_principal_lists_exactly_the_reports_of_its_scope(world):
    from toancanh.core.tests.access import ListCase, check_contents
    from toancanh.tests.cast import HIEP_DUC
    from toancanh.units.models import Unit

    hiep_duc = Unit.objects.get(key=HIEP_DUC)
    tk = services.submit_report(submission(at=TAM_KY, phone="0905000101", device="c1", ip="10.5.0.1"))
    hd = services.submit_report(submission(at=(hiep_duc.lat, hiep_duc.lon), phone="0905000102", device="c2",
                                           ip="10.5.0.2"))  # fmt: skip
    both = {tk.code, hd.code}
    case = ListCase("/feedback/reports", "code", {
        "leader": both, "operator": both, "admin": both, "admin_health": both,
        "admin_hiep_duc": {hd.code}, "key_tam_ky": {tk.code}, "officer": set(),
    })  # fmt: skip
    mismatches = check_contents(world, [case])
    assert mismatches == [], "\n".join(mismatches)
