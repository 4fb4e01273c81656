"""R23: measurements due appear in the therapist's daily reminder e-mail, like plan
follow-ups; treatment adds them through plans' digest provider hook (decision 0013)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from lotsen.models import Role
from plans.reminders import _providers
from plans.services import reminder_digests_send
from tests.factories import TODAY, make_course, make_participant, make_staff
from treatment.models import CourseOutcome, Stage
from treatment.reminders import measurement_lines
from treatment.results import measurement_record
from treatment.services import course_join, course_leave

pytestmark = pytest.mark.django_db


def _left_course(programme, unit, by, *, weeks_ago, **person):  # type: ignore[no-untyped-def]
    start = TODAY - datetime.timedelta(weeks=weeks_ago)
    course = make_course(programme, by=by, start=start, name="Vårgruppen")
    membership, _ = course_join(
        course=course, participant=make_participant(unit, **person), on=start, by=by
    )
    _take(membership, "Inskrivning", start, by)
    course_leave(membership=membership, on=course.end_date, outcome=CourseOutcome.COMPLETED, by=by)
    membership.refresh_from_db()
    return membership


def _take(membership, stage, on, by):  # type: ignore[no-untyped-def]
    measurement_record(
        membership=membership,
        stage=Stage.objects.get(name=stage),
        measured_on=on,
        values={},
        today=TODAY,
        by=by,
    )


def test_treatment_registers_its_lines_with_the_daily_digest() -> None:
    assert measurement_lines in _providers


def test_r23_due_measurements_go_to_the_course_therapist_in_the_daily_mail(
    twelve_step, beroende, maria
) -> None:
    membership = _left_course(
        twelve_step, beroende, maria, weeks_ago=20, first_name="Alva", last_name="Berg"
    )
    assert reminder_digests_send(today=TODAY) == 1
    message = mail.outbox[0]
    assert message.to == [maria.email]
    assert "Alva B., Vårgruppen" in message.body and "Berg" not in message.body
    assert f"Mätning: Kursens slut {membership.left_on:%Y-%m-%d}:" in message.body
    assert (
        f"Mätning: Kursens slut {membership.left_on:%Y-%m-%d}</strong>"
        in (message.alternatives[0][0])
    )
    assert "Mätning: Uppföljning 3 månader" in message.body
    assert "Uppföljning 6 månader" not in message.body
    assert f"/kursdeltagare/{membership.pk}/matning/?stage=" in message.alternatives[0][0]
    assert "Alva" not in message.subject
    # Measured: gone from the next day's mail.
    _take(membership, "Kursens slut", membership.left_on, maria)
    _take(membership, "Uppföljning 3 månader", TODAY, maria)
    assert measurement_lines(TODAY + datetime.timedelta(days=1)) == {}


def test_r23_the_six_and_twelve_month_follow_ups_fall_due_in_turn(
    twelve_step, beroende, maria
) -> None:
    membership = _left_course(twelve_step, beroende, maria, weeks_ago=60)
    for stage in ("Kursens slut", "Uppföljning 3 månader", "Uppföljning 6 månader"):
        _take(membership, stage, TODAY - datetime.timedelta(days=30), maria)
    lines = measurement_lines(TODAY)[maria]
    twelve = membership.left_on.replace(year=membership.left_on.year + 1)
    assert [(str(line["label"]), line["date"]) for line in lines] == [
        ("Mätning: Uppföljning 12 månader", twelve)
    ]


def test_l4_a_protected_person_is_not_named_and_a_therapist_who_left_is_replaced_by_the_manager(
    twelve_step, beroende, lotsen, maria
) -> None:
    _left_course(twelve_step, beroende, maria, weeks_ago=20, protected_identity=True)
    boss = make_staff("sara", beroende, Role.MANAGER)
    maria.units.set([lotsen])
    reminder_digests_send(today=TODAY)
    assert [m.to for m in mail.outbox] == [[boss.email]]
    body = mail.outbox[0].body
    assert "en mätning i en av dina kurser ska göras" in body
