"""The submission workflow: checks naming the cell, illegal transitions refused, history kept, locks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from toancanh.accounts.tests.factories import StaffFactory
from toancanh.core.errors import Forbidden, NotFound, ServiceError
from toancanh.core.workdays import is_working_day
from toancanh.reporting import services
from toancanh.reporting.formulas import FormulaError
from toancanh.reporting.models import Status, Submission
from toancanh.reporting.queries import shifts_for
from toancanh.reporting.regimes import period_of
from toancanh.reporting.tests.factories import HIEP_DUC, PROVINCE, SPEC, TAM_KY, monthly_regime, unit

pytestmark = pytest.mark.django_db

GOOD = {"01.KY_NAY": "12.500", "02.KY_NAY": 250, "04.KY_NAY": "91,5", "05.KY_NAY": 300, "06.KY_NAY": "ổn định"}


@pytest.fixture
def regime():
    return monthly_regime()


@pytest.fixture
def clerk():
    return StaffFactory(unit=unit(HIEP_DUC), role="operator")


@pytest.fixture
def approver():
    return StaffFactory(unit=unit(PROVINCE), role="operator")


def test_a_clerk_submits_the_approver_returns_the_clerk_corrects_and_the_approver_approves(regime, clerk, approver):
    sub = services.save_submission(by=clerk, regime=regime, unit=unit(HIEP_DUC), period="2025-09", values=GOOD)
    assert sub.status == Status.DRAFT
    values = services.current_values(sub)
    assert values["01.KY_NAY"] == 12500.0 and values["04.KY_NAY"] == 91.5  # Vietnamese number formats read
    assert values["03.KY_NAY"] == 2.0  # the formula computed on the server
    services.submit(by=clerk, submission=sub)
    services.return_submission(by=approver, submission=sub, comment="Kiểm tra lại số hộ nghèo")
    sub.refresh_from_db()
    assert sub.status == Status.RETURNED and sub.comment == "Kiểm tra lại số hộ nghèo"
    services.save_submission(by=clerk, regime=regime, unit=unit(HIEP_DUC), period="2025-09",
                             values={"02.KY_NAY": 200}, submit=True)  # fmt: skip
    sub = services.approve(by=approver, submission=sub)
    assert sub.status == Status.APPROVED
    history = list(sub.revisions.values_list("action", "status", "by"))
    assert [h[:2] for h in history] == [("save", "draft"), ("submit", "submitted"), ("return", "returned"),
                                        ("submit", "submitted"), ("approve", "approved")]  # fmt: skip
    assert sub.revisions.get(number=1).values["02.KY_NAY"] == 250.0  # every version kept
    assert sub.revisions.get(number=5).values["03.KY_NAY"] == 1.6


def test_illegal_transitions_are_refused_with_a_reason(regime, clerk, approver):
    sub = services.save_submission(by=clerk, regime=regime, unit=unit(HIEP_DUC), period="2025-09", values=GOOD)
    with translation.override("vi"):
        with pytest.raises(ServiceError, match="Bản nháp|bản nháp|nháp"):
            services.approve(by=approver, submission=sub)  # a draft cannot be approved
        services.submit(by=clerk, submission=sub)
        with pytest.raises(Forbidden):
            services.approve(by=clerk, submission=sub)  # a clerk does not approve their own report
        with pytest.raises(ServiceError):
            services.save_submission(by=clerk, regime=regime, unit=unit(HIEP_DUC), period="2025-09", values=GOOD)
        with pytest.raises(ServiceError):
            services.return_submission(by=approver, submission=sub, comment="  ")  # a return says why
        services.approve(by=approver, submission=sub)
        with pytest.raises(ServiceError):
            services.save_submission(by=clerk, regime=regime, unit=unit(HIEP_DUC), period="2025-09", values=GOOD)
        with pytest.raises(ServiceError):
            services.reopen(by=approver, submission=sub, reason="")
        with pytest.raises(Forbidden):
            services.reopen(by=clerk, submission=sub, reason="sai số")
        services.reopen(by=approver, submission=sub, reason="Sai số dân số")
    sub.refresh_from_db()
    assert sub.status == Status.RETURNED and sub.revisions.last().action == "reopen"


def test_a_clerk_enters_only_their_own_units_reports(regime, clerk):
    with pytest.raises(Forbidden):
        services.save_submission(by=clerk, regime=regime, unit=unit(TAM_KY), period="2025-09", values=GOOD)
    assert not Submission.objects.exists()


def test_bad_values_are_refused_as_a_whole_naming_every_cell(regime, clerk):
    bad = {**GOOD, "01.KY_NAY": "nhiều", "02.KY_NAY": 2.5, "04.KY_NAY": 120, "03.KY_NAY": 5, "99.KY_NAY": 1}
    with translation.override("vi"), pytest.raises(services.Refused) as caught:
        services.save_submission(by=clerk, regime=regime, unit=unit(HIEP_DUC), period="2025-09", values=bad)
    text = " ".join(caught.value.problems)
    for cell in ("[01.KY_NAY]", "[02.KY_NAY]", "[03.KY_NAY]", "[99.KY_NAY]"):
        assert cell in text
    assert "không phải là số" in text
    assert not Submission.objects.exists()  # nothing partial saved


def test_submission_checks_required_cells_and_rules(regime, clerk):
    sub = services.save_submission(
        by=clerk, regime=regime, unit=unit(HIEP_DUC), period="2025-09", values={"02.KY_NAY": 5}
    )  # fmt: skip  (a draft may be incomplete)
    with translation.override("vi"), pytest.raises(services.Refused) as caught:
        services.submit(by=clerk, submission=sub)
    assert any("[01.KY_NAY]" in p and "bắt buộc" in p for p in caught.value.problems)
    with pytest.raises(services.Refused, match="Số hộ nghèo không thể lớn hơn dân số"):
        services.save_submission(by=clerk, regime=regime, unit=unit(HIEP_DUC), period="2025-09",
                                 values={"01.KY_NAY": 4}, submit=True)  # fmt: skip
    sub.refresh_from_db()
    assert sub.status == Status.DRAFT and sub.revision == 1


def test_a_used_template_version_is_immutable(regime, clerk):
    version = regime.template.versions.get()
    services.ensure_editable(version)
    services.save_submission(by=clerk, regime=regime, unit=unit(HIEP_DUC), period="2025-09", values=GOOD)
    version.refresh_from_db()
    assert version.locked
    with pytest.raises(ServiceError):
        services.ensure_editable(version)
    newer = services.create_template_version(by=None, code=regime.template.code, name="", spec=SPEC)
    assert newer.number == 2


def test_a_template_with_a_cycle_or_an_unknown_cell_is_refused_whole():
    cyclic = {**SPEC, "cells": {**SPEC["cells"], "01.LUY_KE": {"formula": "[02.LUY_KE]"},
                                "02.LUY_KE": {"formula": "[01.LUY_KE] + 1"}}}  # fmt: skip
    with translation.override("vi"), pytest.raises(FormulaError, match=r"\[01.LUY_KE\] → \[02.LUY_KE\]"):
        services.create_template_version(by=None, code="F-BAD", name="x", spec=cyclic)
    unknown = {**SPEC, "rules": [{"expression": "[01.KY_NAY] > [77.KY_NAY]", "message": "x"}]}
    with pytest.raises(FormulaError):
        services.create_template_version(by=None, code="F-BAD", name="x", spec=unknown)
    from toancanh.reporting.models import Template

    assert not Template.objects.filter(code="F-BAD").exists()


def test_shifts_read_the_units_earlier_reports(regime, clerk, approver):
    for month, income in (("2025-07", 100), ("2025-08", 50)):
        sub = services.save_submission(by=clerk, regime=regime, unit=unit(HIEP_DUC), period=month,
                                       values={**GOOD, "05.KY_NAY": income}, submit=True)  # fmt: skip
        services.approve(by=approver, submission=sub)
    sub = services.save_submission(by=clerk, regime=regime, unit=unit(HIEP_DUC), period="2025-09",
                                   values={**GOOD, "05.KY_NAY": 25})  # fmt: skip
    assert services.current_values(sub)["05.LUY_KE"] == 175.0
    assert shifts_for(sub)["PREV"]["05.KY_NAY"] == 50.0


def test_approval_feeds_the_indicator_store(clerk, approver):
    from toancanh.indicators.models import DataValue
    from toancanh.indicators.tests.factories import indicator

    indicator("RPT_POP", unit_aggregation="sum", decimals=0)
    spec = {
        **SPEC,
        "cells": {**SPEC["cells"], "01.KY_NAY": {**SPEC["cells"]["01.KY_NAY"], "indicator_code": "RPT_POP"}},
    }
    regime = monthly_regime("KTXH-FEED", spec)
    sub = services.save_submission(
        by=clerk, regime=regime, unit=unit(HIEP_DUC), period="2025-09", values=GOOD, submit=True
    )
    assert not DataValue.objects.filter(indicator__code="RPT_POP").exists()  # not before approval
    services.approve(by=approver, submission=sub)
    value = DataValue.objects.get(indicator__code="RPT_POP", unit__key=HIEP_DUC, period="2025-09")
    assert float(value.value) == 12500 and value.status == "official"


@pytest.mark.parametrize(
    ("frequency", "code", "window"),
    [
        ("monthly", "2025-06", (dt.date(2025, 5, 15), dt.date(2025, 6, 14))),
        ("monthly", "2025-01", (dt.date(2024, 12, 15), dt.date(2025, 1, 14))),
        ("quarterly", "2025Q1", (dt.date(2024, 12, 15), dt.date(2025, 3, 14))),
        ("quarterly", "2025Q3", (dt.date(2025, 6, 15), dt.date(2025, 9, 14))),
        ("half_yearly", "2025H1", (dt.date(2024, 12, 15), dt.date(2025, 6, 14))),
        ("nine_months", "2025M9", (dt.date(2024, 12, 15), dt.date(2025, 9, 14))),
        ("yearly", "2025", (dt.date(2024, 12, 15), dt.date(2025, 12, 14))),
        ("weekly", "2025-W23", (dt.date(2025, 6, 2), dt.date(2025, 6, 8))),
    ],
)
def test_cutoff_windows_follow_the_decree_09_rules(frequency, code, window):
    assert period_of(frequency, code).window == window


@pytest.mark.django_db
def test_deadlines_count_working_days_after_the_window_per_level():
    p = period_of("monthly", "2025-06")  # the window closes on Saturday 14 June 2025
    commune, province = p.deadline("commune"), p.deadline("province", {"province": 4})
    assert is_working_day(commune) and commune > p.window[1]
    assert province > commune and is_working_day(province)
    with pytest.raises(ServiceError):
        period_of("monthly", "2025Q1")


def test_a_sector_limited_officer_files_and_approves_only_the_regimes_of_their_sector():
    from toancanh.core.models import Sector

    general = monthly_regime()
    health = monthly_regime("YTE-TEST", sector="health")
    health_officer = StaffFactory(unit=unit(PROVINCE), role="operator", sectors=[Sector.objects.get(code="health")])
    health_clerk = StaffFactory(unit=unit(HIEP_DUC), role="operator", sectors=[Sector.objects.get(code="health")])
    general_clerk = StaffFactory(unit=unit(HIEP_DUC), role="operator")
    with pytest.raises(Forbidden):  # a general regime is the commune office's, not the health department's
        services.save_submission(by=health_officer, regime=general, unit=unit(HIEP_DUC), period="2025-09", values=GOOD)
    sent = services.save_submission(
        by=general_clerk, regime=general, unit=unit(HIEP_DUC), period="2025-09", values=GOOD, submit=True
    )
    with pytest.raises((Forbidden, NotFound)):
        services.approve(by=health_officer, submission=sent)
    assert not Submission.objects.visible_to(health_officer).filter(regime=general).exists()
    # the health regime: the health officers file and approve it; an unlimited clerk of the unit may too
    own = services.save_submission(
        by=health_clerk, regime=health, unit=unit(HIEP_DUC), period="2025-09", values=GOOD, submit=True
    )
    assert services.approve(by=health_officer, submission=own).status == Status.APPROVED
    assert Submission.objects.visible_to(health_officer).filter(regime=health).count() == 1
