"""Submitting, routing, the state machine, duplicates, followers, privacy and bad input."""

from __future__ import annotations

import pytest

from toancanh.core.errors import NotFound, ServiceError
from toancanh.feedback import handling, queries, services
from toancanh.feedback.models import Category, Entry, Follower, Photo, Report, RoutingRule, Status
from toancanh.feedback.tests.conftest import HA_NOI, HAI_CHAU, TAM_KY, jpeg, submission
from toancanh.units.models import Unit


def test_a_sidewalk_report_in_hai_chau_goes_to_the_ward_peoples_committee(agencies):
    report = services.submit_report(submission())
    assert report.unit.key == "vn34-c20242"
    assert report.agency.code == "ubnd-phuong-hai-chau"
    assert report.status == Status.RECEIVED
    assert report.code.startswith("PA") and len(report.code) == 10
    assert report.due_at > report.received_at and report.accept_due_at > report.received_at


@pytest.mark.parametrize(
    ("category", "agency"),
    [
        ("food_safety.unsafe_food", "so-nnmt-danang"),  # the Department of Agriculture and Environment
        ("food_safety.poisoning", "so-y-te-danang"),  # health
        ("traffic.racing", "cong-an-danang"),
        ("infrastructure.road_damage", "so-xay-dung-danang"),
        ("environment.waste", "ubnd-phuong-tam-ky"),
    ],
)
def test_each_category_goes_to_its_responsible_agency(agencies, category, agency):
    report = services.submit_report(submission(category, at=TAM_KY, phone=""))
    assert report.agency.code == agency


def test_an_administrators_routing_rule_wins_over_the_defaults(agencies):
    waste = Category.objects.get(code="environment")
    RoutingRule.objects.create(category=waste, unit=Unit.objects.get(key="vn34-p48"), agency=agencies["so-nnmt-danang"])
    assert services.submit_report(submission("environment.noise", at=TAM_KY)).agency.code == "so-nnmt-danang"
    # A commune's own rule is more specific than the province's.
    RoutingRule.objects.create(category=waste, unit=Unit.objects.get(key="vn34-c20341"),
                               agency=agencies["ubnd-phuong-tam-ky"])  # fmt: skip
    assert services.submit_report(submission("environment.noise", at=TAM_KY, phone="0905000001")).agency.code == (
        "ubnd-phuong-tam-ky"
    )


def test_the_whole_handling_path_from_received_to_closed(agencies, staff):
    report = services.submit_report(submission())
    handling.accept(report, by=staff["operator"])
    handling.assign(report, by=staff["operator"], assignee=staff["hai_chau"])
    handling.start(report, by=staff["hai_chau"])
    handling.note(report, by=staff["hai_chau"], text="Đã liên hệ tổ dân phố, hẹn kiểm tra sáng mai.")
    handling.answer(report, by=staff["hai_chau"], text="Đã lập biên bản và yêu cầu dọn dẹp vỉa hè.",
                    evidence=[jpeg()])  # fmt: skip
    report.refresh_from_db()
    assert report.status == Status.ANSWERED and report.answered_on_time is True
    assert report.photos.filter(entry__isnull=False).count() == 1
    services.rate(report, satisfied=True, comment="Cảm ơn")
    assert Report.objects.get(pk=report.pk).status == Status.CLOSED
    statuses = list(report.entries.filter(kind__in=["status", "answer"]).values_list("status", flat=True))
    assert statuses == ["received", "accepted", "assigned", "in_progress", "answered"]


def test_a_move_the_state_machine_does_not_allow_is_refused_in_words(agencies, staff):
    report = services.submit_report(submission())
    with pytest.raises(ServiceError, match="không thể chuyển sang"):
        handling.answer(report, by=staff["operator"], text="Trả lời trước khi tiếp nhận")
    handling.accept(report, by=staff["operator"])
    handling.refuse(report, by=staff["operator"], reason="spam")
    with pytest.raises(ServiceError):
        handling.accept(report, by=staff["operator"])
    with pytest.raises(ServiceError):
        services.rate(report, satisfied=False)


def test_a_dissatisfied_citizen_reopens_and_closed_not_fixed_is_its_own_end(agencies, staff):
    report = services.submit_report(submission())
    handling.accept(report, by=staff["operator"])
    handling.answer(report, by=staff["hai_chau"], text="Đã nhắc nhở chủ quán.")
    services.rate(report, satisfied=False, comment="Hôm sau vẫn lấn chiếm")
    services.reopen(report, reason="Quán vẫn bày bàn ghế ra vỉa hè.")
    report.refresh_from_db()
    assert report.status == Status.REOPENED and report.reopen_count == 1
    with pytest.raises(ServiceError, match="lý do"):
        handling.close(report, by=staff["hai_chau"], not_fixed=True)
    handling.close(report, by=staff["hai_chau"], not_fixed=True, text="Cần cưỡng chế, vượt thẩm quyền của phường.")
    assert Report.objects.get(pk=report.pk).status == Status.CLOSED_NOT_FIXED


def test_an_officer_acts_only_on_the_reports_of_its_agency(agencies, staff):
    report = services.submit_report(submission())  # Hải Châu's
    with pytest.raises(NotFound):
        handling.accept(report, by=staff["tam_ky"])
    with pytest.raises(ServiceError):
        handling.accept(report, by=staff["leader"])  # a leader watches; does not handle
    assert list(Report.objects.visible_to(staff["tam_ky"])) == []
    assert list(Report.objects.visible_to(staff["hai_chau"])) == [report]
    assert list(Report.objects.visible_to(staff["operator"])) == [report]


def test_a_transfer_needs_a_reason_and_counts_the_deadline_again(agencies, staff):
    report = services.submit_report(submission("security.theft"))
    assert report.agency.code == "cong-an-danang"
    with pytest.raises(ServiceError):
        handling.transfer(report, by=staff["police"], to=agencies["ubnd-phuong-hai-chau"], reason="")
    handling.transfer(report, by=staff["police"], to=agencies["ubnd-phuong-hai-chau"],
                      reason="Việc mất trộm xe đạp trong chung cư do phường giải quyết.")  # fmt: skip
    report.refresh_from_db()
    assert report.agency.code == "ubnd-phuong-hai-chau"
    assert Entry.objects.filter(report=report, kind="transfer", public=False).exists()


def test_a_report_near_an_open_one_of_the_same_category_is_offered_to_follow(agencies, staff):
    first = services.submit_report(submission())
    near = (HAI_CHAU[0] + 0.0008, HAI_CHAU[1])  # about 90 m north
    cat = Category.objects.get(code="urban_order.sidewalk")
    found = queries.duplicates(cat, *near, text="quan nuoc lan chiem via he duong Tran Phu")
    assert [c.report for c in found] == [first]
    assert 80 < found[0].distance_m < 100 and found[0].similarity > 0.2
    # Far away, or another category: nothing offered.
    assert queries.duplicates(cat, HAI_CHAU[0] + 0.01, HAI_CHAU[1]) == []
    assert queries.duplicates(Category.objects.get(code="traffic.parking"), *near) == []
    # Following instead of sending it again; then the answer reaches both.
    services.follow(first, phone="0912000111", device="dev-2")
    second = services.submit_report(submission(at=near, phone="0913000222", device="dev-3"))
    handling.merge(second, into=first, by=staff["operator"])
    second.refresh_from_db()
    assert second.status == Status.REFUSED and second.duplicate_of == first and second.refusal_reason == "duplicate"
    assert Follower.objects.filter(report=first).count() == 3
    handling.accept(first, by=staff["operator"])
    handling.answer(first, by=staff["hai_chau"], text="Đã giải tỏa vỉa hè đường Trần Phú.")
    assert Follower.objects.filter(report=first, notified_at__isnull=False).count() == 3
    from toancanh.feedback.notices import ConsoleSms

    told = {phone for phone, _text in ConsoleSms.sent}
    assert {"0905123456", "0912000111", "0913000222"} <= told


def test_nothing_personal_reaches_the_public_view(agencies, staff):
    report = services.submit_report(submission(photos=[jpeg(), jpeg()], photo_public=[True, False]))
    handling.accept(report, by=staff["operator"])
    handling.note(report, by=staff["operator"], text="Số điện thoại người báo: 0905123456 (nội bộ)")
    data = str(queries.public_dict(report)) + str(queries.public_history(report)) + str(queries.public_photos(report))
    for secret in ("Nguyễn Văn An", "0905123456", "10.0.0.1", report.device, report.token, "nội bộ"):
        assert secret not in data
    assert len(queries.public_photos(report)) == 1


def test_photos_lose_their_exif_and_gps_and_are_turned_upright_and_bounded(agencies):
    from PIL import Image

    report = services.submit_report(submission(photos=[jpeg((3000, 1000), orientation=6)]))
    photo = Photo.objects.get(report=report)
    raw = photo.file.open("rb").read()
    assert b"SecretPhoneMaker" not in raw and b"Exif" not in raw
    with Image.open(photo.file.path) as img:
        assert not img.getexif()
        assert (img.width, img.height) == (683, 2048)  # rotated by its orientation, longer side 2048


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"category": ""}, "hãy chọn lĩnh vực"),
        ({"category": "weather"}, "không có lĩnh vực"),
        ({"at": HA_NOI}, "nằm ngoài"),
        ({"description": "x" * 10_000}, "dài 10000 ký tự"),
        ({"photos": [b"hello, I am a text file named photo.jpg"]}, "không phải là ảnh"),
        ({"photos": [b"\xff\xd8\xff" + b"\0" * (12 * 2**20)]}, "12.0 MB"),
        ({"photos": [jpeg()] * 6}, "tối đa 5 ảnh"),
        ({"phone": "call me"}, "số điện thoại"),
    ],
)
def test_bad_input_is_refused_in_words_and_stores_nothing(agencies, change, message):
    at = change.pop("at", HAI_CHAU)
    with pytest.raises(ServiceError, match=message):
        services.submit_report(submission(at=at, **change))
    assert Report.objects.count() == 0 and Photo.objects.count() == 0 and Entry.objects.count() == 0


def test_a_flood_from_one_phone_is_throttled(agencies):
    for n in range(5):
        services.submit_report(submission(device=f"d{n}", ip=f"10.0.1.{n}"))
    with pytest.raises(services.Throttled, match="5 phản ánh"):
        services.submit_report(submission(device="d9", ip="10.0.1.9"))
    assert Report.objects.count() == 5


def test_a_report_becomes_an_operations_event_without_personal_data(agencies, django_capture_on_commit_callbacks):
    from toancanh.operations.models import Event

    with django_capture_on_commit_callbacks(execute=True):
        report = services.submit_report(submission())
    event = Event.objects.get(source="feedback")
    assert event.type == "feedback.report.received" and event.unit.key == "vn34-c20242"
    assert event.payload["code"] == report.code
    assert "0905123456" not in str(event.payload) and "Nguyễn" not in str(event.payload)
