"""Taking in citizens' reports, and the citizens' own acts on them (follow, rate, reopen).

Staff handling (accept, refuse, assign, answer, transfer, extend, merge) is in :mod:`handling`.
Every write runs in one transaction with its audit record; events leave on commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from toancanh.core import audit, bus
from toancanh.core.errors import NotFound, ServiceError
from toancanh.core.scoping import Scope
from toancanh.core.sql import lock_names
from toancanh.feedback import abuse, deadlines, photos, queries, routing
from toancanh.feedback.models import (
    DONE,
    OPEN,
    Category,
    Entry,
    Follower,
    HandlingSettings,
    Photo,
    Report,
    Status,
)
from toancanh.units.models import Unit
from toancanh.units.queries import locate_commune

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read over the phone
MAX_DESCRIPTION = 4000  # Open311's limit
MAX_TITLE = 200


class Throttled(ServiceError):
    """Too many submissions from one phone, device or address (HTTP 429)."""

    status = 429
    code = "throttled"


def province_key() -> str:
    """The province whose citizens this installation serves (``TOANCANH_FEEDBACK_PROVINCE``)."""
    return getattr(settings, "FEEDBACK_PROVINCE", "") or os.environ.get("TOANCANH_FEEDBACK_PROVINCE", "vn34-p48")


def province() -> Unit:
    unit = Unit.objects.filter(key=province_key()).first()
    if unit is None:
        raise ServiceError(gettext("the province served is not set up"))
    return unit


def new_code() -> str:
    return "PA" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def hash_device(device: str) -> str:
    return hashlib.sha256(device.encode()).hexdigest()[:40] if device else ""


def resolve_category(code: str) -> Category:
    if not code:
        raise ServiceError(gettext("choose a category"))
    cat = Category.objects.select_related("parent").filter(code=code, active=True).first()
    if cat is None:
        raise NotFound(gettext("unknown category “%(code)s”") % {"code": code[:60]})
    return cat


def locate(lat: float, lon: float) -> Unit:
    """The commune of the province served that holds the point; an error outside the province."""
    import math

    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ServiceError(gettext("the position is not a valid latitude and longitude"))
    prov = province()
    if prov.bounds:
        south, west, north, east = prov.bounds
        if not (south - 0.01 <= lat <= north + 0.01 and west - 0.01 <= lon <= east + 0.01):
            raise ServiceError(_outside(prov))
    boundary = getattr(prov, "boundary", None) if hasattr(prov, "boundary") else None
    if boundary is not None:
        from shapely.geometry import Point, shape

        if not shape(boundary.geometry).buffer(0.005).contains(Point(lon, lat)):
            raise ServiceError(_outside(prov))
    commune = locate_commune(lat, lon, Scope(unit_paths=(prov.path,)))
    if commune is None:
        raise ServiceError(_outside(prov))
    return commune


def _outside(prov: Unit) -> str:
    return gettext("the position lies outside %(province)s: reports are taken only inside it") % {"province": prov.name}


@dataclass
class Submission:
    """A report as a citizen (or an integrator) sends it."""

    category: str
    description: str
    lat: float
    lon: float
    title: str = ""
    address: str = ""
    name: str = ""
    phone: str = ""
    anonymous: bool = True
    device: str = ""
    ip: str = ""
    channel: str = "app"
    photos: list = field(default_factory=list)
    photo_public: list[bool] = field(default_factory=list)
    # the address is a sender of its own (the app), or only an integrator's (Open311 for its citizens)
    ip_is_sender: bool = True


def _check_text(sub: Submission) -> None:
    text = (sub.description or "").strip()
    if len(text) < 5:
        raise ServiceError(gettext("describe what you saw (at least a few words)"))
    if len(text) > MAX_DESCRIPTION:
        raise ServiceError(
            gettext("the description is %(n)s characters long; at most %(max)s")
            % {"n": len(text), "max": MAX_DESCRIPTION}
        )
    if len(sub.title) > MAX_TITLE or len(sub.address) > 255 or len(sub.name) > 120:
        raise ServiceError(gettext("the title, address or name is too long"))
    for value in (sub.description, sub.title, sub.address, sub.name, sub.phone):
        if "\x00" in value:
            raise ServiceError(gettext("the text contains a NUL byte"))
    phone = sub.phone.replace(" ", "").replace(".", "")
    if phone and not (phone.lstrip("+").isdigit() and 9 <= len(phone.lstrip("+")) <= 12):
        raise ServiceError(gettext("the phone number is not valid"))


def _throttle(sub: Submission, user: Any, now: dt.datetime) -> None:
    """At most ``max_reports_per_hour`` per phone, device, address or account, and none from a locked
    sender (:mod:`abuse`). Counted in the database inside the transaction that stores the report, under a lock per sender, so that
    processes (``serve --workers N``, several servers) racing for one sender take turns."""
    limit = HandlingSettings.current().max_reports_per_hour
    since = now - dt.timedelta(hours=1)
    who, names = Q(), []
    if sub.phone:
        who |= Q(reporter_phone=sub.phone)
        names.append(f"feedback.phone:{sub.phone}")
    if sub.device:
        who |= Q(device=hash_device(sub.device))
        names.append(f"feedback.device:{hash_device(sub.device)}")
    if sub.ip and sub.ip_is_sender:
        who |= Q(client_ip=sub.ip)
        names.append(f"feedback.ip:{sub.ip}")
    if user is not None and getattr(user, "pk", None):
        who |= Q(reporter_id=user.pk)
        names.append(f"feedback.user:{user.pk}")
    lock_names(*names)
    # a locked sender is told so (403) before it is counted: checked under the same locks as the count
    abuse.require_not_locked(
        user, now, phone=sub.phone or getattr(user, "phone", "") or "", device=hash_device(sub.device)
    )
    if who and Report.objects.filter(who, received_at__gte=since).count() >= limit:
        raise Throttled(
            gettext("you have sent %(n)s reports in the last hour; please wait before sending more") % {"n": limit}
        )


def event_row(report: Report, kind: str, at: dt.datetime) -> dict[str, Any]:
    """The report as an operations event (no personal data): rules may count them per commune."""
    return {
        "source": "feedback",
        "source_id": f"{report.code}:{kind}:{int(at.timestamp())}",
        "sector": "feedback",
        "type": f"feedback.report.{kind}",
        "subject": report.category.code,
        "unit": report.unit.key,
        "lat": report.lat,
        "lon": report.lon,
        "occurred_at": at,
        "payload": {"code": report.code, "category": report.category.code, "status": report.status,
                    "agency": report.agency_id},
    }  # fmt: skip


def emit(report: Report, kind: str, at: dt.datetime | None = None) -> None:
    """Tell the platform: the live bus now, and an operations event once the transaction commits."""
    at = at or timezone.now()
    bus.publish({"type": f"feedback.{kind}", "code": report.code, "category": report.category.code,
                 "status": report.status, "unit": report.unit.path, "lat": report.lat, "lon": report.lon})  # fmt: skip
    row = event_row(report, kind, at)
    queries.bump_map()  # now, and again once committed (a map read in between must not stay cached)

    def send() -> None:
        from toancanh.operations.services import submit_events

        queries.bump_map()
        submit_events([row], scope=Scope(everywhere=True))

    transaction.on_commit(send)


def add_entry(report: Report, kind: str, *, by: Any, text: str = "", public: bool = False,
              status: str = "", at: dt.datetime | None = None) -> Entry:  # fmt: skip
    label = audit.actor_fields(by)["actor_label"] if by is not None else "citizen"
    return Entry.objects.create(report=report, kind=kind, public=public, status=status, text=text,
                                by=str(label)[:150], at=at or timezone.now())  # fmt: skip


def store_photos(report: Report, cleaned: list[photos.CleanPhoto], entry: Entry | None = None) -> list[Photo]:
    out = []
    for n, p in enumerate(cleaned, 1):
        photo = Photo(report=report, entry=entry, width=p.width, height=p.height, size=len(p.content), public=p.public)
        photo.file.save(f"{report.code}-{entry.pk if entry else 0}-{n}.jpg", ContentFile(p.content), save=False)
        photo.save()
        out.append(photo)
    return out


def submit_report(sub: Submission, *, user: Any = None, by: Any = None, now: dt.datetime | None = None) -> Report:
    """Take in a report: checked whole (category, text, place, photos, rate) before anything is
    stored, routed to its agency, its deadlines set on the working-day calendar."""
    now = now or timezone.now()
    category = resolve_category(sub.category)
    _check_text(sub)
    sub.phone = abuse.phone_key(sub.phone)  # one sender however the number is written
    commune = locate(sub.lat, sub.lon)
    abuse.require_not_locked(
        user, now, phone=sub.phone or getattr(user, "phone", "") or "", device=hash_device(sub.device)
    )  # before the photos' work
    cleaned = photos.clean_all(sub.photos, sub.photo_public)
    rules = HandlingSettings.current()
    agency = routing.route(category, commune)
    signed_in = user is not None and getattr(user, "pk", None)
    text = sub.description.strip()
    with transaction.atomic():
        _throttle(sub, user, now)
        report = Report.objects.create(
            code=new_code(), token=secrets.token_hex(12), category=category,
            title=(sub.title.strip() or text.split("\n")[0])[:MAX_TITLE], description=text, lat=sub.lat, lon=sub.lon,
            address=sub.address.strip(), unit=commune, agency=agency, reporter=user if signed_in else None,
            reporter_name=sub.name.strip(), reporter_phone=sub.phone.strip() or (getattr(user, "phone", "") or ""),
            anonymous=sub.anonymous, device=hash_device(sub.device), client_ip=sub.ip or "", channel=sub.channel,
            received_at=now, updated_at=now,
            accept_due_at=deadlines.after_working_days(now, rules.accept_within_days),
            due_at=deadlines.due(now, category.deadline_value, category.deadline_unit),
        )  # fmt: skip
        store_photos(report, cleaned)
        add_entry(report, "status", by=by, status=Status.RECEIVED, public=True, at=now,
                  text=gettext("Report received"))  # fmt: skip
        if signed_in or report.reporter_phone or report.device:
            Follower.objects.create(report=report, user=user if signed_in else None, phone=report.reporter_phone,
                                    device=report.device)  # fmt: skip
        audit.record("feedback.submit", report, by=by or user, unit_path=commune.path,
                     after={"code": report.code, "category": category.code, "agency": agency.pk if agency else None,
                            "photos": len(cleaned), "channel": sub.channel})  # fmt: skip
        emit(report, "received", now)
    return report


def by_token(token: str) -> Report:
    report = Report.objects.select_related("category", "unit").filter(token=token).first() if token else None
    if report is None:
        raise NotFound.of("report")
    return report


def follow(report: Report, *, user: Any = None, phone: str = "", device: str = "") -> Follower:
    """Follow an open report (instead of sending a duplicate of it): its answer reaches you too."""
    if report.status not in OPEN and report.status not in DONE:
        raise ServiceError(gettext("this report can no longer be followed"))
    signed_in = user is not None and getattr(user, "pk", None)
    with transaction.atomic():
        existing = Follower.objects.filter(report=report)
        existing = existing.filter(user=user) if signed_in else existing.filter(device=hash_device(device), phone=phone)
        found = existing.first()
        if found is not None:
            return found
        f = Follower.objects.create(report=report, user=user if signed_in else None, phone=phone,
                                    device=hash_device(device))  # fmt: skip
        add_entry(report, "follow", by=None, text=gettext("Someone else follows this report"))
        audit.record("feedback.follow", report, by=user, unit_path=report.unit.path)
    return f


RATABLE = (Status.ANSWERED, Status.CLOSED, Status.CLOSED_NOT_FIXED)


def rate(report: Report, *, satisfied: bool, comment: str = "", by: Any = None) -> Report:
    """The citizen's rating of the answer (hài lòng / không hài lòng); a satisfied one closes it."""
    if report.status not in RATABLE:
        raise ServiceError(gettext("a report can be rated once it has been answered"))
    if len(comment) > 500 or "\x00" in comment:
        raise ServiceError(gettext("the comment is too long (at most 500 characters)"))
    now = timezone.now()
    with transaction.atomic():
        report.satisfied, report.rating_comment, report.rated_at, report.updated_at = satisfied, comment, now, now
        if satisfied and report.status == Status.ANSWERED:
            report.status, report.closed_at = Status.CLOSED, now
        report.save()
        verdict = gettext("Satisfied") if satisfied else gettext("Not satisfied")
        add_entry(report, "rating", by=None, public=True, status=report.status, at=now,
                  text=f"{verdict}. {comment}".strip(". ") if comment else verdict)  # fmt: skip
        audit.record("feedback.rate", report, by=by, unit_path=report.unit.path,
                     after={"satisfied": satisfied})  # fmt: skip
        emit(report, "rated", now)
    return report


def reopen(report: Report, *, reason: str, by: Any = None, now: dt.datetime | None = None) -> Report:
    """A dissatisfied citizen reopens an answered or closed report: it goes back to its agency
    with a new deadline."""
    if report.status not in RATABLE:
        raise ServiceError(gettext("only an answered or closed report can be reopened"))
    reason = (reason or "").strip()
    if not reason or len(reason) > 2000:
        raise ServiceError(gettext("say why the report should be reopened"))
    now = now or timezone.now()
    category = report.category
    with transaction.atomic():
        report.status, report.reopen_count, report.updated_at = Status.REOPENED, report.reopen_count + 1, now
        report.closed_at = None
        report.overdue, report.reminded_at, report.escalated_at = False, None, None
        report.due_at = deadlines.due(now, category.deadline_value, category.deadline_unit)
        report.save()
        add_entry(report, "status", by=None, public=True, status=Status.REOPENED, text=reason, at=now)
        audit.record("feedback.reopen", report, by=by, unit_path=report.unit.path, after={"reason": reason})
        emit(report, "reopened", now)
    return report
