"""The catalogue: formulas are checked when they are saved."""

from __future__ import annotations

import pytest

from toancanh.core.errors import ServiceError
from toancanh.indicators.formulas import FormulaError
from toancanh.indicators.tests.factories import indicator

pytestmark = pytest.mark.django_db


def test_a_formula_with_an_unknown_code_is_refused():
    indicator("GRDP", period_type="year")
    with pytest.raises(FormulaError) as exc:
        indicator("GRDP_PC", period_type="year", unit_aggregation="none", formula="GRDP / POPULATION")
    assert "không có trong danh mục: POPULATION" in exc.value.message


def test_a_formula_that_makes_a_cycle_is_refused():
    indicator("A", period_type="year")
    indicator("B", period_type="year", unit_aggregation="none", formula="A * 2")
    with pytest.raises(FormulaError) as exc:
        indicator("A", period_type="year", unit_aggregation="none", formula="B + 1")
    assert "vòng lặp: A → B → A" in exc.value.message


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("A +", "không phải là biểu thức"),
        ("__import__('os')", "hàm không được phép"),
        ("A.real", "Không được dùng"),
        ("max(A)", "hàm không được phép"),
        ("'x'", "chỉ được chứa con số"),
    ],
)
def test_a_formula_can_hold_only_arithmetic_over_indicator_codes(formula, message):
    indicator("A", period_type="year")
    with pytest.raises(FormulaError) as exc:
        indicator("F", period_type="year", unit_aggregation="none", formula=formula)
    assert message in exc.value.message


def test_a_weighted_average_needs_its_weight():
    with pytest.raises(ServiceError) as exc:
        indicator("RATE", unit_aggregation="wavg")
    assert "cần có chỉ tiêu quyền số" in exc.value.message


def test_codes_are_upper_case_identifiers():
    with pytest.raises(ServiceError):
        indicator("grdp per capita")
