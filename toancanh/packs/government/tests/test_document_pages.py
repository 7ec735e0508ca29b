import datetime as dt

import pytest
from django.utils import timezone

from toancanh.packs.government import documents
from toancanh.packs.government.models import Document

pytestmark = pytest.mark.django_db
URL = "/government/documents/"


def _docs():
    """Two agencies' documents: the health department (the cast's agency officer's) and Hiệp Đức's."""
    today = timezone.localdate()
    day = lambda n: (today + dt.timedelta(days=n)).isoformat()  # noqa: E731
    records = [
        {"id": "YT-1", "agency": "so-y-te", "direction": "in", "number": "12/UBND-VP", "summary": "Về việc phòng dịch",
         "date": day(-30), "deadline": day(-20), "state": "done", "done_on": day(-22)},
        {"id": "YT-2", "agency": "so-y-te", "direction": "in", "number": "13/UBND-VP", "summary": "Về việc tiêm chủng",
         "date": day(-30), "deadline": day(-20), "state": "done", "done_on": day(-15)},
        {"id": "YT-3", "agency": "so-y-te", "direction": "in", "number": "14/UBND-VP", "summary": "Về việc báo cáo quý",
         "date": day(-10), "deadline": day(-3), "state": "processing"},
        {"id": "YT-4", "agency": "so-y-te", "direction": "out", "number": "20/SYT-NV", "summary": "Báo cáo kết quả",
         "date": day(-5), "state": "done", "done_on": day(-5), "signed_digitally": True},
        {"id": "HD-1", "agency": "ubnd-hiep-duc", "direction": "in", "number": "7/UBND-KT", "summary": "Về việc hộ nghèo",
         "date": day(-12), "deadline": day(-2), "state": "waiting"},
        {"id": "HD-2", "agency": "ubnd-hiep-duc", "direction": "in", "number": "8/UBND-KT", "summary": "Về việc thiên tai",
         "date": day(-1), "deadline": day(5), "state": "processing"},
    ]  # fmt: skip
    report = documents.store_documents(records, source="test")
    assert report.accepted == 6, report.refused
    return {d.code: d for d in Document.objects.all()}


def _rows(response) -> list[str]:
    text = response.content.decode()
    return [code for code in ("12/UBND-VP", "13/UBND-VP", "14/UBND-VP", "20/SYT-NV", "7/UBND-KT", "8/UBND-KT")
            if f">{code}<" in text]  # fmt: skip


def test_a_leader_lists_every_agencys_documents_with_their_counts_filtered_by_direction_state_and_unit(
    world, django_assert_max_num_queries
):
    _docs()
    leader = world.client("leader")
    with django_assert_max_num_queries(15):
        r = leader.get(URL)
    assert r.status_code == 200
    page = r.content.decode()
    assert len(_rows(r)) == 6
    assert "Văn bản đến, văn bản đi" in page and "Quá hạn xử lý" in page
    totals = r.context["totals"]
    assert (totals["incoming"], totals["outgoing"], totals["on_time"], totals["late"], totals["overdue"]) == (
        5,
        1,
        2,
        1,
        2,
    )
    assert totals["signed_rate"] == 100.0
    assert {a["name"]: a["overdue"] for a in r.context["by_agency"]} == {"Sở Y tế": 1, "UBND xã Hiệp Đức": 1}

    assert _rows(leader.get(URL, {"timeliness": "open_overdue"})) == ["14/UBND-VP", "7/UBND-KT"]
    assert _rows(leader.get(URL, {"timeliness": "done_late"})) == ["13/UBND-VP"]
    assert _rows(leader.get(URL, {"direction": "out"})) == ["20/SYT-NV"]
    assert _rows(leader.get(URL, {"agency": "ubnd-hiep-duc", "state": "waiting"})) == ["7/UBND-KT"]
    within = leader.get(URL, {"unit": "vn34-c20779"})  # xã Hiệp Đức and what is within it
    assert _rows(within) == ["7/UBND-KT", "8/UBND-KT"] and within.context["totals"]["overdue"] == 1

    # a filter's htmx answer carries the rows and, out of band, the counts of what is filtered
    r = leader.get(URL, {"direction": "out"}, headers={"HX-Request": "true"})
    part = r.content.decode()
    assert 'id="results"' in part and 'id="doc-counts"' in part and 'hx-swap-oob="true"' in part
    assert r.context["totals"]["outgoing"] == 1 and r.context["totals"]["incoming"] == 0


def test_an_agency_officer_sees_their_agencys_documents_only(world):
    docs = _docs()
    officer = world.client("officer")
    r = officer.get(URL)
    assert _rows(r) == ["12/UBND-VP", "13/UBND-VP", "14/UBND-VP", "20/SYT-NV"]
    assert r.context["totals"]["total"] == 4
    assert [code for code, _name in r.context["filters"][0]["options"]] == ["so-y-te"]
    assert _rows(officer.get(URL, {"agency": "ubnd-hiep-duc"})) == _rows(r)  # another agency's code: ignored
    assert officer.get(f"{URL}{docs['HD-1'].pk}/").status_code == 404
    detail = officer.get(f"{URL}{docs['YT-3'].pk}/")
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "Về việc báo cáo quý" in text and "Chưa hoàn thành, quá hạn" in text and "Sở Y tế" in text


def test_the_documents_need_the_government_permission(world):
    assert world.client("citizen").get(URL).status_code == 403
    assert world.client("clerk_hiep_duc").get(URL).status_code == 403
    assert world.client("anonymous").get(URL).status_code == 302


def test_the_overview_and_the_navigation_lead_to_the_documents(world):
    _docs()
    r = world.client("leader").get("/government/")
    page = r.content.decode()
    assert r.context["documents"]["overdue"] == 2
    assert f'href="{URL}?timeliness=open_overdue"' in page and f'href="{URL}"' in page
    assert 'href="/government/documents/"' in world.client("leader").get("/").content.decode()
