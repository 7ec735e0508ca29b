"""Situations: the state machine, the standard procedure's steps, the timeline."""

from __future__ import annotations

import pytest

from toancanh.core.errors import ServiceError
from toancanh.operations import services
from toancanh.operations.models import SituationType
from toancanh.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def situation():
    SituationType.objects.create(code="flood", name="Ngập lụt", steps=[
        {"title": "Xác minh hiện trường", "owner": "UBND xã", "due_minutes": 30},
        {"title": "Sơ tán người dân vùng trũng", "owner": "Ban chỉ huy PCTT", "due_minutes": 120},
    ])  # fmt: skip
    return services.open_situation(by=None, title="Ngập sâu tại xã Hiệp Đức", severity="Severe",
                                   unit=Unit.objects.get(key="vn34-c20779"), type_code="flood")  # fmt: skip


def test_the_procedure_starts_with_the_situation_with_owners_and_deadlines(situation):
    steps = list(situation.steps.all())
    assert [(s.title, s.owner) for s in steps] == [("Xác minh hiện trường", "UBND xã"),
                                                   ("Sơ tán người dân vùng trũng", "Ban chỉ huy PCTT")]  # fmt: skip
    assert (steps[1].due_at - steps[0].due_at).total_seconds() == 90 * 60


def test_a_situation_moves_open_acknowledged_in_progress_resolved_closed(situation):
    for to in ("acknowledged", "in_progress"):
        services.transition(situation, to, by=None)
    for step in situation.steps.all():
        services.complete_step(step, by=None)
    services.transition(situation, "resolved", by=None, note="Nước đã rút")
    situation = services.transition(situation, "closed", by=None)
    assert situation.status == "closed" and situation.closed_at is not None
    kinds = [t.kind for t in situation.timeline.all()]
    assert kinds == ["opened", "status", "status", "step", "step", "status", "status"]


def test_a_situation_cannot_be_resolved_while_steps_are_pending(situation):
    with pytest.raises(ServiceError) as exc:
        services.transition(situation, "resolved", by=None)
    assert "Xác minh hiện trường" in exc.value.message


@pytest.mark.parametrize(("path", "bad"), [([], "closed"), (["acknowledged"], "open"), ([], "finished")])
def test_impossible_moves_are_refused_with_the_allowed_ones(situation, path, bad):
    for to in path:
        services.transition(situation, to, by=None)
    with pytest.raises(ServiceError) as exc:
        services.transition(situation, bad, by=None)
    assert "không thể chuyển sang" in exc.value.message or "trạng thái 'finished' không có" in exc.value.message


def test_a_closed_situation_stays_closed(situation):
    for step in situation.steps.all():
        services.complete_step(step, by=None)
    services.transition(situation, "resolved", by=None)
    services.transition(situation, "closed", by=None)
    with pytest.raises(ServiceError) as exc:
        services.transition(situation, "in_progress", by=None)
    assert "được phép: không có" in exc.value.message


def test_a_resolved_situation_can_be_reopened(situation):
    for step in situation.steps.all():
        services.complete_step(step, by=None)
    services.transition(situation, "resolved", by=None)
    assert services.transition(situation, "in_progress", by=None, note="Mưa tiếp tục").status == "in_progress"


def test_files_are_attached_and_unsafe_ones_refused(situation):
    from django.core.files.uploadedfile import SimpleUploadedFile

    att = services.attach_file(situation, SimpleUploadedFile("anh.jpg", b"\xff\xd8\xff" + b"0" * 32, content_type="image/jpeg"),
                               by=None)  # fmt: skip
    assert att.size == 35 and situation.timeline.filter(kind="attachment").exists()
    with pytest.raises(ServiceError) as exc:
        services.attach_file(
            situation,
            SimpleUploadedFile("x.exe", b"MZ\x90\x00\x03\x00", content_type="application/x-msdownload"),
            by=None,
        )
    assert "không thể đính kèm" in exc.value.message  # cannot be attached (in Vietnamese)


def test_assignees_must_be_within_the_assigners_scope(situation):
    from toancanh.accounts.tests.factories import StaffFactory
    from toancanh.core.errors import NotFound
    from toancanh.core.scoping import Scope
    from toancanh.units.queries import scope_paths

    hiep_duc = Unit.objects.get(key="vn34-c20779")
    near = StaffFactory(role="agency_officer", unit=hiep_duc)
    far = StaffFactory(role="agency_officer", unit=Unit.objects.get(key="vn34-c20341"))
    scope = Scope(unit_paths=scope_paths(hiep_duc))
    services.assign_situation(situation, by=None, scope=scope, users=[near.pk])
    assert list(situation.assignees.all()) == [near]
    with pytest.raises(NotFound):
        services.assign_situation(situation, by=None, scope=scope, users=[far.pk])
