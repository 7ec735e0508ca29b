"""The access matrix, by contents: for every list endpoint, exactly which objects each principal sees
(unit-, agency- and sector-limited principals, citizens and anonymous callers), each object once;
and the live stream's decision, which must agree with what the API shows each principal."""

from __future__ import annotations

import pytest

from toancanh.core.tests.access import PRINCIPALS, ListCase, check_contents
from toancanh.tests.cast import HIEP_DUC, PROVINCE, TAM_KY

ALL = ["leader", "operator", "admin", "admin_health"]  # province-wide (admin_health: health only)


def _rule(name, unit, sector):
    return {"name": name, "kind": "threshold", "unit": unit, "sector_id": sector,
            "params": {"field": "pm25", "op": ">", "value": 50}}  # fmt: skip


def _event(sid, sector, unit):
    return {"source": "contents", "source_id": sid, "sector": sector, "type": "reading", "subject": sid,
            "unit": unit, "occurred_at": "2026-11-21T08:00:00+07:00", "payload": {"pm25": 90}}  # fmt: skip


def _warning(headline, units):
    return {"event": "Lũ", "event_en": "Flood", "headline": headline, "headline_en": headline,
            "description": "Mưa lớn.", "description_en": "Heavy rain.", "severity": "Severe", "urgency": "Immediate",
            "certainty": "Likely", "units": units}  # fmt: skip


@pytest.fixture
def spread(world, django_capture_on_commit_callbacks):
    """Objects of every kind spread over the province, Hiệp Đức and Tam Kỳ, sectors and agencies;
    and the bus events their creation published."""
    from toancanh.core import bus
    from toancanh.core.scoping import Scope
    from toancanh.indicators.tests.factories import indicator
    from toancanh.operations import engine, notifications, services, warnings
    from toancanh.operations.models import InAppNotification

    everywhere = Scope(everywhere=True)
    published: list[dict] = []
    unsubscribe = bus.subscribe(published.append)
    engine.reset()
    u, a = world.units, world.agencies
    with django_capture_on_commit_callbacks(execute=True):
        indicator("REV")
        indicator("HOSP", sector="health", measure="giường")
        for r in (_rule("r-env-p", PROVINCE, "environment"), _rule("r-health-hd", HIEP_DUC, "health"),
                  _rule("r-all-tk", TAM_KY, None)):  # fmt: skip
            services.save_rule(by=None, scope=everywhere, **r)
        events = [_event("env-hd", "environment", HIEP_DUC), _event("health-tk", "health", TAM_KY),
                  _event("health-p", "health", PROVINCE), _event("health-hd", "health", HIEP_DUC)]  # fmt: skip
        report = services.ingest_events(events, by=None, scope=everywhere)
        assert report.stored == 4 and report.alerts_raised == 3, report
        for title, unit, sector, lead in [
            ("s-hd-env", HIEP_DUC, "environment", None),
            ("s-p-health-soyte", PROVINCE, "health", a["health_dept"]),
            ("s-tk-lead-tk", TAM_KY, "health", a["tam_ky"]),
            ("s-hd-lead-hd", HIEP_DUC, None, a["hiep_duc"]),
        ]:
            services.open_situation(by=None, title=title, severity="Moderate", unit=u[unit], sector=sector,
                                    lead_agency=lead)  # fmt: skip
        for headline, units in [("w-hd", [HIEP_DUC]), ("w-p", [PROVINCE]), ("w-hd-tk", [HIEP_DUC, TAM_KY])]:
            warnings.draft_warning(by=None, scope=everywhere, **_warning(headline, units))
        notifications.save_channel(name="c-system", kind="in_app", config={})
        for name, unit in [("c-p", PROVINCE), ("c-hd", HIEP_DUC), ("c-tk", TAM_KY)]:
            owner = world.users["admin"] if unit == PROVINCE else type("Owner", (), {"unit": u[unit]})()
            notifications.save_channel(
                name=name, kind="in_app", config={}, by=owner, scope=Scope(unit_paths=(u[unit].path,))
            )
        for address, unit in [("sub-hd@x.vn", HIEP_DUC), ("sub-tk@x.vn", TAM_KY), ("sub-p@x.vn", PROVINCE)]:
            notifications.save_subscription(by=None, scope=everywhere, channel="c-system", unit=unit, address=address)
        InAppNotification.objects.create(user=world.users["operator"], title="n-operator")
    unsubscribe()
    world.published = published
    yield world
    engine.reset()


STAFF_KEYS = ["leader", "operator", "officer", "clerk_hiep_duc", "admin", "admin_hiep_duc", "admin_health",
              "operator_tam_ky"]  # fmt: skip
ADMINS = ["admin", "admin_hiep_duc", "admin_health"]


def _usernames(cast, keys):
    return {cast.users[k].username for k in keys}


LISTS = [
    ListCase(
        "/agencies",
        "code",
        {
            **dict.fromkeys(ALL, {"so-y-te", "ubnd-hiep-duc", "ubnd-tam-ky"}),
            "officer": {"so-y-te"},
            "clerk_hiep_duc": {"ubnd-hiep-duc"},
            "admin_hiep_duc": {"ubnd-hiep-duc"},
            "key_tam_ky": {"ubnd-tam-ky"},
        },
    ),
    ListCase(
        "/users",
        "username",
        {
            "admin": lambda c: _usernames(c, STAFF_KEYS),
            # A health-limited administrator manages health-limited accounts only (not all-sector ones).
            "admin_health": lambda c: _usernames(c, ["officer", "admin_health"]),
            "admin_hiep_duc": lambda c: _usernames(c, ["clerk_hiep_duc", "admin_hiep_duc"]),
        },
    ),
    ListCase(
        "/apikeys",
        "name",
        {
            "admin": {"tam-ky-integration", "tam-ky-spare"},
            "admin_health": set(),  # both keys serve every sector
            "admin_hiep_duc": set(),
        },
    ),
    ListCase(
        "/indicators",
        "code",
        {
            **dict.fromkeys(
                ["leader", "operator", "admin", "clerk_hiep_duc", "admin_hiep_duc", "key_tam_ky"], {"REV", "HOSP"}
            ),
            "officer": {"HOSP"},
            "admin_health": {"HOSP"},
        },
    ),
    ListCase(
        f"/indicators/overview?unit={PROVINCE}",
        "indicator",
        {
            **dict.fromkeys(["leader", "operator", "admin"], {"REV", "HOSP"}),
            "officer": {"HOSP"},
            "admin_health": {"HOSP"},
            "clerk_hiep_duc": None,
            "admin_hiep_duc": None,
            "key_tam_ky": None,
        },
        paged=False,
    ),
    ListCase(
        "/events",
        "source_id",
        {
            **dict.fromkeys(["leader", "operator", "admin"], {"env-hd", "health-tk", "health-p", "health-hd"}),
            "officer": {"health-tk", "health-p", "health-hd"},
            "admin_health": {"health-tk", "health-p", "health-hd"},
            "clerk_hiep_duc": {"env-hd", "health-hd"},
            "admin_hiep_duc": {"env-hd", "health-hd"},
            "key_tam_ky": {"health-tk"},
        },
    ),
    ListCase(
        "/rules",
        "name",
        {
            **dict.fromkeys(["leader", "operator", "admin"], {"r-env-p", "r-health-hd", "r-all-tk"}),
            "officer": {"r-health-hd"},
            "admin_health": {"r-health-hd"},
            "clerk_hiep_duc": {"r-health-hd"},
            "admin_hiep_duc": {"r-health-hd"},
            "key_tam_ky": {"r-all-tk"},
        },
    ),
    ListCase(
        "/alerts",
        "rule",
        {
            **dict.fromkeys(["leader", "operator", "admin"], {"r-env-p", "r-health-hd", "r-all-tk"}),
            "officer": {"r-health-hd"},
            "admin_health": {"r-health-hd"},
            "clerk_hiep_duc": {"r-env-p", "r-health-hd"},
            "admin_hiep_duc": {"r-env-p", "r-health-hd"},
            "key_tam_ky": {"r-all-tk"},
        },
    ),
    ListCase(
        "/situations",
        "title",
        {
            **dict.fromkeys(
                ["leader", "operator", "admin"], {"s-hd-env", "s-p-health-soyte", "s-tk-lead-tk", "s-hd-lead-hd"}
            ),
            "officer": {"s-p-health-soyte"},
            "admin_health": {"s-p-health-soyte", "s-tk-lead-tk"},
            "clerk_hiep_duc": {"s-hd-lead-hd"},
            "admin_hiep_duc": {"s-hd-env", "s-hd-lead-hd"},
            "key_tam_ky": {"s-tk-lead-tk"},
        },
    ),
    ListCase(
        "/warnings",
        "headline",
        {
            **dict.fromkeys(["leader", "operator", "admin", "admin_health", "officer"], {"w-hd", "w-p", "w-hd-tk"}),
            "clerk_hiep_duc": {"w-hd", "w-hd-tk"},
            "admin_hiep_duc": {"w-hd", "w-hd-tk"},
            "key_tam_ky": {"w-hd-tk"},
        },
    ),
    ListCase(
        "/channels",
        "name",
        {
            "admin": {"c-system", "c-p", "c-hd", "c-tk"},
            "admin_health": {"c-system", "c-p", "c-hd", "c-tk"},
            "admin_hiep_duc": {"c-system", "c-p", "c-hd"},
        },
    ),
    ListCase(
        "/subscriptions",
        "address",
        {
            "admin": {"sub-hd@x.vn", "sub-tk@x.vn", "sub-p@x.vn"},
            "admin_health": {"sub-hd@x.vn", "sub-tk@x.vn", "sub-p@x.vn"},
            "admin_hiep_duc": {"sub-hd@x.vn"},
        },
    ),
    ListCase(
        "/notifications",
        "title",
        {
            **dict.fromkeys(
                ["leader", "officer", "clerk_hiep_duc", "admin", "admin_hiep_duc", "admin_health", "key_tam_ky"], set()
            ),
            "operator": {"n-operator"},
        },
    ),
]


def test_every_list_holds_exactly_what_each_principal_may_see_each_once(spread):
    mismatches = check_contents(spread, LISTS)
    assert mismatches == [], "\n".join(mismatches)


def test_the_audit_log_holds_only_entries_within_each_principals_units(spread):
    for who in ["leader", "admin", "admin_hiep_duc", "admin_health"]:
        items = spread.client(who).get("/api/v1/audit?limit=1000").json()["items"]
        scope = (spread.users.get(who) or spread.keys[who][0]).scope
        assert items and all(scope.covers_path(e["unit_path"]) for e in items), who
    hd = {e["unit_path"] for e in spread.client("admin_hiep_duc").get("/api/v1/audit?limit=1000").json()["items"]}
    assert hd and not any(p.startswith(spread.units[TAM_KY].path) for p in hd)


def test_public_reference_lists_are_the_same_for_everyone(spread):
    answers = {who: spread.client(who).get("/api/v1/sectors").json() for who in PRINCIPALS}
    assert len({repr(a) for a in answers.values()}) == 1 and len(answers["anonymous"]) >= 10


# --- the live stream ---------------------------------------------------------------------------

_LIST_OF = {"event.received": "/events", "alert.raised": "/alerts", "situation.opened": "/situations"}


def test_the_stream_sends_each_principal_exactly_what_the_api_shows_it(spread):
    for who in [w for w in PRINCIPALS if w not in ("anonymous", "citizen")]:
        _stream_agrees_with_the_api(spread, who)


def _stream_agrees_with_the_api(spread, who):
    from toancanh.operations.stream import visible

    principal = spread.users.get(who) or spread.keys[who][0]
    scope = principal.scope
    client = spread.client(who)
    shown = {
        t: {o["id"] for o in client.get(f"/api/v1{path}?limit=100").json()["items"]} for t, path in _LIST_OF.items()
    }
    sent = [e for e in spread.published if e["type"] in _LIST_OF]
    assert {e["type"] for e in sent} == set(_LIST_OF)
    decided = {(e["type"], e["id"]) for e in sent if visible(e, scope)}
    expected = {(e["type"], e["id"]) for e in sent if e["id"] in shown[e["type"]]}
    assert decided == expected, who


def test_situation_events_carry_their_lead_agency(spread):
    opened = {e["title"]: e for e in spread.published if e["type"] == "situation.opened"}
    assert opened["s-p-health-soyte"]["agency"] == spread.agencies["health_dept"].pk
    assert opened["s-hd-env"]["agency"] is None


def test_citizens_and_anonymous_callers_get_no_scope_at_all(spread):
    from toancanh.core.scoping import scope_of
    from toancanh.operations.stream import visible

    for principal in (spread.users["citizen"], None):
        scope = scope_of(principal)
        assert scope.is_empty
        assert not any(visible(e, scope) for e in spread.published)


def test_the_database_filter_and_the_one_decision_agree_on_every_object(spread):
    """``visible_to`` is :meth:`Scope.allows` written for the database: object by object, they agree."""
    from toancanh.accounts.models import ApiKey, User
    from toancanh.core.scoping import allows_object, scope_of
    from toancanh.indicators.models import Indicator
    from toancanh.operations.models import Alert, AlertRule, Event, PublicWarning, Situation, Subscription
    from toancanh.units.models import Agency

    models = [Agency, User, ApiKey, Indicator, Event, AlertRule, Alert, Situation, PublicWarning, Subscription]
    principals = [spread.users.get(w) or spread.keys[w][0] for w in PRINCIPALS if w != "anonymous"] + [None]
    for model in models:
        objects = list(model._default_manager.all())
        assert objects, model
        for p in principals:
            scope = scope_of(p)
            by_filter = sorted(model._default_manager.all().visible_to(p).values_list("pk", flat=True))
            by_decision = sorted(o.pk for o in objects if allows_object(scope, o))
            assert by_filter == by_decision, (model.__name__, p)


def test_a_published_warning_reaches_the_screens_of_every_unit_it_covers(spread, django_capture_on_commit_callbacks):
    """``warning.published`` names all its units: a warning for Hiệp Đức and Tam Kỳ reaches both."""
    from toancanh.core import bus
    from toancanh.operations import warnings
    from toancanh.operations.models import PublicWarning
    from toancanh.operations.stream import visible

    published: list[dict] = []
    unsubscribe = bus.subscribe(published.append)
    with django_capture_on_commit_callbacks(execute=True):
        for w in PublicWarning.objects.all():
            warnings.publish_warning(w, by=None)
    unsubscribe()
    sent = [e for e in published if e["type"] == "warning.published"]
    both = next(e for e in sent if e["headline"] == "w-hd-tk")
    assert sorted(both["units"]) == sorted([spread.units[HIEP_DUC].path, spread.units[TAM_KY].path])
    for who in [w for w in PRINCIPALS if w not in ("anonymous", "citizen")] + ["operator_tam_ky"]:
        principal = spread.users.get(who) or spread.keys[who][0]
        shown = {o["id"] for o in spread.client(who).get("/api/v1/warnings?limit=100").json()["items"]}
        assert {e["id"] for e in sent if visible(e, principal.scope)} == shown, who
    assert visible(both, spread.users["operator_tam_ky"].scope)
