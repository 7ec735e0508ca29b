"""The citizens' app: sending, following, the status page, rating and reopening, the public map."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from toancanh.feedback import handling, services
from toancanh.feedback.models import Report, Status
from toancanh.feedback.tests.conftest import HA_NOI, HAI_CHAU, jpeg, submission


def post_report(client, **change):
    data = {"category": "environment.waste", "description": "Rác thải tồn đọng nhiều ngày ở đầu kiệt 45 Lê Duẩn.",
            "lat": HAI_CHAU[0], "lon": HAI_CHAU[1], "device": "phone-1", "name": "Trần Thị Bình",
            "phone": "0905777888",
            "photos": [SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg"),
                       SimpleUploadedFile("b.jpg", jpeg(), "image/jpeg")], "photo_public": ["1", "0"]} | change  # fmt: skip
    return client.post("/phan-anh/gui/", data)


def test_the_app_page_and_its_pwa_files_are_served(client, agencies):
    r = client.get("/phan-anh/")
    assert r.status_code == 200
    body = r.content.decode()
    assert 'data-testid="report-form"' in body and "Rác thải" in body and "manifest.webmanifest" in body
    manifest = json.loads(client.get("/phan-anh/manifest.webmanifest").content)
    assert manifest["lang"] == "vi" and manifest["start_url"] == "/phan-anh/"
    sw = client.get("/phan-anh/sw.js")
    assert sw.status_code == 200 and b"caches.open" in sw.content and b"__STATIC__" not in sw.content


def test_a_citizen_sends_a_report_and_only_public_things_show(client, agencies):
    r = post_report(client)
    assert r.status_code == 201, r.content
    sent = r.json()
    report = Report.objects.get(code=sent["code"])
    assert sent["token"] == report.token and report.photos.count() == 2
    page = client.get(sent["url"]).content.decode()
    assert report.title in page
    for secret in ("Trần Thị Bình", "0905777888", report.token):
        assert secret not in page
    private = report.photos.get(public=False)
    assert client.get(f"/phan-anh/anh/{private.pk}.jpg").status_code == 404
    public = report.photos.get(public=True)
    photo = client.get(f"/phan-anh/anh/{public.pk}.jpg")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    geo = client.get("/phan-anh/ban-do.json").json()
    assert [f["properties"]["code"] for f in geo["features"]] == [report.code]
    assert "0905777888" not in json.dumps(geo)


def test_bad_submissions_answer_in_vietnamese_and_store_nothing(client, agencies):
    client.cookies["django_language"] = "vi"
    for change, status in [({"category": ""}, 400), ({"lat": HA_NOI[0], "lon": HA_NOI[1]}, 400),
                           ({"photos": [SimpleUploadedFile("x.jpg", b"just text", "image/jpeg")]}, 400),
                           ({"lat": ""}, 400)]:  # fmt: skip
        r = post_report(client, **change)
        assert r.status_code == status and r.json()["error"]
    assert Report.objects.count() == 0


def test_the_phone_that_sent_it_rates_and_reopens_it_and_no_one_else(client, agencies, staff):
    sent = post_report(client).json()
    report = Report.objects.get(code=sent["code"])
    handling.accept(report, by=staff["operator"])
    handling.answer(report, by=staff["hai_chau"], text="Đã thu gom rác.", evidence=[jpeg()])
    page = client.get(sent["url"]).content.decode()
    assert "Đã thu gom rác." in page and 'data-testid="answer-photo"' in page
    r = client.post(f"/phan-anh/tra-cuu/{report.code}/danh-gia/", {"token": "guess", "satisfied": "1"})
    assert Report.objects.get(pk=report.pk).rated_at is None and r.status_code == 302
    client.post(f"/phan-anh/tra-cuu/{report.code}/danh-gia/", {"token": sent["token"], "satisfied": "0",
                                                               "comment": "Vẫn còn rác"})  # fmt: skip
    assert Report.objects.get(pk=report.pk).satisfied is False
    client.post(f"/phan-anh/tra-cuu/{report.code}/mo-lai/", {"token": sent["token"], "reason": "Rác lại đầy."})
    assert Report.objects.get(pk=report.pk).status == Status.REOPENED


def test_open_reports_nearby_are_offered_and_can_be_followed(client, agencies):
    first = services.submit_report(submission("environment.waste", description="Rác thải ùn ứ đầu kiệt 45"))
    r = client.get("/phan-anh/trung/", {"category": "environment.waste", "lat": HAI_CHAU[0] + 0.0005,
                                        "lon": HAI_CHAU[1], "q": "rac thai un u dau kiet"})  # fmt: skip
    assert [i["code"] for i in r.json()["items"]] == [first.code]
    r = client.post(f"/phan-anh/theo-doi/{first.code}/", {"device": "phone-9"})
    assert r.status_code == 200 and first.followers.count() == 2


def test_locate_names_the_commune_or_says_it_is_outside(client, agencies):
    assert client.get("/phan-anh/vi-tri/", {"lat": HAI_CHAU[0], "lon": HAI_CHAU[1]}).json()["name"] == "Phường Hải Châu"
    r = client.get("/phan-anh/vi-tri/", {"lat": HA_NOI[0], "lon": HA_NOI[1]})
    assert r.status_code == 400
    assert "outside" in r.json()["error"] or "ngoài" in r.json()["error"]


def test_categories_are_suggested_as_the_citizen_types_even_without_diacritics(client, agencies):
    items = client.get(
        "/phan-anh/goi-y/", {"q": "rac thai sinh hoat do bay dau kiet nhieu ngay khong ai thu gom"}
    ).json()["items"]
    assert items and items[0]["code"] == "environment.waste" and items[0]["name"] == "Rác thải"
    assert client.get("/phan-anh/goi-y/", {"q": "abc"}).json()["items"] == []


def test_the_public_map_is_kept_per_box_answers_304_to_its_etag_and_shows_a_new_report_after_the_grace(
    client, agencies, monkeypatch
):
    from toancanh.feedback import citizen, handling, services
    from toancanh.feedback.tests.conftest import submission

    clock = [1000.0]
    monkeypatch.setattr(citizen, "_clock", lambda: clock[0])

    box = "/phan-anh/ban-do.json?bbox=108.15,16.0,108.26,16.1"
    first = services.submit_report(submission(device="m1", ip="10.6.0.1"))
    a = client.get(box)
    assert a.status_code == 200 and a["ETag"] and [f["properties"]["code"] for f in a.json()["features"]] == [
        first.code]  # fmt: skip
    assert client.get(box, headers={"If-None-Match": a["ETag"]}).status_code == 304
    second = services.submit_report(submission(device="m2", ip="10.6.0.2"))
    assert client.get(box, headers={"If-None-Match": a["ETag"]}).status_code == 304  # within the grace
    clock[0] += citizen.MAP_GRACE
    b = client.get(box, headers={"If-None-Match": a["ETag"]})
    assert b.status_code == 200 and {f["properties"]["code"] for f in b.json()["features"]} == {first.code, second.code}
    handling.refuse(second, by=None, reason="spam")
    clock[0] += citizen.MAP_GRACE
    assert [f["properties"]["code"] for f in client.get(box).json()["features"]] == [first.code]
    assert client.get("/phan-anh/ban-do.json?bbox=1,2,nan,4").status_code == 400
