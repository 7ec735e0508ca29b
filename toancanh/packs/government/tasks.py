"""Tasks assigned by the leadership (nhiệm vụ được giao, QĐ 42/2014/QĐ-TTg amended by QĐ 23/2018/QĐ-TTg
[C]): every write — assign, report progress, extend, import from Excel — and the counts by the four
official states (Báo cáo 1270/BC-TCTTTg [C]: due and done on time / late, not done within the
deadline / overdue; the headline ratio is done on time over due)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from toancanh.packs.api import Agency, ServiceError, job, record_audit
from toancanh.packs.government.models import Task, TaskExtension, TaskReport, TaskState

HEADER = ("code", "title", "document", "lead", "cooperating", "assigned_on", "deadline", "done_on")
# The same columns as an official writes them on a Vietnamese sheet (either spelling is accepted).
HEADER_VI = {"mã": "code", "nhiệm vụ": "title", "văn bản giao": "document", "chủ trì": "lead",
             "phối hợp": "cooperating", "ngày giao": "assigned_on", "hạn": "deadline",
             "ngày hoàn thành": "done_on"}  # fmt: skip


def _date(value: Any, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        if "/" in text:
            d, m, y = (int(x) for x in text.split("/"))
            return dt.date(y, m, d)
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise ServiceError(_("%(field)s is not a date: %(value)s") % {"field": field, "value": text[:20]}) from None


def _check(row: dict, agencies: dict[str, Agency]) -> dict:
    code, title = str(row.get("code") or "").strip(), str(row.get("title") or "").strip()
    if not code or len(code) > 60:
        raise ServiceError(_("a task needs a code of up to 60 characters"))
    if not title or len(title) > 500:
        raise ServiceError(_("a task needs a title of up to 500 characters"))
    lead = agencies.get(str(row.get("lead") or "").strip())
    if lead is None:
        raise ServiceError(_("unknown lead agency %(code)s") % {"code": str(row.get("lead"))[:60]})
    cooperating = row.get("cooperating") or []
    if isinstance(cooperating, str):
        cooperating = [c.strip() for c in cooperating.replace(";", ",").split(",") if c.strip()]
    unknown = [c for c in cooperating if c not in agencies]
    if unknown:
        raise ServiceError(_("unknown cooperating agency %(code)s") % {"code": unknown[0][:60]})
    assigned, deadline = _date(row.get("assigned_on"), "assigned_on"), _date(row.get("deadline"), "deadline")
    if assigned is None or deadline is None:
        raise ServiceError(_("a task needs the day it was assigned and its deadline"))
    if deadline < assigned:
        raise ServiceError(_("the deadline is before the task was assigned"))
    done = _date(row.get("done_on"), "done_on")
    if done is not None and done < assigned:
        raise ServiceError(_("a task cannot be done before it was assigned"))
    return {"code": code, "title": title, "document": str(row.get("document") or "")[:200], "lead": lead,
            "cooperating": [agencies[c] for c in cooperating], "assigned_on": assigned, "deadline": deadline,
            "done_on": done}  # fmt: skip


def save_tasks(rows: list[dict], *, by: Any) -> int:
    """Create or update tasks (all or nothing: the errors name the row)."""
    agencies = {a.code: a for a in Agency.objects.all()}
    checked, errors = [], []
    for n, row in enumerate(rows, start=1):
        try:
            checked.append(_check(row, agencies))
        except ServiceError as exc:
            errors.append(_("row %(n)s: %(error)s") % {"n": n, "error": exc})
    if errors:
        raise ServiceError("; ".join(errors[:20]))
    with transaction.atomic():
        for c in checked:
            cooperating = c.pop("cooperating")
            done = c["done_on"]
            task, _created = Task.objects.update_or_create(
                code=c.pop("code"), defaults={**c, "progress": 100 if done else 0}
            )
            task.cooperating.set(cooperating)
        record_audit("government.save_tasks", None, by=by, after={"tasks": len(checked)})
    return len(checked)


def import_excel(content: bytes, *, by: Any) -> int:
    """Tasks from an .xlsx file whose first row names the columns (:data:`HEADER`)."""
    if not content.startswith(b"PK"):
        raise ServiceError(_("not an Excel (.xlsx) file"))
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        rows = book.worksheets[0].iter_rows(values_only=True)
        first = next(rows, ())
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, IndexError) as exc:
        raise ServiceError(_("the file cannot be read as an Excel (.xlsx) workbook")) from exc
    names = [str(c).strip() if c is not None else "" for c in first]
    header = [HEADER_VI.get(n.lower(), n) for n in names]
    missing = [h for h in ("code", "title", "lead", "assigned_on", "deadline") if h not in header]
    if missing:
        vi = {code: name for name, code in HEADER_VI.items()}
        raise ServiceError(_("the first row must name the columns; missing: %(cols)s")
                           % {"cols": ", ".join(vi[m].capitalize() for m in missing)})  # fmt: skip
    records = [dict(zip(header, r, strict=False)) for r in rows if any(v is not None for v in r)]
    book.close()
    return save_tasks(records, by=by)


def report_progress(task: Task, *, progress: int, note: str = "", on: dt.date | None = None, by: Any) -> TaskReport:
    """A progress report; 100 % marks the task done on that day."""
    if not 0 <= progress <= 100:
        raise ServiceError(_("progress is a percentage from 0 to 100"))
    on = on or timezone.localdate()
    with transaction.atomic():
        report = TaskReport.objects.create(task=task, on=on, progress=progress, note=note[:2000])
        task.progress = progress
        task.done_on = on if progress == 100 else None
        task.save(update_fields=["progress", "done_on"])
        record_audit("government.report_progress", task, by=by, after={"progress": progress, "on": on.isoformat()})
    return report


def extend(task: Task, *, new_deadline: dt.date, reason: str, by: Any) -> TaskExtension:
    """Move a task's deadline later (gia hạn), keeping the earlier one in its history."""
    if task.done_on is not None:
        raise ServiceError(_("the task is done: its deadline cannot be extended"))
    if new_deadline <= task.deadline:
        raise ServiceError(_("an extension must move the deadline later"))
    if not reason.strip():
        raise ServiceError(_("an extension needs its reason"))
    with transaction.atomic():
        ext = TaskExtension.objects.create(task=task, old_deadline=task.deadline, new_deadline=new_deadline,
                                           reason=reason[:500], granted_on=timezone.localdate())  # fmt: skip
        before = {"deadline": task.deadline.isoformat()}
        task.deadline = new_deadline
        task.save(update_fields=["deadline"])
        record_audit("government.extend_task", task, by=by, before=before, after={"deadline": new_deadline.isoformat()})
    return ext


def state_filter(state: TaskState | str, today: dt.date) -> Q:
    return {
        TaskState.DONE_ON_TIME: Q(done_on__isnull=False, done_on__lte=F("deadline")),
        TaskState.DONE_LATE: Q(done_on__isnull=False, done_on__gt=F("deadline")),
        TaskState.OPEN_ON_TIME: Q(done_on__isnull=True, deadline__gte=today),
        TaskState.OPEN_OVERDUE: Q(done_on__isnull=True, deadline__lt=today),
    }[TaskState(state)]


def counts(queryset, today: dt.date, by: str = "lead") -> dict[int, dict]:
    """Per lead agency: the tasks in each of the four states on ``today``, and the done-on-time ratio
    over the tasks due (done, or past their deadline)."""
    rows = queryset.values(f"{by}_id").annotate(
        **{s.value: Count("id", filter=state_filter(s, today)) for s in TaskState}
    )  # fmt: skip
    out = {}
    for r in rows:
        key = r.pop(f"{by}_id")
        due = r["done_on_time"] + r["done_late"] + r["open_overdue"]
        r["due"] = due
        r["rate"] = round(100 * r["done_on_time"] / due, 2) if due else None
        out[key] = r
    return out


# --- the background job (this module is the pack's ``tasks.py``, which the job runner reads) --------


def _sweep_every() -> float:
    from django.conf import settings

    every = float(getattr(settings, "GOVERNMENT_SWEEP_SECONDS", 3600))
    if every < 60:
        raise ValueError(f"TOANCANH_GOVERNMENT_SWEEP_SECONDS must be at least 60 seconds, not {every:g}")
    return every


@job("government.sweep", every=_sweep_every(), timeout=900, max_attempts=3)
def sweep_overdue() -> dict:
    """Overdue dossiers and tasks into events for the alert rules (one event per item and day:
    a second run the same day adds none)."""
    from toancanh.packs.government import events  # events reads this module's states

    return events.sweep()
