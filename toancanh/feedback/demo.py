"""The feedback part of ``toancanh demo``: a year of real-shaped citizen reports across Thành phố Đà
Nẵng, with realistic Vietnamese text per category (``texts.sample_report``), answers, ratings, some
late, some reopened, some refused, some still open — and an officer of Phường Hải Châu's People's
Committee to answer them.

The history is written in bulk (a year of reports in a few seconds), with the deadlines the
services would have set on the working-day calendar and the routing they would have chosen; it
raises no events (the alert rules are about the present, not last year).
"""

from __future__ import annotations

import datetime as dt
import random
import secrets

from django.db import transaction
from django.utils import timezone

from toancanh.feedback import deadlines, routing
from toancanh.feedback.models import Category, Entry, Report, RoutingRule, Status
from toancanh.feedback.services import CODE_ALPHABET, province
from toancanh.units.models import Agency, Unit

OFFICER = ("canbo.haichau", "canbo.haichau@2025", "Đặng Thu Hà (UBND phường Hải Châu)", "ubnd-phuong-hai-chau")
REPORTS_PER_YEAR = 2400
# How often each field comes up (Quảng Nam trực tuyến and Hà Nam's reports are mostly urban order,
# environment and infrastructure).
WEIGHTS = {"urban_order": 22, "environment": 26, "food_safety": 6, "traffic": 14, "security": 10,
           "infrastructure": 19, "other": 3}  # fmt: skip


def _officer() -> None:
    from toancanh.accounts import services as accounts
    from toancanh.accounts.models import User
    from toancanh.core.scoping import Scope

    username, password, name, agency = OFFICER
    if not User.objects.filter(username=username).exists():
        accounts.create_staff_user(by=None, scope=Scope(everywhere=True), username=username, password=password,
                                   role="agency_officer", unit="vn34-c20242", agency=agency, sectors=[],
                                   full_name=name)  # fmt: skip


def _code(rng: random.Random) -> str:
    return "PA" + "".join(rng.choice(CODE_ALPHABET) for _ in range(8))


def _moment(rng: random.Random, now: dt.datetime) -> dt.datetime:
    at = now - dt.timedelta(days=rng.random() * 365)
    local = timezone.localtime(at)
    hour = rng.choices(range(24), weights=[1, 1, 1, 1, 1, 2, 4, 7, 9, 9, 9, 8, 6, 6, 8, 8, 8, 8, 7, 7, 6, 4, 3, 2])[0]
    return local.replace(hour=hour, minute=rng.randrange(60), second=0, microsecond=0)


def build(n: int = REPORTS_PER_YEAR, seed: int = 2026) -> str:
    from toancanh.feedback.texts import CATEGORIES, sample_answer, sample_report

    _officer()
    if Report.objects.filter(channel="demo").exists():
        return "reports already there"
    rng = random.Random(seed)
    prov = province()
    communes = list(Unit.objects.filter(path__startswith=prov.path, level="commune", valid_to__isnull=True)
                    .exclude(lat=None).only("id", "key", "path", "name", "lat", "lon", "type"))  # fmt: skip
    if not communes:
        return "no communes"
    weights = [6 if c.type == "phuong" else 1 for c in communes]  # wards report far more than rural communes
    cats = {c.code: c for c in Category.objects.filter(active=True).select_related("parent")}
    now = timezone.now()
    routes: dict[tuple[int, int], object] = {}
    with_agency = set(Agency.objects.values_list("unit_id", flat=True)) | set(
        RoutingRule.objects.values_list("unit_id", flat=True)
    )
    reports, events = [], []
    for _ in range(n):
        top = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        sub = rng.choice(list(CATEGORIES[top].subcategories))
        cat = cats.get(f"{top}.{sub}") or cats[top]
        commune = rng.choices(communes, weights=weights)[0]
        title, text = sample_report(top, sub, rng, place=commune.name if rng.random() < 0.4 else None)
        received = _moment(rng, now)
        key = (cat.pk, commune.pk if commune.pk in with_agency else 0)  # the same route wherever no agency sits
        if key not in routes:
            routes[key] = routing.route(cat, commune)
        due = deadlines.due(received, cat.deadline_value, cat.deadline_unit)
        r = Report(code=_code(rng), token=secrets.token_hex(12), category=cat, title=title[:200], description=text[:4000],
                   lat=commune.lat + rng.gauss(0, 0.006), lon=commune.lon + rng.gauss(0, 0.006), unit=commune,
                   agency=routes[key], channel="demo", received_at=received, updated_at=received, due_at=due,
                   accept_due_at=deadlines.after_working_days(received, 2), anonymous=rng.random() < 0.6)  # fmt: skip
        log = [(received, Status.RECEIVED, "Đã tiếp nhận phản ánh", True)]
        fate = rng.random()
        age_days = (now - received).days
        if fate < 0.05:
            r.status, r.refusal_reason = Status.REFUSED, rng.choice(["spam", "out_of_scope"])
            log.append((received + dt.timedelta(hours=3), Status.REFUSED, "Từ chối tiếp nhận", True))
        elif age_days < 4 and fate < 0.7:
            r.status = rng.choice([Status.RECEIVED, Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS])
            r.overdue = due < now
        else:
            late = rng.random() < 0.18
            answered = (
                due + dt.timedelta(hours=rng.randint(5, 90))
                if late
                else received + (due - received) * rng.uniform(0.2, 0.95)
            )
            if answered > now:
                r.status, r.overdue = Status.IN_PROGRESS, due < now
            else:
                r.accepted_at = received + dt.timedelta(hours=rng.randint(1, 6))
                r.answer = sample_answer(top, sub, rng)
                r.answered_at, r.answered_on_time, r.overdue = answered, not late, late
                r.status = Status.ANSWERED
                log += [
                    (r.accepted_at, Status.ACCEPTED, "Đã tiếp nhận", True),
                    (answered, Status.ANSWERED, r.answer, True),
                ]
                if rng.random() < 0.03:
                    r.status = Status.CLOSED_NOT_FIXED
                    log.append((answered, Status.CLOSED_NOT_FIXED, "Vượt thẩm quyền, đã báo cáo cấp trên", True))
                elif rng.random() < 0.65:
                    r.rated_at = answered + dt.timedelta(hours=rng.randint(2, 72))
                    vague = len(r.answer) < 120
                    r.satisfied = rng.random() < (0.55 if vague or late else 0.85)
                    r.status = Status.CLOSED if r.satisfied else Status.ANSWERED
                    log.append((r.rated_at, r.status, "Hài lòng" if r.satisfied else "Không hài lòng", True))
                    if not r.satisfied and rng.random() < 0.35 and r.rated_at < now:
                        r.status, r.reopen_count = Status.REOPENED, 1
                        r.due_at = deadlines.due(r.rated_at, cat.deadline_value, cat.deadline_unit)
                        r.overdue = r.due_at < now
                        log.append((r.rated_at, Status.REOPENED, "Người dân phản ánh lại: chưa khắc phục", True))
                elif (now - answered).days > 10:
                    r.status, r.closed_at = Status.CLOSED, answered + dt.timedelta(days=10)
        r.updated_at = max(t for t, *_ in log)
        reports.append(r)
        events.append(log)
    with transaction.atomic():
        Report.objects.bulk_create(reports, batch_size=500)
        Entry.objects.bulk_create(
            [Entry(report=r, kind="answer" if st == Status.ANSWERED else "status", status=st, text=text, public=pub,
                   by="demo", at=at) for r, log in zip(reports, events, strict=True) for at, st, text, pub in log],
            batch_size=1000,
        )  # fmt: skip
    return f"{len(reports)} citizen reports over a year"
