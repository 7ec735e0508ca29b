"""The staff pages: the inbox per agency, a report's acts, the answer page, categories, rules, statistics."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from toancanh.feedback import services
from toancanh.feedback.models import Category, Report, RoutingRule, Status
from toancanh.feedback.tests.conftest import jpeg, submission


def signed_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_each_agency_sees_its_own_inbox_and_a_stranger_gets_404(agencies, staff):
    mine = services.submit_report(submission())
    other = services.submit_report(submission("security.theft", phone="0905000002", device="d2", ip="10.0.0.2"))
    page = signed_in(staff["hai_chau"]).get("/feedback/reports/").content.decode()
    assert mine.code in page and other.code not in page
    assert signed_in(staff["tam_ky"]).get(f"/feedback/reports/{mine.pk}/").status_code == 404
    ops = signed_in(staff["operator"]).get("/feedback/reports/?open=1").content.decode()
    assert mine.code in ops and other.code in ops
    assert Client().get("/feedback/reports/").status_code in (302, 403)


def test_the_reporter_is_hidden_from_the_agency_until_the_ioc_shares_it(agencies, staff):
    report = services.submit_report(submission())
    officer, operator = signed_in(staff["hai_chau"]), signed_in(staff["operator"])
    assert "0905123456" not in officer.get(f"/feedback/reports/{report.pk}/").content.decode()
    assert "0905123456" in operator.get(f"/feedback/reports/{report.pk}/").content.decode()
    assert officer.post(f"/feedback/reports/{report.pk}/share/").status_code == 403
    operator.post(f"/feedback/reports/{report.pk}/share/")
    assert "0905123456" in officer.get(f"/feedback/reports/{report.pk}/").content.decode()


def test_accept_assign_and_answer_with_a_photo_through_the_pages(agencies, staff):
    report = services.submit_report(submission())
    operator, officer = signed_in(staff["operator"]), signed_in(staff["hai_chau"])
    assert operator.post(f"/feedback/reports/{report.pk}/accept/").status_code == 302
    operator.post(f"/feedback/reports/{report.pk}/assign/", {"assignee": staff["hai_chau"].pk})
    assert Report.objects.get(pk=report.pk).status == Status.ASSIGNED
    officer.post(f"/feedback/reports/{report.pk}/note/", {"text": "Hẹn kiểm tra lúc 8 giờ."})
    r = officer.post(
        f"/feedback/reports/{report.pk}/answer/",
        {"text": "Đã giải tỏa vỉa hè.", "photos": [SimpleUploadedFile("a.jpg", jpeg())]},
    )
    assert r.status_code == 302, r.content.decode()[-2000:]
    report.refresh_from_db()
    assert report.status == Status.ANSWERED and report.photos.filter(entry__isnull=False).count() == 1
    # A text file named .jpg is refused beside the form, and the answer is not published.
    other = services.submit_report(submission(phone="0905000003", device="d3", ip="10.0.0.3"))
    operator.post(f"/feedback/reports/{other.pk}/accept/")
    r = officer.post(
        f"/feedback/reports/{other.pk}/answer/", {"text": "Đã xử lý.", "photos": [SimpleUploadedFile("b.jpg", b"text")]}
    )
    assert r.status_code == 200 and Report.objects.get(pk=other.pk).status == Status.ACCEPTED


def test_administrators_edit_categories_and_rules_and_others_cannot(agencies, staff):
    admin, officer = signed_in(staff["admin"]), signed_in(staff["hai_chau"])
    cat = Category.objects.get(code="environment.waste")
    data = {"name": "Rác thải sinh hoạt", "agency_kind": "ubnd", "agency_level": "commune", "urgency": "urgent",
            "deadline_value": 1, "deadline_unit": "days", "active": "on"}  # fmt: skip
    assert officer.post(f"/feedback/categories/{cat.pk}/edit/", data).status_code == 404
    assert admin.post(f"/feedback/categories/{cat.pk}/edit/", data).status_code == 302
    cat.refresh_from_db()
    assert cat.name == "Rác thải sinh hoạt" and cat.deadline_value == 1
    r = admin.post("/feedback/rules/new/", {"category": cat.pk, "unit": "vn34-c20341",
                                           "agency": agencies["so-nnmt-danang"].pk, "active": "on"})  # fmt: skip
    assert r.status_code == 302, r.content.decode()[-1500:]
    assert RoutingRule.objects.get().agency.code == "so-nnmt-danang"


def test_statistics_show_the_group_5_rates(agencies, staff):
    from toancanh.feedback import handling

    a = services.submit_report(submission())
    handling.accept(a, by=staff["operator"])
    handling.answer(a, by=staff["hai_chau"], text="Đã xử lý xong.")
    services.rate(a, satisfied=True)
    b = services.submit_report(submission(phone="0905000004", device="d4", ip="10.0.0.4"))
    handling.accept(b, by=staff["operator"])
    handling.answer(b, by=staff["hai_chau"], text="Đã nhắc nhở.")
    services.rate(b, satisfied=False)
    services.submit_report(submission(phone="0905000005", device="d5", ip="10.0.0.5"))  # open, not yet due: good
    page = signed_in(staff["leader"]).get("/feedback/statistics/").content.decode()
    assert "100.0 %" in page or "100,0 %" in page  # on time: 2 of 2 answered
    assert "66.7 %" in page or "66,7 %" in page  # satisfaction: 3 − 1 dissatisfied, of 3
