"""Vietnamese sort order, in Python and in the database (SQLite's ``vi``, PostgreSQL's ICU)."""

from __future__ import annotations

import pytest

from toancanh.core.collation import order_by_name, sort_key, sorted_by_name

# The order of ICU's Vietnamese collation (checked against PostgreSQL's "vi-x-icu").
ICU_ORDER = ["An", "Ăn", "Âm", "Dương", "Điện Bàn", "Đức Phú", "Ea", "Hải Châu", "hoa", "Hoa", "Hòa", "Hỏa",
             "Hõa", "Hóa", "Họa", "Hoàng", "Hương Trà", "Xuân Phú"]  # fmt: skip


def test_names_sort_by_the_vietnamese_alphabet_then_tones_then_case():
    shuffled = ICU_ORDER[::-1][3:] + ICU_ORDER[::-1][:3]
    assert sorted(shuffled, key=sort_key) == ICU_ORDER


def test_d_with_stroke_comes_after_d_and_before_e_not_after_x():
    assert sorted(["Xuân Phú", "Điện Bàn", "Đức Phú", "Duy Xuyên", "Hòa Vang"], key=sort_key) == [
        "Duy Xuyên", "Điện Bàn", "Đức Phú", "Hòa Vang", "Xuân Phú"
    ]  # fmt: skip


def test_composed_and_decomposed_spellings_sort_alike():
    import unicodedata

    assert sort_key(unicodedata.normalize("NFD", "Hội An")) == sort_key("Hội An")


@pytest.mark.django_db
def test_the_database_orders_unit_names_the_same_way():
    from toancanh.units.models import Unit

    communes = Unit.objects.get(key="vn34-p48").children.all()
    names = [u.name for u in order_by_name(communes)]
    assert names == [u.name for u in sorted_by_name(communes)]
    assert names != sorted(names)  # code-point order puts Đ after X: this list differs
    bare = sorted_by_name([n.split(" ", 1)[1] for n in names], name=str)
    assert max(i for i, n in enumerate(bare) if n.startswith("Đ")) < min(i for i, n in enumerate(bare) if n[0] in "HX")
