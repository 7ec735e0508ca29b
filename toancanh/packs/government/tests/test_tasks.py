import datetime as dt
import io

import pytest
from openpyxl import Workbook

from toancanh.packs.api import ServiceError
from toancanh.packs.government import tasks
from toancanh.packs.government.models import Task, TaskState, task_state
from toancanh.packs.government.tests.helpers import setup_world

pytestmark = pytest.mark.django_db
DEADLINE = dt.date(2026, 3, 10)


@pytest.mark.parametrize(("done_on", "today", "state"), [
    (None, dt.date(2026, 3, 9), TaskState.OPEN_ON_TIME),
    (None, DEADLINE, TaskState.OPEN_ON_TIME),  # the deadline day itself is still within
    (None, dt.date(2026, 3, 11), TaskState.OPEN_OVERDUE),
    (DEADLINE, dt.date(2026, 4, 1), TaskState.DONE_ON_TIME),
    (dt.date(2026, 3, 11), dt.date(2026, 4, 1), TaskState.DONE_LATE),
])  # fmt: skip
def test_the_four_official_states_across_the_deadline(done_on, today, state):
    assert task_state(DEADLINE, done_on, today) == state


def row(code, **kw):
    return {"code": code, "title": "Rà soát thủ tục", "lead": "gov-test-a", "assigned_on": "2026-03-01",
            "deadline": "2026-03-10"} | kw  # fmt: skip


def test_tasks_are_counted_by_state_and_an_extension_moves_an_overdue_task_back_within():
    setup_world()
    tasks.save_tasks([row("T1", done_on="2026-03-09"), row("T2", done_on="2026-03-12"), row("T3"),
                      row("T4", deadline="2026-03-20", cooperating="gov-test-b")], by=None)  # fmt: skip
    today = dt.date(2026, 3, 15)
    (c,) = tasks.counts(Task.objects.all(), today).values()
    assert (c["done_on_time"], c["done_late"], c["open_on_time"], c["open_overdue"], c["due"], c["rate"]) == (
        1,
        1,
        1,
        1,
        3,
        33.33,
    )
    t3 = Task.objects.get(code="T3")
    tasks.extend(t3, new_deadline=dt.date(2026, 3, 31), reason="Chờ ý kiến Sở Tư pháp", by=None)
    assert Task.objects.get(code="T3").state(today) == TaskState.OPEN_ON_TIME
    assert t3.extensions.get().old_deadline == DEADLINE
    tasks.report_progress(t3, progress=100, on=dt.date(2026, 3, 20), by=None)
    assert Task.objects.get(code="T3").state(today) == TaskState.DONE_ON_TIME
    assert list(Task.objects.get(code="T4").cooperating.values_list("code", flat=True)) == ["gov-test-b"]


def test_bad_rows_are_refused_all_together_each_named():
    setup_world()
    with pytest.raises(ServiceError) as exc:
        tasks.save_tasks([row("T1"), row("T2", lead="nobody"), row("T3", deadline="2026-02-01")], by=None)
    assert "row 2: unknown lead agency nobody" in str(exc.value)
    assert "row 3: the deadline is before the task was assigned" in str(exc.value)
    assert not Task.objects.exists()


def test_tasks_import_from_excel():
    setup_world()
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "title", "document", "lead", "cooperating", "assigned_on", "deadline", "done_on"])
    sheet.append(
        ["X1", "Báo cáo giải ngân", "123/UBND-TH", "gov-test-b", None, dt.date(2026, 3, 1), "15/03/2026", None]
    )
    buf = io.BytesIO()
    book.save(buf)
    assert tasks.import_excel(buf.getvalue(), by=None) == 1
    assert Task.objects.get(code="X1").deadline == dt.date(2026, 3, 15)
    with pytest.raises(ServiceError):
        tasks.import_excel(b"code,title\n", by=None)
    with pytest.raises(ServiceError, match="Excel"):  # a broken workbook: refused, not a server error
        tasks.import_excel(b"PK\x03\x04 not really a workbook", by=None)


def test_tasks_import_takes_the_columns_named_in_vietnamese():
    setup_world()
    book = Workbook()
    book.active.append(["Mã", "Nhiệm vụ", "Văn bản giao", "Chủ trì", "Phối hợp", "Ngày giao", "Hạn", "Ngày hoàn thành"])
    book.active.append(["X2", "Rà soát thủ tục", "45/UBND-KSTT", "gov-test-b", None, dt.date(2026, 3, 1), "20/03/2026"])
    buf = io.BytesIO()
    book.save(buf)
    assert tasks.import_excel(buf.getvalue(), by=None) == 1
    assert Task.objects.get(code="X2").title == "Rà soát thủ tục"
    book = Workbook()
    book.active.append(["Mã", "Nhiệm vụ"])
    buf = io.BytesIO()
    book.save(buf)
    with pytest.raises(ServiceError, match="Chủ trì"):
        tasks.import_excel(buf.getvalue(), by=None)
