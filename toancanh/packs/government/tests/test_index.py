import datetime as dt

import pytest
from django.test import override_settings

from toancanh.packs.api import Period, Unit
from toancanh.packs.government import index, services
from toancanh.packs.government.tests.helpers import COMMUNE, LOCAL, at, dossier, setup_world

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 4, 1, 9, tzinfo=LOCAL)
MARCH = Period.month(2026, 3)


def hand_made():
    """Six dossiers of agency A, received 2 March with an appointment on 6 March at 17:00."""
    setup_world()
    two_requests = [{"NgayYeuCau": at(3), "NgayBoSung": at(3, 15)}, {"NgayYeuCau": at(4), "NgayBoSung": at(4, 15)}]
    report = services.store_dossiers([
        dossier("EARLY", NgayKetThucXuLy=at(5, 10)),
        dossier("ON-TIME", NgayKetThucXuLy=at(6, 16), KenhThucHien=1),
        dossier("LATE", NgayKetThucXuLy=at(7, 9), KenhThucHien=1),
        # three working days waiting for a supplement (3 to 7 March) move the appointment to 11 March
        dossier("SUPPLEMENT", NgayKetThucXuLy=at(9, 10), KenhThucHien=1,
                YeuCauBoSung=[{"NgayYeuCau": at(3), "NgayBoSung": at(7)}]),
        # two supplement requests count as overdue even though it ended early
        dossier("TWO-REQUESTS", NgayKetThucXuLy=at(5), YeuCauBoSung=two_requests, KenhThucHien=1),
        dossier("STILL-OPEN", TrangThaiHoSo=4, NgayKetThucXuLy=None, KenhThucHien=1),
        dossier("WITHDRAWN", TrangThaiHoSo=7, NgayKetThucXuLy=None),  # not counted
    ], now=NOW)  # fmt: skip
    assert report.accepted == 7, report.refused


def component(score, cid):
    return next(c for c in score.components if c.spec.id == cid)


def test_on_time_counts_early_on_time_and_supplement_time_excluded_but_not_late_two_requests_or_overdue():
    hand_made()
    (a,) = index.compute("agency", MARCH, now=NOW)
    c = component(a, "2.1")
    assert (c.num, c.den, c.rate, c.score) == (3, 6, 50.0, 10.0)
    counts = index.dossier_counts("agency", MARCH, NOW)[a.key]
    assert (counts["early"], counts["on_time"], counts["late"], counts["overdue"]) == (2, 1, 2, 1)


def test_a_dossier_still_open_is_within_the_deadline_until_its_appointment_passes():
    hand_made()
    before = dt.datetime(2026, 3, 6, 12, tzinfo=LOCAL)
    (a,) = index.compute("agency", MARCH, now=before)
    assert (component(a, "2.1").num, component(a, "2.1").den) == (4, 6)


def test_full_marks_at_the_threshold_proportional_below_and_rounded_to_two_decimals():
    hand_made()
    (a,) = index.compute("agency", MARCH, now=NOW)
    online = component(a, "3.3")  # 1 of 6 online, all synced: 16.67 % of a 50 % threshold of 4 points
    assert (online.rate, online.score) == (16.67, 1.33)
    offered = component(a, "3.1")  # the one procedure handled is offered online: at least 80 % -> full
    assert offered.score == offered.spec.points == 4


@override_settings(GOVERNMENT_SATISFACTION_SOURCE="")
def test_components_without_a_denominator_and_the_satisfaction_group_are_not_applicable():
    hand_made()
    (a,) = index.compute("agency", MARCH, now=NOW)
    fee = component(a, "3.6")
    assert (fee.den, fee.rate, fee.score) == (0, None, None)
    assert all(c.score is None and c.note == "no source yet" for c in a.components if c.spec.group == 5)
    assert a.group(5) == (None, 0)
    assert a.out_of == 100 - 18 - fee.spec.points - component(a, "3.5").spec.points
    assert a.total == pytest.approx(sum(a.group(g)[0] or 0 for g in index.GROUPS), abs=0.011)


def test_the_index_per_commune_and_over_a_year_and_an_empty_period():
    hand_made()
    (commune,) = index.compute("unit", Period.of_year(2026), now=NOW)
    assert commune.key == Unit.objects.get(key=COMMUNE).id
    assert component(commune, "2.1").rate == 50.0
    assert index.compute("agency", Period.month(2026, 4), now=NOW) == []


def test_the_satisfaction_source_fills_group_five_when_named():
    hand_made()
    with override_settings(GOVERNMENT_SATISFACTION_SOURCE="toancanh.packs.government.tests.test_index.satisfaction"):
        (a,) = index.compute("agency", MARCH, now=NOW)
    assert component(a, "5.2").score == 2.5 and component(a, "5.4").score == 6


def satisfaction(by, keys, period):
    return {k: {"5.1": (1, 1), "5.2": (1, 2), "5.3": (0, 0), "5.4": (95, 100)} for k in keys}


def test_points_and_thresholds_of_unconfirmed_components_are_settings():
    hand_made()
    with override_settings(GOVERNMENT_766={"3.3": {"threshold": 10}}):
        (a,) = index.compute("agency", MARCH, now=NOW)
    assert component(a, "3.3").score == 4
