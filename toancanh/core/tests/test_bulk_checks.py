"""The checks and bulk writes of the hot paths give the answers their slower forms gave."""

import json
import math

import pytest

from toancanh.core.schemas import check_json


def _size(value):
    return len(json.dumps(value, ensure_ascii=False, default=str).encode())


@pytest.mark.parametrize(
    "value",
    [
        {"a": "x" * 100},
        {"s": "\x1f" * 50, "q": '"\\' * 20},
        {"vi": "Mực nước sông Trà Khúc " * 5, "n": [1, 2.5, -3e-308, True, None, 10**40]},
        {"deep": {"er": {"est": [[1, 2], {"k": "v"}]}}},
        {1: "int key", 2.5: "float key"},
    ],
)
def test_a_json_value_is_refused_exactly_when_its_text_is_over_the_limit(value):
    size = _size(value)
    assert check_json(value, max_bytes=size) == value
    with pytest.raises(ValueError, match=str(size - 1)):
        check_json(value, max_bytes=size - 1)


def test_a_json_value_of_other_types_is_measured_as_written():
    import datetime as dt

    value = {"at": dt.date(2026, 11, 23)}
    assert check_json(value, max_bytes=_size(value)) == value
    with pytest.raises(ValueError):
        check_json(value, max_bytes=_size(value) - 1)


def test_json_numbers_must_still_be_finite():
    with pytest.raises(ValueError, match="NaN"):
        check_json({"x": math.nan})
