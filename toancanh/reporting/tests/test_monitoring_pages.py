"""The monitoring page and its API route: the units of the person's scope with their states."""

from __future__ import annotations

import pytest

from toancanh.accounts.tests.factories import StaffFactory
from toancanh.reporting import services
from toancanh.reporting.tests.factories import HIEP_DUC, PROVINCE, TAM_KY, monthly_regime, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def regime():
    r = monthly_regime()
    clerk = StaffFactory(unit=unit(TAM_KY), role="reporting_clerk")
    services.save_submission(by=clerk, regime=r, unit=unit(TAM_KY), period="2025-09", values={"01.KY_NAY": 5},
                             submit=True)  # fmt: skip
    return r


def test_the_page_lists_the_units_in_vietnamese_with_links_to_their_reports(client, regime):
    client.force_login(StaffFactory(unit=unit(PROVINCE), role="operator"))
    page = client.get(f"/reporting/monitoring/?regime={regime.code}&period=2025-09", HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Theo dõi tình hình báo cáo" in html and "Trễ hạn" in html and "Quá hạn chưa gửi" in html
    assert f'href="/reporting/{regime.code}/{TAM_KY}/2025-09/"' in html
    assert f'href="/reporting/{regime.code}/{HIEP_DUC}/2025-09/"' in html
    assert "Các kỳ gần đây" in html and 'data-testid="monitoring-periods"' in html
    assert 'href="/reporting/monitoring/"' in client.get("/reporting/").content.decode()
    late_only = client.get(f"/reporting/monitoring/?regime={regime.code}&period=2025-09&state=late").content.decode()
    assert f"/{TAM_KY}/2025-09/" in late_only and f"/{HIEP_DUC}/2025-09/" not in late_only
    bad = client.get(f"/reporting/monitoring/?regime={regime.code}&period=2025Q9")
    assert bad.status_code == 400


def test_a_commune_clerk_sees_only_their_commune(client, regime):
    client.force_login(StaffFactory(unit=unit(HIEP_DUC), role="reporting_clerk"))
    html = client.get(f"/reporting/monitoring/?regime={regime.code}&period=2025-09").content.decode()
    assert f"/{HIEP_DUC}/2025-09/" in html and f"/{TAM_KY}/2025-09/" not in html


def test_the_api_gives_totals_rates_and_units_in_scope(client, regime):
    client.force_login(StaffFactory(unit=unit(PROVINCE), role="operator"))
    body = client.get(f"/api/v1/reporting/monitoring?regime={regime.code}&period=2025-09").json()
    assert body["period"] == "2025-09" and body["totals"]["late"] == 1 and body["totals"]["sent"] == 1
    assert body["totals"]["expected"] == len(body["units"]) > 10
    tam_ky = next(u for u in body["units"] if u["unit"] == TAM_KY)
    assert tam_ky["timeliness"] == "late" and tam_ky["status"] == "submitted" and tam_ky["deadline"] == "2025-09-16"
    client.force_login(StaffFactory(unit=unit(HIEP_DUC), role="reporting_clerk"))
    mine = client.get(f"/api/v1/reporting/monitoring?regime={regime.code}&period=2025-09").json()
    assert [u["unit"] for u in mine["units"]] == [HIEP_DUC] and mine["totals"]["missing"] == 1
    assert client.get("/api/v1/reporting/monitoring?regime=NONE&period=2025-09").status_code == 404
    assert client.get(f"/api/v1/reporting/monitoring?regime={regime.code}&period=2025Q9").status_code == 400


def test_the_leaders_home_and_the_wall_show_how_many_units_sent_the_last_period_and_how_many_late(client):
    import datetime as dt

    from django.utils import timezone

    from toancanh.reporting.monitoring import period_at

    r = monthly_regime("PANEL")
    due = period_at(r.frequency, timezone.localdate()).previous()
    clerk = StaffFactory(unit=unit(TAM_KY), role="reporting_clerk")
    late = timezone.now() + dt.timedelta(days=30)  # after any deadline of the last period
    services.save_submission(by=clerk, regime=r, unit=unit(TAM_KY), period=due.code, values={"01.KY_NAY": 5},
                             submit=True, now=late)  # fmt: skip
    client.force_login(StaffFactory(unit=unit(PROVINCE), role="leader"))
    for url in ("/", "/wall/"):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
        assert 'data-testid="panel-reporting-status"' in html, url
        panel = html[html.index('data-testid="reporting-panel-PANEL"') :]
        sent = panel[panel.index('data-testid="reporting-sent"') :]
        assert sent[sent.index(">") + 1 :].startswith("1/"), url  # one unit of the city sent it
        late_count = panel[panel.index('data-testid="reporting-late"') :]
        assert late_count[late_count.index(">") + 1 :].startswith("1<"), url
        assert "gửi trễ hạn" in panel and "quá hạn chưa gửi" in panel
