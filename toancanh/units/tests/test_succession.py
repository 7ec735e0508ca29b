"""Succession of former units into current ones, and the scopes built from it."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from toancanh.core.errors import ImportRejected
from toancanh.units import official, services
from toancanh.units.imports import parse_succession_csv
from toancanh.units.models import Succession, Unit
from toancanh.units.queries import predecessors, scope_paths

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """These tests read the refusals' English text (the Vietnamese is tested on the pages)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def test_every_former_unit_has_successors_whose_shares_add_up_to_one():
    totals = defaultdict(Decimal)
    for old_key, share in Succession.objects.values_list("old__key", "share"):
        totals[old_key] += share
    former = set(Unit.objects.filter(edition="vn63").values_list("key", flat=True))
    assert set(totals) == former
    assert all(abs(t - 1) <= Decimal("0.0001") for t in totals.values())


def test_quang_nam_and_former_da_nang_roll_up_into_the_new_da_nang():
    olds = {u.key for u in predecessors(Unit.objects.get(key="vn34-p48"))}
    assert {"vn63-p48", "vn63-p49"} <= olds
    assert "vn63-d512" in olds  # Huyện Hiệp Đức


def test_a_province_scope_covers_the_former_units_it_succeeded():
    paths = scope_paths(Unit.objects.get(key="vn34-p48"))
    assert "/vn34-p48/" in paths
    assert "/vn63-p49/" in paths and "/vn63-p48/" in paths
    assert not any(p.startswith("/vn63-p01/") for p in paths)


def test_a_split_former_commune_gets_equal_estimated_shares():
    split = Succession.objects.filter(share__lt=1).select_related("old").first()
    siblings = list(Succession.objects.filter(old=split.old))
    assert len(siblings) > 1
    assert all(s.share_estimated for s in siblings)
    assert sum(s.share for s in siblings) == Decimal(1)


def test_a_province_can_correct_the_mapping_from_csv():
    split = Succession.objects.filter(share__lt=1).select_related("old").first()
    news = [s.new.key for s in Succession.objects.filter(old=split.old).select_related("new")]
    lines = ["old,new,share", f"{split.old.key},{news[0]},0.7"] + [
        f"{split.old.key},{n},{0.3 / (len(news) - 1):.6f}" for n in news[1:]
    ]
    services.replace_successions(parse_succession_csv("\n".join(lines)), by=None)
    stored = {s.new.key: s.share for s in Succession.objects.filter(old=split.old).select_related("new")}
    assert stored[news[0]] == Decimal("0.7")
    assert not any(s.share_estimated for s in Succession.objects.filter(old=split.old))


def test_shares_that_do_not_add_up_to_one_are_refused_naming_the_row_and_nothing_changes():
    before = Succession.objects.count()
    text = "old,new,share\nvn63-c20194,vn34-c20194,0.5\nvn63-c20197,vn34-c20194,1\n"
    with pytest.raises(ImportRejected) as exc:
        services.replace_successions(parse_succession_csv(text), by=None)
    assert "row 2" in exc.value.message and "add up to 0.5" in exc.value.message
    assert Succession.objects.count() == before


def test_unknown_units_and_bad_shares_are_each_reported():
    text = "old,new,share\nvn63-c99999,vn34-c20194,1\nvn63-c20194,vn34-c20194,abc\nvn63-c20197,vn63-c20197,1\n"
    with pytest.raises(ImportRejected) as exc:
        services.replace_successions(parse_succession_csv(text), by=None)
    assert "row 3" in exc.value.message and "not a number" in exc.value.message


def test_unknown_units_in_a_mapping_are_named():
    with pytest.raises(ImportRejected) as exc:
        services.replace_successions(parse_succession_csv("old,new\nvn63-c99999,vn34-c20194\n"), by=None)
    assert "unknown unit 'vn63-c99999'" in exc.value.message


def test_the_official_mapping_covers_all_10040_former_communes_and_districts():
    rows = official.successions()
    olds = {r.old_key for r in rows}
    assert len([k for k in olds if k.startswith("vn63-c")]) == 10035
    assert len([k for k in olds if k.startswith("vn63-d")]) == 696
    assert len([k for k in olds if k.startswith("vn63-p")]) == 63
