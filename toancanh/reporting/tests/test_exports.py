"""Export upward: a DHIS2 dataValueSets document and an ADX document of an approved report."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest

from toancanh.accounts.tests.factories import StaffFactory
from toancanh.reporting import exports, services
from toancanh.reporting.regimes import period_of
from toancanh.reporting.tests.factories import HIEP_DUC, PROVINCE, monthly_regime, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved():
    regime = monthly_regime()
    clerk = StaffFactory(unit=unit(HIEP_DUC))
    values = {"01.KY_NAY": 12500, "02.KY_NAY": 250, "04.KY_NAY": 91.5, "05.KY_NAY": 300, "06.KY_NAY": "ổn định"}
    sub = services.save_submission(
        by=clerk, regime=regime, unit=unit(HIEP_DUC), period="2025-06", values=values, submit=True
    )
    return services.approve(by=StaffFactory(unit=unit(PROVINCE)), submission=sub)


def test_a_dhis2_data_value_set_has_the_structure_dhis2_imports(approved):
    doc = json.loads(json.dumps(exports.data_value_set(approved)))
    assert doc["dataSet"] == "KTXH-TEST" and doc["period"] == "202506" and doc["orgUnit"] == HIEP_DUC
    assert doc["completeDate"]
    values = {(v["dataElement"], v["categoryOptionCombo"]): v["value"] for v in doc["dataValues"]}
    assert values[("F-KTXH-TEST.01", "KY_NAY")] == "12500"
    assert values[("F-KTXH-TEST.04", "KY_NAY")] == "91.5"
    assert values[("F-KTXH-TEST.03", "KY_NAY")] == "2"  # computed cells go too
    assert all(
        set(v) == {"dataElement", "categoryOptionCombo", "period", "orgUnit", "value"} for v in doc["dataValues"]
    )
    assert all(isinstance(v["value"], str) for v in doc["dataValues"])
    assert not any(v["dataElement"].endswith(".06") for v in doc["dataValues"])  # text stays in the report


def test_an_adx_document_groups_values_with_iso_periods(approved):
    root = ET.fromstring(exports.adx([approved]))
    ns = {"adx": exports.ADX_NS}
    assert root.tag == f"{{{exports.ADX_NS}}}adx" and root.get("exported")
    group = root.find("adx:group", ns)
    assert group.get("period") == "2025-06-01/P1M" and group.get("orgUnit") == HIEP_DUC
    values = {(d.get("dataElement"), d.get("column")): d.get("value") for d in group.findall("adx:dataValue", ns)}
    assert values[("F-KTXH-TEST.01", "KY_NAY")] == "12500"


@pytest.mark.parametrize(
    ("frequency", "code", "dhis2", "iso"),
    [("quarterly", "2025Q2", "2025Q2", "2025-04-01/P3M"), ("half_yearly", "2025H2", "2025S2", "2025-07-01/P6M"),
     ("yearly", "2025", "2025", "2025-01-01/P12M"), ("weekly", "2025-W03", "2025W3", "2025-01-13/P1W")],
)  # fmt: skip
def test_periods_in_both_formats(frequency, code, dhis2, iso):
    rp = period_of(frequency, code)
    assert exports.dhis2_period(rp) == dhis2 and exports.adx_period(rp) == iso
