"""API shapes shared by the core: health, sectors, audit entries, errors."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.utils.translation import gettext
from ninja import Schema
from pydantic import AfterValidator, Field

from toancanh.core.periods import MAX_YEAR, MIN_YEAR


class WorkerRead(Schema):
    name: str
    host: str
    pid: int
    started_at: dt.datetime
    beat_at: dt.datetime
    beat_age_seconds: float
    current_job: int | None = None


class JobsHealthRead(Schema):
    """The job runner: live workers and their last heartbeat, jobs by status, the oldest due job."""

    ok: bool = Field(..., description="a worker beats and no due job has waited over 5 minutes")
    workers: list[WorkerRead]
    counts: dict[str, int] = Field(..., description="jobs by status: waiting, running, done, failed, dead")
    dead: int = Field(..., description="jobs given up after their last attempt")
    oldest_waiting_seconds: float | None = Field(None, description="age of the oldest due job not yet claimed")
    error: str | None = None


class HealthRead(Schema):
    status: str
    version: str
    database: dict[str, Any]
    migrations: dict[str, Any]
    jobs: JobsHealthRead
    time: dt.datetime


class SectorRead(Schema):
    code: str
    name_vi: str
    name_en: str


class AuditRead(Schema):
    id: int
    at: dt.datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    unit_path: str
    before: Any = None
    after: Any = None

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor_label


class LayerRead(Schema):
    code: str
    label: str
    url: str
    legend: list[tuple[str, str]]
    style: dict[str, Any]
    sector: str | None = None
    pack: str


class LayerList(Schema):
    items: list[LayerRead]
    count: int


class ConnectorRead(Schema):
    name: str
    kind: str
    status: str
    active: bool
    every_seconds: int
    next_run_at: dt.datetime | None = None
    last_run_at: dt.datetime | None = None
    last_success_at: dt.datetime | None = None
    last_error: str
    last_error_at: dt.datetime | None = None
    failures: int
    runs: int
    accepted_total: int
    refused_total: int
    last_accepted: int
    last_refused: int
    last_refusals: list[dict[str, Any]]


class PushRead(Schema):
    accepted: int
    refused: list[dict[str, Any]]


# --- bounded input: the shared types every API shape uses for what callers send ------------------
# SQLite does not enforce column lengths, PostgreSQL refuses NUL bytes, a lone surrogate breaks
# every page that shows the text, NaN breaks every sum: each is refused here, at the API, with a
# reason, before anything is stored.

MAX_ID = 2**63 - 1  # the largest database key
MAX_OFFSET = 10**9
MAX_PAGE = 1000


def check_text(value: str) -> str:
    """Refuse NUL bytes and lone surrogates (text that is not Unicode cannot be stored or shown)."""
    if "\x00" in value:
        raise ValueError(gettext("must not contain NUL bytes"))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(gettext("is not valid Unicode text (a lone surrogate)")) from exc
    return value


def BoundedStr(max_length: int, min_length: int = 0, **kw: Any) -> Any:  # noqa: N802 - a type factory
    """A text field of at most ``max_length`` characters, free of NUL bytes and lone surrogates."""
    return Annotated[str, Field(max_length=max_length, min_length=min_length, **kw), AfterValidator(check_text)]


SafeText = Annotated[str, Field(max_length=20_000), AfterValidator(check_text)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]


def check_datetime(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(gettext("needs a time zone (e.g. 2026-11-21T08:00:00+07:00)"))
    if MIN_YEAR < value.year < MAX_YEAR:  # a year inside: in UTC too (an offset moves it by a day at most)
        return value
    if not MIN_YEAR <= value.year <= MAX_YEAR or not MIN_YEAR <= value.astimezone(dt.UTC).year <= MAX_YEAR:
        raise ValueError(gettext("must lie between %(min)s and %(max)s") % {"min": MIN_YEAR, "max": MAX_YEAR})
    return value


def check_date(value: dt.date) -> dt.date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(gettext("must lie between %(min)s and %(max)s") % {"min": MIN_YEAR, "max": MAX_YEAR})
    return value


SaneDatetime = Annotated[dt.datetime, AfterValidator(check_datetime)]
SaneDate = Annotated[dt.date, AfterValidator(check_date)]

MAX_JSON_DEPTH = 12


def check_json(value: Any, *, max_bytes: int = 16_384) -> Any:
    """A free-form JSON value (an event's payload, a rule's parameters): text safe, numbers finite,
    at most ``MAX_JSON_DEPTH`` deep and ``max_bytes`` long."""
    import json
    import math

    def walk(v: Any, depth: int) -> float:
        """Checks ``v`` and returns at least as many bytes as its JSON text has (the text itself
        is written only when this bound is over the limit: it runs for every event's payload)."""
        if depth > MAX_JSON_DEPTH:
            raise ValueError(gettext("is nested too deeply (at most %(n)s levels)") % {"n": MAX_JSON_DEPTH})
        if isinstance(v, str):
            check_text(v)
            return 6 * len(v) + 2  # a character takes at most 6 bytes (\u001f), and the quotes
        if isinstance(v, bool) or v is None:
            return 5
        if isinstance(v, int):
            return v.bit_length() // 3 + 2  # decimal digits (log10 2 < 1/3) and a sign
        if isinstance(v, float):
            if not math.isfinite(v):
                raise ValueError(gettext("numbers must be finite (no NaN or Infinity)"))
            return 24  # the longest repr of a float: -2.2250738585072014e-308
        if isinstance(v, dict):
            size = 2
            for k, item in v.items():
                key = str(k)
                check_text(key)
                size += 6 * len(key) + 6 + walk(item, depth + 1)  # "key": value,
            return size
        if isinstance(v, list | tuple):
            return 2 + sum(walk(item, depth + 1) + 2 for item in v)
        return math.inf  # written with str(): measured below

    if walk(value, 0) > max_bytes and len(json.dumps(value, ensure_ascii=False, default=str).encode()) > max_bytes:
        raise ValueError(gettext("is too large (at most %(n)s bytes)") % {"n": max_bytes})
    return value


def BoundedJSON(max_bytes: int = 16_384) -> Any:  # noqa: N802 - a type factory
    return Annotated[dict[str, Any], AfterValidator(lambda v: check_json(v, max_bytes=max_bytes))]


class PushBody(Schema):
    records: list[BoundedJSON(16_384)] = Field(..., max_length=5000, description="at most 5,000 records a request")


def inline_schema(model: type) -> dict[str, Any]:
    """A model's JSON schema with its definitions written in place (for a shape documented inside another)."""
    spec = model.model_json_schema()
    defs = spec.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return resolve(defs[ref.removeprefix("#/$defs/")])
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    return resolve(spec)


# --- the one error body ------------------------------------------------------------------------


class ErrorItem(Schema):
    """One reason: where (a field such as ``events.3.occurred_at``, or a row) and why."""

    field: str | None = None
    row: int | str | None = None
    message: str


class ErrorRead(Schema):
    """Every 4xx answer of the API: what went wrong, in the caller's language (Vietnamese unless
    the caller asks for English with ``Accept-Language: en``), a stable code, and the reasons."""

    detail: str
    code: str
    errors: list[ErrorItem] = []
