"""The formula language of report forms: precedence, functions, errors, shifts, cycles."""

from __future__ import annotations

import pytest
from django.utils import translation

from toancanh.reporting.formulas import DIV0, NUM, REF, VALUE, FormulaError, parse
from toancanh.reporting.sheet import Layout, compile_sheet, evaluate, evaluate_formula

LAYOUT = Layout(("01", "02", "03", "04", "05", "1.1"), ("KY_NAY", "CUNG_KY"))
VALUES = {"01.KY_NAY": 10, "02.KY_NAY": 4, "03.KY_NAY": 0, "04.KY_NAY": "có", "05.KY_NAY": None, "1.1.KY_NAY": 2.5}


def ev(text: str, shifts=None):
    return evaluate_formula(text, LAYOUT, VALUES, shifts)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1+2*3", 7.0), ("(1+2)*3", 9.0), ("-2^2", 4.0), ("0-2^2", -4.0), ("2^3^2", 64.0), ("2*3^2", 18.0),
        ("50%*2", 1.0), ("1+1&1", "21"), ("1<2=TRUE", True), ("10-4-3", 3.0), ("12/3/2", 2.0),
        ("=1+1", 2.0), ("\"a\"=\"A\"", True), ("1<\"a\"", True), ("\"z\"<TRUE", True),
    ],
)  # fmt: skip
def test_operators_follow_excels_precedence(text, expected):
    assert ev(text) == expected and type(ev(text)) is type(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[01.KY_NAY] + [02.KY_NAY]", 14.0), ("[01].KY_NAY*2", 20.0), ("[1.1.KY_NAY]", 2.5),
        ("SUM([01:05].KY_NAY)", 14.0), ("SUM([05:01].KY_NAY)", 14.0), ("SUM([01:02].KY_NAY, 1, \"2\")", 17.0),
        ("AVERAGE([01:05].KY_NAY)", 14 / 3), ("MIN([01:05].KY_NAY)", 0.0), ("MAX([01:1.1].KY_NAY)", 10.0),
        ("ROUND(2.675, 2)", 2.68), ("ROUND(-2.5)", -3.0), ("ROUND(1234.5, -2)", 1200.0), ("ABS(-3)", 3.0),
        ("IF([01.KY_NAY] > 5, \"lớn\", \"nhỏ\")", "lớn"), ("IF(FALSE, 1)", False), ("IF(1, 2, 1/0)", 2.0),
        ("IFERROR([01.KY_NAY]/[03.KY_NAY], 0)", 0.0), ("AND([01:02].KY_NAY, TRUE)", True), ("OR(0, FALSE)", False),
        ("NOT([03.KY_NAY])", True), ("[05.KY_NAY]", None), ("[05.KY_NAY]+1", 1.0), ("[04.KY_NAY]&\"!\"", "có!"),
    ],
)  # fmt: skip
def test_references_and_functions(text, expected):
    assert ev(text) == pytest.approx(expected) if isinstance(expected, float) else ev(text) == expected


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("[01.KY_NAY]/[03.KY_NAY]", DIV0), ("AVERAGE([05:05].KY_NAY)", DIV0), ("[04.KY_NAY]+1", VALUE),
        ("[09.KY_NAY]", REF), ("SUM([01:09].KY_NAY)", REF), ("[01.KHAC]", REF), ("1e308*10", NUM),
        ("(-8)^0.5", NUM), ("0^-1", DIV0), ("IF(\"x\", 1, 2)", VALUE), ("SUM(1/0, 2)", DIV0),
        ("IFERROR(1/0, [04.KY_NAY]+1)", VALUE), ("[01:02].KY_NAY", VALUE),
    ],
)  # fmt: skip
def test_errors_are_values_that_propagate_and_iferror_catches(text, error):
    assert ev(text) == error
    assert ev(f"IFERROR({text}, -1)") == -1.0


def test_shifts_read_the_previous_period_last_year_and_year_to_date():
    shifts = {"PREV": {"01.KY_NAY": 8}, "LASTYEAR": {"01.KY_NAY": 5}, "YTD": {"01.KY_NAY": 30, "02.KY_NAY": 6}}
    assert ev("PREV([01.KY_NAY])", shifts) == 8.0
    assert ev("[01.KY_NAY] / LASTYEAR([01.KY_NAY]) * 100", shifts) == 200.0
    assert ev("YTD([01.KY_NAY])", shifts) == 40.0  # the year's earlier periods plus this one
    assert ev("SUM(YTD([01:02].KY_NAY))", shifts) == 50.0
    assert ev("PREV([02.KY_NAY])", shifts) is None  # no earlier report: blank
    assert ev('IFERROR([01.KY_NAY] / PREV([02.KY_NAY]), "-")', shifts) == "-"


def test_a_sheet_evaluates_formula_cells_in_dependency_order():
    sheet = compile_sheet(
        LAYOUT,
        {
            "1.1.CUNG_KY": "[01.CUNG_KY] + [02.CUNG_KY]",  # last on the form, depends on cells above
            "01.CUNG_KY": "[01.KY_NAY] * 2",
            "02.CUNG_KY": "YTD([01.CUNG_KY])",  # YTD reads this period's value: a dependency
            "03.CUNG_KY": "PREV([1.1.CUNG_KY])",  # PREV reads another report: no dependency
        },
    )
    assert sheet.order.index("01.CUNG_KY") < sheet.order.index("02.CUNG_KY") < sheet.order.index("1.1.CUNG_KY")
    values = evaluate(sheet, VALUES, {"YTD": {"01.CUNG_KY": 100}, "PREV": {"1.1.CUNG_KY": 7}})
    assert values["01.CUNG_KY"] == 20.0 and values["02.CUNG_KY"] == 120.0 and values["1.1.CUNG_KY"] == 140.0
    assert values["03.CUNG_KY"] == 7.0


def test_a_cycle_is_refused_naming_its_cells_in_vietnamese():
    with translation.override("vi"), pytest.raises(FormulaError) as caught:
        compile_sheet(
            LAYOUT,
            {"01.CUNG_KY": "[02.CUNG_KY]+1", "02.CUNG_KY": "SUM([03:04].CUNG_KY)", "04.CUNG_KY": "[01.CUNG_KY]"},
        )
    assert "[01.CUNG_KY] → [02.CUNG_KY] → [04.CUNG_KY] → [01.CUNG_KY]" in caught.value.message
    assert "vòng" in caught.value.message


def test_a_self_reference_through_prev_is_not_a_cycle():
    sheet = compile_sheet(LAYOUT, {"01.CUNG_KY": "PREV([01.CUNG_KY]) + 1"})
    assert evaluate(sheet, {}, {"PREV": {"01.CUNG_KY": 4}})["01.CUNG_KY"] == 5.0


def test_an_unknown_cell_is_refused_on_save_and_shows_ref_in_a_preview():
    with translation.override("vi"), pytest.raises(FormulaError) as caught:
        compile_sheet(LAYOUT, {"01.CUNG_KY": "[01.KY_NAY] + [99.KY_NAY]"})
    assert "[01.CUNG_KY]" in caught.value.message and "[99.KY_NAY]" in caught.value.message
    sheet = compile_sheet(LAYOUT, {"01.CUNG_KY": "[01.KY_NAY] + [99.KY_NAY]"}, strict=False)
    assert evaluate(sheet, VALUES)["01.CUNG_KY"] == REF


@pytest.mark.parametrize(
    "text",
    ["", "1+", "(1+2", "SUM(", "FOO(1)", "[01]", "[01:02.KY_NAY]", "PREV(1)", "1 2", "IF(1)", "__import__('os')", "@"],
)
def test_malformed_formulas_are_refused_with_a_message(text):
    with pytest.raises(FormulaError) as caught:
        parse(text)
    assert caught.value.message


def test_a_formula_error_names_the_cell():
    with translation.override("vi"), pytest.raises(FormulaError) as caught:
        compile_sheet(LAYOUT, {"02.CUNG_KY": "SUM([01:03].KY_NAY"})
    assert caught.value.message.startswith("Công thức của ô [02.CUNG_KY]")
