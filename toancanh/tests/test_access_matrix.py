"""Every role × scope against every API endpoint: exactly the allowed answers, 401/403/404 otherwise."""

from __future__ import annotations

import io
import itertools

import pytest

from toancanh.core.tests.access import Case, check, everyone, only
from toancanh.tests.cast import HIEP_DUC, TAM_KY

_seq = itertools.count()


def _agency_body(unit):
    return lambda who: {
        "code": f"new-{who.replace('_', '-')}-{next(_seq)}",
        "name": "Trung tâm thử nghiệm",
        "kind": "so",
        "unit": unit,
    }


def _user_body(unit):
    return lambda who: {
        "username": f"u{next(_seq)}-{who}",
        "password": "a-long-password-1",
        "role": "operator",
        "unit": unit,
    }


def _key_body(unit):
    return lambda who: {"name": f"key-{who}-{next(_seq)}", "role": "operator", "unit": unit}


ADMINS_BOTH = {"admin": 200, "admin_hiep_duc": 200}
STAFF = ["leader", "operator", "officer", "clerk_hiep_duc", "admin", "admin_hiep_duc", "key_tam_ky"]
FILERS = ["operator", "officer", "clerk_hiep_duc", "admin", "admin_hiep_duc", "key_tam_ky"]


GOV_READERS = ["leader", "operator", "officer", "admin", "admin_hiep_duc", "admin_health", "key_tam_ky"]
GOV_WRITERS = ["operator", "admin", "admin_hiep_duc", "admin_health", "key_tam_ky"]
EVENT_SENDERS = ["operator", "officer", "admin", "admin_hiep_duc", "key_tam_ky"]


def _regime() -> str:
    """A monthly reporting regime (made on first use)."""
    from toancanh.reporting.models import Regime
    from toancanh.reporting.tests.factories import monthly_regime

    return (Regime.objects.filter(code="MATRIX").first() or monthly_regime("MATRIX")).code


def _event(who):
    return {
        "source": "matrix",
        "source_id": f"{who}-{next(_seq)}",
        "sector": "environment",
        "type": "reading",
        "subject": "s1",
        "unit": HIEP_DUC,
        "occurred_at": "2026-11-21T08:00:00+07:00",
        "payload": {"noise_db": 60},
    }


def _rule_body(unit):
    return lambda who: {
        "name": f"Bụi mịn {who} {next(_seq)}",
        "kind": "threshold",
        "unit": unit,
        "sector": "environment",
        "params": {"field": "pm25", "op": ">", "value": 55.4},
    }


def _warning_body(unit):
    return {
        "event": "Lũ quét",
        "event_en": "Flash flood",
        "headline": "Cảnh báo lũ quét",
        "headline_en": "Flash flood warning",
        "description": "Mưa lớn kéo dài.",
        "description_en": "Heavy rain.",
        "severity": "Severe",
        "urgency": "Immediate",
        "certainty": "Likely",
        "units": [unit],
    }


def _photo():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("hien-truong.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png")


def _csv_file():
    f = io.BytesIO(f"indicator,unit,period,value\nREV,{HIEP_DUC},2026-03,4\n".encode())
    f.name = "figures.csv"
    return f


def _report(state: str = "received"):
    """A citizen's report in Tam Kỳ, taken to ``state`` by the command line (a fresh one each call)."""
    from toancanh.feedback import handling, services

    n = next(_seq)
    sub = services.Submission(category="urban_order.sidewalk", lat=15.5581, lon=108.479, phone=f"0905{n:06d}",
                              description="Quán nước lấn chiếm vỉa hè, người đi bộ phải xuống lòng đường.",
                              device=f"matrix-{n}", ip=f"10.9.{n // 200}.{n % 200}")  # fmt: skip
    report = services.submit_report(sub)
    steps = {"accepted": [handling.accept], "in_progress": [handling.accept, handling.start],
             "answered": [handling.accept, lambda r, by: handling.answer(r, by=by, text="Đã xử lý xong, vỉa hè thông thoáng.")]}  # fmt: skip
    for step in steps.get(state, []):
        step(report, by=None)
    return report


FEEDBACK_READERS = {"leader": 200, "operator": 200, "officer": 404, "admin": 200, "admin_hiep_duc": 404,
                    "key_tam_ky": 200}  # fmt: skip
FEEDBACK_HANDLERS = {"operator": 200, "officer": 404, "admin": 200, "admin_hiep_duc": 404, "key_tam_ky": 200}


def _stations(cast, path: str) -> str:
    """``path``, once the telemetry stations of the matrix exist: TAMKY in Tam Kỳ (no agency), HIEPDUC in
    Hiệp Đức (run by UBND xã Hiệp Đức)."""
    from toancanh.telemetry.tests.factories import station

    station("TAMKY", TAM_KY)
    station("HIEPDUC", HIEP_DUC, agency=cast.agencies["hiep_duc"])
    return path


TELEMETRY_READERS = ["leader", "operator", "officer", "clerk_hiep_duc", "admin", "admin_hiep_duc", "key_tam_ky"]
SEES_TAMKY = {"leader": 200, "operator": 200, "officer": 404, "clerk_hiep_duc": 404, "admin": 200,
              "admin_hiep_duc": 404, "key_tam_ky": 200}  # fmt: skip
SEES_HIEPDUC = {"leader": 200, "operator": 200, "officer": 404, "clerk_hiep_duc": 200, "admin": 200,
                "admin_hiep_duc": 200, "key_tam_ky": 404}  # fmt: skip


def _readings(who):
    return [{"station": "TAMKY", "quantity": "t_level", "time": f"2026-10-12T07:{next(_seq) % 60:02d}:00+07:00",
             "value": 8.42}]  # fmt: skip


ADMIN_PROVINCE_ONLY = {"admin": 200, "admin_hiep_duc": 404}

CASES = [
    Case("GET", "/health", "/health", everyone()),
    Case("GET", "/sectors", "/sectors", everyone()),
    Case("GET", "/units", "/units?level=province", everyone()),
    Case("GET", "/units/{key}", "/units/vn34-p48", everyone()),
    Case("GET", "/units/{key}", "/units/vn63-p49", everyone()),
    Case("GET", "/units/{key}/map", f"/units/{HIEP_DUC}/map", everyone()),
    Case(
        "PUT",
        "/units/{key}/boundary",
        f"/units/{HIEP_DUC}/boundary",
        only(ADMINS_BOTH),
        body={
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[108.0, 15.5], [108.1, 15.5], [108.1, 15.6], [108.0, 15.5]]],
            }
        },
    ),
    Case(
        "PUT",
        "/units/{key}/boundary",
        f"/units/{TAM_KY}/boundary",
        only(ADMIN_PROVINCE_ONLY),
        body={
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[108.4, 15.5], [108.5, 15.5], [108.5, 15.6], [108.4, 15.5]]],
            }
        },
    ),
    Case(
        "GET",
        "/agencies",
        "/agencies",
        only(
            {
                w: 200
                for w in ["leader", "operator", "officer", "clerk_hiep_duc", "admin", "admin_hiep_duc", "key_tam_ky"]
            }
        ),
    ),
    Case(
        "GET",
        "/agencies/{code}",
        "/agencies/ubnd-hiep-duc",
        only(
            {
                "leader": 200,
                "operator": 200,
                "officer": 404,
                "clerk_hiep_duc": 200,
                "admin": 200,
                "admin_hiep_duc": 200,
                "key_tam_ky": 404,
            }
        ),
    ),
    Case(
        "GET",
        "/agencies/{code}",
        "/agencies/ubnd-tam-ky",
        only(
            {
                "leader": 200,
                "operator": 200,
                "officer": 404,
                "clerk_hiep_duc": 404,
                "admin": 200,
                "admin_hiep_duc": 404,
                "key_tam_ky": 200,
            }
        ),
    ),
    Case(
        "GET",
        "/agencies/{code}",
        "/agencies/does-not-exist",
        only(
            {
                "leader": 404,
                "operator": 404,
                "officer": 404,
                "clerk_hiep_duc": 404,
                "admin": 404,
                "admin_hiep_duc": 404,
                "key_tam_ky": 404,
            }
        ),
    ),
    Case("POST", "/agencies", "/agencies", only({"admin": 201, "admin_hiep_duc": 201}), body=_agency_body(HIEP_DUC)),
    Case("POST", "/agencies", "/agencies", only({"admin": 201, "admin_hiep_duc": 404}), body=_agency_body(TAM_KY)),
    Case("PATCH", "/agencies/{code}", "/agencies/ubnd-hiep-duc", only(ADMINS_BOTH), body={"phone": "0235 3883 123"}),
    Case(
        "PATCH", "/agencies/{code}", "/agencies/ubnd-tam-ky", only(ADMIN_PROVINCE_ONLY), body={"phone": "0235 3812 345"}
    ),
    Case("GET", "/me", "/me", only({}, others=200)),
    Case("GET", "/users", "/users", only(ADMINS_BOTH)),
    Case("GET", "/users/{user_id}", lambda cast: f"/users/{cast.users['clerk_hiep_duc'].pk}", only(ADMINS_BOTH)),
    Case(
        "GET", "/users/{user_id}", lambda cast: f"/users/{cast.users['operator_tam_ky'].pk}", only(ADMIN_PROVINCE_ONLY)
    ),
    Case("POST", "/users", "/users", only({"admin": 201, "admin_hiep_duc": 201}), body=_user_body(HIEP_DUC)),
    Case("POST", "/users", "/users", only({"admin": 201, "admin_hiep_duc": 404}), body=_user_body(TAM_KY)),
    Case("GET", "/apikeys", "/apikeys", only(ADMINS_BOTH)),
    Case("POST", "/apikeys", "/apikeys", only({"admin": 201, "admin_hiep_duc": 201}), body=_key_body(HIEP_DUC)),
    Case("POST", "/apikeys", "/apikeys", only({"admin": 201, "admin_hiep_duc": 404}), body=_key_body(TAM_KY)),
    Case(
        "POST",
        "/apikeys/{key_id}/revoke",
        lambda cast: f"/apikeys/{cast.keys['key_tam_ky_spare'][0].pk}/revoke",
        only(ADMIN_PROVINCE_ONLY),
    ),
    Case("GET", "/audit", "/audit", only({"leader": 200, "admin": 200, "admin_hiep_duc": 200})),
    # Map layers: any staff principal (each sees the layers its permissions and sectors allow).
    Case("GET", "/layers", "/layers", only(dict.fromkeys(STAFF, 200), others=200)),
    # Data sources: their health is for administrators; pushing records for those who send events
    # (an unknown source answers 404).
    Case("GET", "/connectors", "/connectors", only(ADMINS_BOTH)),
    Case(
        "POST",
        "/connectors/{name}/push",
        "/connectors/nowhere/push",
        only(dict.fromkeys(EVENT_SENDERS, 404)),
        body={"records": []},
    ),  # fmt: skip
    # The test pack's route (auth=None): the pack decides.
    Case("GET", "/harbour/ports", "/harbour/ports", everyone()),
    # The government pack: reading for leaders, operators, administrators and agency officers (not
    # the reporting clerk); tasks written by operators and administrators; dossiers pushed by those
    # who send events (an unknown source answers 404).
    *[
        Case("GET", t, t, only(dict.fromkeys(GOV_READERS, 200)))
        for t in ("/government/index", "/government/dossiers/overdue", "/government/tasks")
    ],
    Case(
        "POST",
        "/government/dossiers/push",
        "/government/dossiers/push?source=nowhere",
        only(dict.fromkeys(EVENT_SENDERS, 404)),
        body={"records": []},
    ),
    Case("POST", "/government/tasks", "/government/tasks", only(dict.fromkeys(GOV_WRITERS, 200)), body=[]),
    Case(
        "POST",
        "/government/tasks/import",
        "/government/tasks/import",
        only(dict.fromkeys(GOV_WRITERS, 400)),
        body=lambda who: {"file": _csv_file()},
        multipart=True,
    ),
    Case(
        "POST",
        "/government/tasks/{code}/reports",
        "/government/tasks/none/reports",
        only(dict.fromkeys(GOV_WRITERS, 404)),
        body={"progress": 5},
    ),
    Case(
        "POST",
        "/government/tasks/{code}/extensions",
        "/government/tasks/none/extensions",
        only(dict.fromkeys(GOV_WRITERS, 404)),
        body={"new_deadline": "2030-01-01", "reason": "chờ"},
    ),
    # Indicators: reading needs a staff role and the unit in scope; filing figures a filing role;
    # the catalogue and targets a provincial administrator.
    Case("GET", "/indicators", "/indicators", only(dict.fromkeys(STAFF, 200))),
    # The officer answers for health only: an economy indicator is not there for them.
    Case("GET", "/indicators/{code}", "/indicators/REV", only(dict.fromkeys(STAFF, 200) | {"officer": 404})),
    Case(
        "GET",
        "/indicators/overview",
        "/indicators/overview?unit=vn34-p48",
        only(dict.fromkeys(STAFF, 200) | {"clerk_hiep_duc": 404, "admin_hiep_duc": 404, "key_tam_ky": 404}),
    ),
    Case(
        "GET",
        "/indicators/overview",
        f"/indicators/overview?unit={HIEP_DUC}",
        only(dict.fromkeys(STAFF, 200) | {"key_tam_ky": 404}),
    ),
    Case(
        "GET",
        "/indicators/{code}/series",
        f"/indicators/REV/series?unit={TAM_KY}",
        only(dict.fromkeys(STAFF, 200) | {"clerk_hiep_duc": 404, "admin_hiep_duc": 404, "officer": 404}),
    ),
    Case(
        "GET",
        "/indicators/{code}/units",
        "/indicators/REV/units?unit=vn34-p48",
        only(
            dict.fromkeys(STAFF, 200)
            | {"clerk_hiep_duc": 404, "admin_hiep_duc": 404, "key_tam_ky": 404, "officer": 404}
        ),
    ),
    Case(
        "GET",
        "/indicators/{code}/forecast",
        f"/indicators/REV/forecast?unit={HIEP_DUC}",
        only(dict.fromkeys(STAFF, 200) | {"key_tam_ky": 404, "officer": 404}),
    ),
    Case(
        "GET",
        "/indicators/{code}/history",
        f"/indicators/REV/history?unit={HIEP_DUC}&period=2026-01",
        only(dict.fromkeys(STAFF, 200) | {"key_tam_ky": 404, "officer": 404}),
    ),
    Case(
        "GET",
        "/indicators/export",
        f"/indicators/export?unit={TAM_KY}&format=csv",
        only(dict.fromkeys(STAFF, 200) | {"clerk_hiep_duc": 404, "admin_hiep_duc": 404}),
    ),
    Case(
        "GET",
        "/indicators/anomalies",
        "/indicators/anomalies?unit=vn34-p48",
        only(dict.fromkeys(STAFF, 200) | {"clerk_hiep_duc": 404, "admin_hiep_duc": 404, "key_tam_ky": 404}),
    ),
    Case(
        "POST",
        "/indicators/values",
        "/indicators/values",
        only(dict.fromkeys(FILERS, 200)),
        body={"values": [{"indicator": "REV", "unit": HIEP_DUC, "period": "2026-02", "value": 3}]},
    ),
    Case(
        "POST",
        "/indicators/values/import",
        "/indicators/values/import",
        only(dict.fromkeys(FILERS, 200)),
        body=lambda who: {"file": _csv_file()},
        multipart=True,
    ),
    Case(
        "PUT",
        "/indicators/{code}",
        "/indicators/REV",
        only({"admin": 200, "admin_hiep_duc": 403}),
        body={
            "name_vi": "Thu ngân sách",
            "name_en": "Revenue",
            "measure": "tỷ đồng",
            "sector": "economy",
            "period_type": "month",
        },
    ),
    Case(
        "PUT",
        "/indicators/{code}/targets",
        "/indicators/REV/targets",
        only({"admin": 200, "admin_hiep_duc": 403}),
        body={"unit": HIEP_DUC, "year": 2026, "value": 100},
    ),
    # Operations: events in (filing roles and keys), rules (administrators), alerts and situations
    # (operators and officers), public warnings (operators and administrators).
    Case(
        "POST",
        "/events",
        "/events",
        only(dict.fromkeys(EVENT_SENDERS, 200)),
        body=lambda who: {"events": [_event(who)]},
    ),
    Case("GET", "/events", "/events", only(dict.fromkeys(STAFF, 200))),
    Case("GET", "/rules", "/rules", only(dict.fromkeys(STAFF, 200))),
    Case("POST", "/rules", "/rules", only({"admin": 201, "admin_hiep_duc": 201}), body=_rule_body(HIEP_DUC)),
    Case("POST", "/rules", "/rules", only({"admin": 201, "admin_hiep_duc": 404}), body=_rule_body(TAM_KY)),
    Case(
        "PUT",
        "/rules/{rule_id}",
        lambda c: f"/rules/{c.ops['rule'].pk}",
        only({"admin": 200, "admin_hiep_duc": 404}),
        body=_rule_body("vn34-p48"),
    ),
    Case("GET", "/alerts", "/alerts", only(dict.fromkeys(STAFF, 200))),
    Case(
        "POST",
        "/alerts/{alert_id}/acknowledge",
        lambda c: f"/alerts/{c.ops['alert'].pk}/acknowledge",
        only({"operator": 200, "officer": 404, "admin": 200, "admin_hiep_duc": 200, "key_tam_ky": 404}),
    ),
    # Clearing by hand: the first allowed caller clears it; it cannot clear twice (400).
    Case(
        "POST",
        "/alerts/{alert_id}/clear",
        lambda c: f"/alerts/{c.ops['alert'].pk}/clear",
        only({"operator": 200, "officer": 404, "admin": 400, "admin_hiep_duc": 400, "key_tam_ky": 404}),
        body={"reason": "Cảm biến báo nhầm, đã kiểm tra tại chỗ"},
    ),
    Case("GET", "/situations", "/situations", only(dict.fromkeys(STAFF, 200))),
    Case(
        "POST",
        "/situations",
        "/situations",
        only({"operator": 201, "officer": 201, "admin": 201, "admin_hiep_duc": 201, "key_tam_ky": 404}),
        body={"title": "Sạt lở đất", "severity": "Severe", "unit": HIEP_DUC},
    ),
    # Agency-bound principals see only their agency's situations.
    Case(
        "GET",
        "/situations/{situation_id}",
        lambda c: f"/situations/{c.ops['situation'].pk}",
        only(dict.fromkeys(STAFF, 200) | {"officer": 404, "clerk_hiep_duc": 404, "key_tam_ky": 404}),
    ),
    # Closing an open situation is refused (400) for those allowed to try.
    Case(
        "POST",
        "/situations/{situation_id}/status",
        lambda c: f"/situations/{c.ops['situation'].pk}/status",
        only({"operator": 400, "officer": 404, "admin": 400, "admin_hiep_duc": 400, "key_tam_ky": 404}),
        body={"status": "closed"},
    ),
    Case(
        "POST",
        "/situations/{situation_id}/steps/{step_id}/done",
        lambda c: f"/situations/{c.ops['situation'].pk}/steps/{c.ops['step'].pk}/done",
        only({"operator": 200, "officer": 404, "admin": 200, "admin_hiep_duc": 200, "key_tam_ky": 404}),
    ),
    Case(
        "POST",
        "/situations/{situation_id}/notes",
        lambda c: f"/situations/{c.ops['situation'].pk}/notes",
        only({"operator": 201, "officer": 404, "admin": 201, "admin_hiep_duc": 201, "key_tam_ky": 404}),
        body={"text": "Đã cử lực lượng đến hiện trường."},
    ),
    Case("GET", "/warnings", "/warnings", only(dict.fromkeys(STAFF, 200))),
    Case(
        "POST",
        "/warnings",
        "/warnings",
        only({"operator": 201, "admin": 201, "admin_hiep_duc": 201, "key_tam_ky": 404}),
        body=_warning_body(HIEP_DUC),
    ),
    # Publishing: the first allowed caller publishes; a second attempt is refused (400).
    Case(
        "POST",
        "/warnings/{warning_id}/publish",
        lambda c: f"/warnings/{c.ops['warning'].pk}/publish",
        only({"operator": 200, "admin": 400, "admin_hiep_duc": 400, "key_tam_ky": 404}),
    ),
    Case(
        "POST",
        "/warnings/{warning_id}/publish",
        lambda c: f"/warnings/{c.ops['province_warning'].pk}/publish",
        only({"operator": 200, "admin": 400, "admin_hiep_duc": 404, "key_tam_ky": 404}),
    ),
    # An update is a new message; the updated one is superseded, so a second update is refused (400).
    Case(
        "POST",
        "/warnings/{warning_id}/update",
        lambda c: f"/warnings/{c.ops['province_warning'].pk}/update",
        only({"operator": 200, "admin": 400, "admin_hiep_duc": 404, "key_tam_ky": 404}),
        body={"headline": "Lũ quét lan rộng ra toàn thành phố", "severity": "Extreme"},
    ),
    Case(
        "POST",
        "/warnings/{warning_id}/cancel",
        lambda c: f"/warnings/{c.ops['warning'].pk}/cancel",
        only({"operator": 200, "admin": 400, "admin_hiep_duc": 400, "key_tam_ky": 404}),
    ),
    # Notifications: channels by provincial administrators; subscriptions by administrators in scope;
    # each person's own notifications.
    Case("GET", "/channels", "/channels", only(ADMINS_BOTH)),
    Case(
        "POST",
        "/channels",
        "/channels",
        only({"admin": 201, "admin_hiep_duc": 403}),
        body=lambda who: {"name": f"hook-{who}", "kind": "webhook", "config": {"secret": "a-long-shared-secret"}},
    ),
    Case("GET", "/subscriptions", "/subscriptions", only(ADMINS_BOTH)),
    Case(
        "POST",
        "/subscriptions",
        "/subscriptions",
        only({"admin": 201, "admin_hiep_duc": 201}),
        body={"channel": "app", "unit": HIEP_DUC, "address": "truc-ban@danang.gov.vn"},
    ),
    Case(
        "POST",
        "/subscriptions",
        "/subscriptions",
        only({"admin": 201, "admin_hiep_duc": 404}),
        body={"channel": "app", "unit": TAM_KY, "address": "truc-ban@danang.gov.vn"},
    ),
    Case("GET", "/notifications", "/notifications", only(dict.fromkeys(STAFF, 200))),
    Case(
        "POST",
        "/notifications/{notification_id}/read",
        lambda c: f"/notifications/{c.ops['notification'].pk}/read",
        only(dict.fromkeys(STAFF, 404) | {"operator": 200}),
    ),
    Case(
        "POST",
        "/situations/{situation_id}/attachments",
        lambda c: f"/situations/{c.ops['situation'].pk}/attachments",
        only({"operator": 201, "officer": 404, "admin": 201, "admin_hiep_duc": 201, "key_tam_ky": 404}),
        body=lambda who: {"file": _photo()},
        multipart=True,
    ),
    Case(
        "GET",
        "/situations/{situation_id}/attachments/{attachment_id}",
        lambda c: f"/situations/{c.ops['situation'].pk}/attachments/{c.ops['attachment'].pk}",
        only(dict.fromkeys(STAFF, 200) | {"officer": 404, "clerk_hiep_duc": 404, "key_tam_ky": 404}),
    ),
    Case(
        "POST",
        "/situations/{situation_id}/assign",
        lambda c: f"/situations/{c.ops['situation'].pk}/assign",
        only({"operator": 200, "officer": 404, "admin": 200, "admin_hiep_duc": 200, "key_tam_ky": 404}),
        body=lambda who: {"users": []},
    ),
    # Reporting: every staff role sees the completeness of reporting, each within its own units.
    Case(
        "GET",
        "/reporting/monitoring",
        lambda c: f"/reporting/monitoring?regime={_regime()}&period=2025-09",
        only(dict.fromkeys(STAFF, 200)),
    ),
    Case(
        "GET",
        "/reporting/monitoring",
        "/reporting/monitoring?regime=NONE&period=2025-09",
        only(dict.fromkeys(STAFF, 404)),
    ),  # fmt: skip
    # Citizens' reports: staff of the report's units see and handle them; an agency only its own.
    Case(
        "GET",
        "/feedback/reports",
        "/feedback/reports",
        only(FEEDBACK_READERS | {"officer": 200, "admin_hiep_duc": 200}),
    ),
    Case("GET", "/feedback/reports/{code}", lambda c: f"/feedback/reports/{_report().code}", only(FEEDBACK_READERS)),
    Case("GET", "/feedback/reports/{code}", "/feedback/reports/PANOTHERE", only(dict.fromkeys(FEEDBACK_READERS, 404))),
    Case(
        "POST",
        "/feedback/reports/{code}/accept",
        lambda c: f"/feedback/reports/{_report().code}/accept",
        only(FEEDBACK_HANDLERS),
    ),
    Case(
        "POST",
        "/feedback/reports/{code}/refuse",
        lambda c: f"/feedback/reports/{_report().code}/refuse",
        only({"operator": 200, "admin": 200, "admin_hiep_duc": 404, "key_tam_ky": 200}),
        body={"reason": "out_of_scope", "text": "Không thuộc thẩm quyền."},
    ),
    Case(
        "POST",
        "/feedback/reports/{code}/spam",
        lambda c: f"/feedback/reports/{_report('in_progress').code}/spam",
        only(FEEDBACK_HANDLERS),
        body={"reason": "Nội dung quảng cáo, không phải phản ánh."},
    ),
    Case(
        "POST",
        "/feedback/reports/{code}/start",
        lambda c: f"/feedback/reports/{_report('accepted').code}/start",
        only(FEEDBACK_HANDLERS),
    ),
    Case(
        "POST",
        "/feedback/reports/{code}/answer",
        lambda c: f"/feedback/reports/{_report('in_progress').code}/answer",
        only(FEEDBACK_HANDLERS),
        body={"text": "Đã xử lý xong, vỉa hè thông thoáng."},
    ),
    Case(
        "POST",
        "/feedback/reports/{code}/close",
        lambda c: f"/feedback/reports/{_report('answered').code}/close",
        only(FEEDBACK_HANDLERS),
        body={"not_fixed": False},
    ),
    # A unit's report is entered by those who file figures and whose scope holds the unit, for the
    # regime's sector: this general regime has none, so sector-limited officers do not file it (403).
    Case(
        "PUT",
        "/reporting/submissions/{regime}/{unit}/{period}",
        lambda c: f"/reporting/submissions/{_regime()}/{HIEP_DUC}/2025-10",
        only(
            {
                "operator": 200,
                "clerk_hiep_duc": 200,
                "admin": 200,
                "admin_hiep_duc": 200,
                "officer": 403,
                "key_tam_ky": 404,
            }
        ),
        body={"values": {"01.KY_NAY": 5000}},
    ),  # fmt: skip
    # Only the receiving unit's (the province's) filers of every sector close or reopen a period.
    Case(
        "PUT",
        "/reporting/periods/{regime}/{period}",
        lambda c: f"/reporting/periods/{_regime()}/2025-11",
        only({"operator": 200, "admin": 200}),
        body={"closed": True},
    ),  # fmt: skip
    # Telemetry: stations are scoped by unit and agency (an agency-bound officer sees its agency's only).
    Case("GET", "/telemetry/quantities", "/telemetry/quantities", only(dict.fromkeys(TELEMETRY_READERS, 200))),
    Case(
        "GET",
        "/telemetry/stations",
        lambda c: _stations(c, "/telemetry/stations"),
        only(dict.fromkeys(TELEMETRY_READERS, 200)),
    ),  # fmt: skip
    Case("GET", "/telemetry/stations/{code}", lambda c: _stations(c, "/telemetry/stations/TAMKY"), only(SEES_TAMKY)),
    Case(
        "GET", "/telemetry/stations/{code}", lambda c: _stations(c, "/telemetry/stations/HIEPDUC"), only(SEES_HIEPDUC)
    ),
    Case(
        "GET",
        "/telemetry/stations/{code}/series",
        lambda c: _stations(c, "/telemetry/stations/TAMKY/series?quantity=t_level"),
        only(SEES_TAMKY),
    ),  # fmt: skip
    Case(
        "GET",
        "/telemetry/rollup",
        lambda c: _stations(c, f"/telemetry/rollup?unit={TAM_KY}&quantity=t_level"),
        only(SEES_TAMKY | {"officer": 200}),
    ),  # fmt: skip
    # Rows outside the sender's scope are refused in a 200 answer (row by row, as unknown stations).
    Case(
        "POST",
        "/telemetry/readings",
        lambda c: _stations(c, "/telemetry/readings"),
        only(dict.fromkeys(EVENT_SENDERS, 200)),
        body=_readings,
    ),  # fmt: skip
]

# The province's health-only administrator answers as the province's administrator, except where
# the object is of another sector (or of none): then it is not there (404), or the write is refused.
ADMIN_HEALTH_DIFFERS = {
    ("GET", "/indicators/REV"): 404,
    ("GET", "/indicators/REV/series?unit=vn34-c20341"): 404,
    ("GET", "/indicators/REV/units?unit=vn34-p48"): 404,
    ("GET", f"/indicators/REV/forecast?unit={HIEP_DUC}"): 404,
    ("GET", f"/indicators/REV/history?unit={HIEP_DUC}&period=2026-01"): 404,
    ("PUT", "/indicators/REV"): 404,
    ("PUT", "/indicators/REV/targets"): 404,
    ("POST", "/rules"): 403,  # an environment rule
    ("PUT", "/rules/{rule_id}"): 404,
    ("POST", "/alerts/{alert_id}/acknowledge"): 404,
    ("POST", "/alerts/{alert_id}/clear"): 404,
    ("GET", "/situations/{situation_id}"): 404,
    ("POST", "/situations/{situation_id}/status"): 404,
    ("POST", "/situations/{situation_id}/steps/{step_id}/done"): 404,
    ("POST", "/situations/{situation_id}/notes"): 404,
    ("POST", "/situations/{situation_id}/attachments"): 404,
    ("GET", "/situations/{situation_id}/attachments/{attachment_id}"): 404,
    ("POST", "/situations/{situation_id}/assign"): 404,
    ("PUT", "/reporting/periods/{regime}/{period}"): 403,  # a general regime: not a health-only closing
    ("PUT", "/reporting/submissions/{regime}/{unit}/{period}"): 403,  # nor a health-only filing
    # Accounts and keys serving every sector are wider than a health-only administrator: not there for it.
    ("GET", "/users/{user_id}"): 404,
    ("POST", "/apikeys/{key_id}/revoke"): 404,
}
for _case in CASES:
    _path = _case.path if isinstance(_case.path, str) else _case.template
    _exp = _case.expect.get("admin")
    _case.expect["admin_health"] = ADMIN_HEALTH_DIFFERS.get((_case.method, _path), _exp)


@pytest.fixture
def world_with_figures(world):
    from toancanh.core.scoping import Scope
    from toancanh.indicators.tests.factories import indicator, values
    from toancanh.operations import engine, services, warnings
    from toancanh.operations.models import SituationType

    indicator("REV")
    values(("REV", HIEP_DUC, "2026-01", 10), ("REV", TAM_KY, "2026-01", 20))
    everywhere = Scope(everywhere=True)
    engine.reset()
    rule = services.save_rule(
        by=None,
        scope=everywhere,
        name="Bụi mịn",
        kind="threshold",
        unit="vn34-p48",
        sector_id="environment",
        params={"field": "pm25", "op": ">", "value": 55.4},
    )
    services.ingest_events([_event("setup") | {"payload": {"pm25": 90}}], by=None, scope=everywhere)
    SituationType.objects.create(code="landslide", name="Sạt lở", steps=[{"title": "Xác minh", "due_minutes": 30}])
    situation = services.open_situation(
        by=None, title="Sạt lở đất", severity="Severe", unit=world.units[HIEP_DUC], type_code="landslide"
    )
    from toancanh.operations.models import InAppNotification
    from toancanh.operations.notifications import save_channel

    save_channel(name="app", kind="in_app", config={})
    attachment = services.attach_file(situation, _photo(), by=None)
    world.ops = {
        "attachment": attachment,
        "notification": InAppNotification.objects.create(user=world.users["operator"], title="Cảnh báo"),
        "rule": rule,
        "alert": rule.alerts.get(),
        "situation": situation,
        "step": situation.steps.get(),
        "warning": warnings.draft_warning(by=None, scope=everywhere, units=[HIEP_DUC], **_body_fields(HIEP_DUC)),
        "province_warning": warnings.draft_warning(
            by=None, scope=everywhere, units=["vn34-p48"], **_body_fields("vn34-p48")
        ),
    }
    yield world
    engine.reset()


def _body_fields(unit):
    fields = dict(_warning_body(unit))
    fields.pop("units")
    return fields


def test_every_role_and_scope_gets_exactly_the_allowed_answer(world_with_figures):
    mismatches = check(world_with_figures, CASES)
    assert mismatches == [], "\n".join(mismatches)


def test_every_endpoint_in_the_openapi_document_is_in_the_matrix(client):
    spec = client.get("/api/v1/openapi.json").json()
    documented = {(m.upper(), p.removeprefix("/api/v1")) for p, ops in spec["paths"].items() for m in ops}
    covered = {(c.method, c.template) for c in CASES}
    assert documented - covered == set(), "endpoints without access expectations"
    assert covered - documented == set(), "cases for endpoints that no longer exist"


@pytest.mark.parametrize("who", ["leader", "officer", "clerk_hiep_duc", "key_tam_ky"])
def test_lists_hold_only_what_is_in_scope(world, who):
    codes = {a["code"] for a in world.client(who).get("/api/v1/agencies?limit=100").json()["items"]}
    expected = {
        "leader": {"so-y-te", "ubnd-hiep-duc", "ubnd-tam-ky"},
        "officer": {"so-y-te"},
        "clerk_hiep_duc": {"ubnd-hiep-duc"},
        "key_tam_ky": {"ubnd-tam-ky"},
    }[who]
    assert codes == expected


def test_a_hiep_duc_administrator_sees_hiep_duc_users_never_tam_ky(world):
    names = {u["username"] for u in world.client("admin_hiep_duc").get("/api/v1/users?limit=100").json()["items"]}
    assert world.users["clerk_hiep_duc"].username in names
    assert world.users["operator_tam_ky"].username not in names
    assert world.users["leader"].username not in names
