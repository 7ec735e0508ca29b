"""The demo province's figures are believable and consistent, and none leaves its valid range."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from toancanh.units.models import Unit

CHECKS = """
import json, os, django
os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'toancanh.settings'); django.setup()
from django.db import connection
from toancanh.indicators import checks, queries
from toancanh.indicators.models import DataValue, Indicator
from toancanh.units.models import Unit

def year(code, key, y):
    return queries.value_at(Indicator.objects.get(code=code), Unit.objects.get(key=key), str(y))[0]

parts = {}
with connection.cursor() as cur:
    for part, whole in (("DOSSIERS_ON_TIME", "DOSSIERS"), ("ONLINE_DOSSIERS", "DOSSIERS"), ("INTL_TOURISTS", "TOURISTS")):
        cur.execute(
            "SELECT COUNT(*) FROM indicators_datavalue p JOIN indicators_datavalue w "
            "ON p.unit_id = w.unit_id AND p.period = w.period AND p.option = w.option "
            "WHERE p.indicator_id = %s AND w.indicator_id = %s AND p.value > w.value",
            [Indicator.objects.get(code=part).pk, Indicator.objects.get(code=whole).pk])
        parts[part] = cur.fetchone()[0]
units = [Unit.objects.get(key=k) for k in ("vn34-p48", "vn34-c20242", "vn34-c20779")]
print(json.dumps({
    "values_out_of_range": [str(f) for f in checks.values_out_of_range()],
    "forecasts_out_of_range": [str(f) for f in checks.forecasts_out_of_range(units)],
    "parts_over_whole": parts,
    "pop_danang_2024": year("POP", "vn63-p48", 2024), "pop_quangnam_2024": year("POP", "vn63-p49", 2024),
    "beds_per_10k_2024": year("BEDS_PER_10K", "vn63-p48", 2024),
    "grdp_per_capita_2024": year("GRDP_PER_CAPITA", "vn63-p48", 2024), "grdp_2024": year("GRDP", "vn34-p48", 2024),
    "hoang_sa_values": DataValue.objects.filter(unit=Unit.objects.get(edition="vn34", name="Đặc khu Hoàng Sa")).count(),
}))
"""


def test_the_demo_province_has_believable_consistent_figures_within_range(demo_env):
    """Checked on the demo database the browser tests use (built once per run by `toancanh demo`,
    which fails when it refuses any of its own figures)."""
    out = subprocess.run([sys.executable, "-c", CHECKS], env=demo_env, check=True, capture_output=True, timeout=600)
    found = json.loads(out.stdout.decode().strip().splitlines()[-1])
    # Every entered and computed figure of every indicator, unit and period within its range.
    assert found["values_out_of_range"] == []
    # Parts never exceed their whole, unit by unit and month by month.
    assert found["parts_over_whole"] == {"DOSSIERS_ON_TIME": 0, "ONLINE_DOSSIERS": 0, "INTL_TOURISTS": 0}
    # Populations at the scale of the 2019 census (1,134,310 and 1,495,812), not a third of it.
    assert 1_150_000 < found["pop_danang_2024"] < 1_300_000
    assert 1_500_000 < found["pop_quangnam_2024"] < 1_700_000
    assert 60 < found["beds_per_10k_2024"] < 100  # 93 in 2021 [H1], not 135
    assert 90 < found["grdp_per_capita_2024"] < 140  # 107.8 million đồng in 2023 [E1]
    assert 260_000 < found["grdp_2024"] < 300_000  # 280,307 billion đồng [M1]
    # Đặc khu Hoàng Sa has no resident population in official statistics: it reports nothing.
    assert found["hoang_sa_values"] == 0
    # Forecasts of the province and of a ward and a rural commune stay within range too.
    assert found["forecasts_out_of_range"] == []


@pytest.mark.django_db
def test_unit_names_are_spelt_as_the_official_list():
    assert Unit.objects.filter(name="Thị trấn Prao").exists()
    names = list(Unit.objects.values_list("name", flat=True))  # (SQLite's LIKE ignores case: compare here)
    assert [n for n in names if n.startswith(("Thị Trấn", "Thành Phố", "Thị Xã"))] == []
