"""Treatment courses at Beroendemottagningen (R18): sizes and lengths from the programme,
joining under the place rules, leaving with an outcome, attendance as the visit record."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from activities.attendance import visit_unmark
from activities.services import attendance_mark, attendance_unmark
from participants.models import Enrolment, Visit
from reporting.services import annual_figures
from tests.factories import TODAY, make_course, make_participant, make_place
from treatment.models import CourseOutcome, CourseParticipant, CourseType, EarlyEndReason
from treatment.services import below_minimum, course_join, course_leave

pytestmark = pytest.mark.django_db


def test_r18_course_length_comes_from_the_course_type(twelve_step, maria) -> None:
    course = make_course(twelve_step, by=maria)
    assert course.end_date == TODAY + datetime.timedelta(weeks=6, days=-1)
    CourseType.objects.filter(programme=twelve_step).update(weeks=8)
    longer = make_course(twelve_step, by=maria)
    assert longer.end_date == TODAY + datetime.timedelta(weeks=8, days=-1)
    assert course.activity.sessions.count() == 12  # Mondays and Wednesdays for six weeks


def test_r18_a_full_course_refuses_the_next_person(twelve_step, beroende, maria) -> None:
    twelve_step.group_max = 2
    twelve_step.save()
    course = make_course(twelve_step, by=maria)
    for _ in range(2):
        course_join(course=course, participant=make_participant(beroende), on=TODAY, by=maria)
    with pytest.raises(ValidationError, match="Kursen är full: 2 av 2"):
        course_join(course=course, participant=make_participant(beroende), on=TODAY, by=maria)


def test_r18_join_gives_a_place_under_the_place_rules_and_twice_joins_once(
    twelve_step, beroende, lotsen, maria
) -> None:
    course = make_course(twelve_step, by=maria)
    person = make_participant(beroende)
    membership, created = course_join(course=course, participant=person, on=TODAY, by=maria)
    again, created_again = course_join(course=course, participant=person, on=TODAY, by=maria)
    assert created and not created_again and again == membership
    assert membership.place.end_date == course.end_date
    assert Enrolment.objects.filter(participant=person).count() == 1
    with pytest.raises(ValidationError, match="program vid personens enhet"):
        course_join(course=course, participant=make_participant(lotsen), on=TODAY, by=maria)


def test_r18_join_uses_the_place_from_an_accepted_referral(twelve_step, beroende, maria) -> None:
    person = make_participant(beroende)
    place = make_place(person, twelve_step, hours=None, end=TODAY + datetime.timedelta(days=40))
    course = make_course(twelve_step, by=maria)
    membership, _created = course_join(course=course, participant=person, on=TODAY, by=maria)
    assert membership.place == place


def test_r1_a_person_under_18_cannot_join(twelve_step, beroende, maria) -> None:
    course = make_course(twelve_step, by=maria)
    child = make_participant(beroende, birth_date=datetime.date(2012, 1, 1))
    with pytest.raises(ValidationError, match="för personer från 18"):
        course_join(course=course, participant=child, on=TODAY, by=maria)


def test_r18_leave_with_outcome_ends_the_place(twelve_step, beroende, maria) -> None:
    course = make_course(twelve_step, by=maria)
    person = make_participant(beroende)
    membership, _ = course_join(course=course, participant=person, on=TODAY, by=maria)
    with pytest.raises(ValidationError) as caught:
        course_leave(membership=membership, on=TODAY, outcome=CourseOutcome.ENDED_EARLY, by=maria)
    assert "early_reason" in caught.value.message_dict
    with pytest.raises(ValidationError) as wrong_order:
        course_leave(
            membership=membership,
            on=TODAY - datetime.timedelta(days=3),
            outcome=CourseOutcome.COMPLETED,
            by=maria,
        )
    assert "left_on" in wrong_order.value.message_dict
    left = course_leave(
        membership=membership,
        on=TODAY,
        outcome=CourseOutcome.ENDED_EARLY,
        early_reason=EarlyEndReason.RELAPSE,
        by=maria,
    )
    left.place.refresh_from_db()
    assert left.place.outcome == "ended_early" and left.place.outcome_note == "återfall"
    assert not course.activity.members.filter(participant=person).exists()
    with pytest.raises(ValidationError, match="redan slutat"):
        course_leave(membership=left, on=TODAY, outcome=CourseOutcome.COMPLETED, by=maria)


def test_r18_an_outcome_is_dated_within_the_course_and_not_in_the_future(
    twelve_step, beroende, maria
) -> None:
    ended = make_course(twelve_step, by=maria, start=TODAY - datetime.timedelta(weeks=8))
    person = make_participant(beroende)
    membership, _ = course_join(course=ended, participant=person, on=ended.start_date, by=maria)
    after = ended.end_date + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        course_leave(membership=membership, on=after, outcome=CourseOutcome.COMPLETED, by=maria)
    assert caught.value.message_dict["left_on"] == [
        f"Datumet ligger efter kursens slut ({ended.end_date}). Välj ett datum inom kursen."
    ]
    running = make_course(twelve_step, by=maria)
    other, _ = course_join(
        course=running, participant=make_participant(beroende), on=TODAY, by=maria
    )
    with pytest.raises(ValidationError, match="Datumet ligger i framtiden"):
        course_leave(
            membership=other,
            on=TODAY + datetime.timedelta(days=3),
            outcome=CourseOutcome.COMPLETED,
            by=maria,
        )
    with pytest.raises(ValidationError, match="efter kursens slut"):
        course_leave(
            membership=other,
            on=running.end_date + datetime.timedelta(days=9),
            outcome=CourseOutcome.COMPLETED,
            by=maria,
        )
    assert not CourseParticipant.objects.exclude(left_on=None).exists()


def test_r18_someone_who_drops_out_before_the_course_begins_ends_early_on_its_first_day(
    twelve_step, beroende, maria
) -> None:
    coming = make_course(twelve_step, by=maria, start=TODAY + datetime.timedelta(days=7))
    person = make_participant(beroende)
    membership, _ = course_join(course=coming, participant=person, on=coming.start_date, by=maria)
    left = course_leave(
        membership=membership,
        on=coming.start_date,
        outcome=CourseOutcome.ENDED_EARLY,
        early_reason=EarlyEndReason.OWN_WISH,
        by=maria,
    )
    assert left.left_on == coming.start_date


def test_r18_a_join_date_outside_the_course_is_refused_not_moved(
    twelve_step, beroende, maria
) -> None:
    coming = make_course(twelve_step, by=maria, start=TODAY + datetime.timedelta(days=7))
    person = make_participant(beroende)
    with pytest.raises(ValidationError) as early:
        course_join(course=coming, participant=person, on=TODAY, by=maria)
    assert early.value.messages == [
        f"Kursen börjar {coming.start_date}. Välj ett datum från kursstarten."
    ]
    late = coming.end_date + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as after:
        course_join(course=coming, participant=person, on=late, by=maria)
    assert after.value.messages == [
        f"Datumet ligger efter kursens slut ({coming.end_date}). Välj ett datum inom kursen."
    ]
    assert not coming.participants.exists()


def test_r18_a_group_below_its_minimum_is_flagged_before_it_starts(twelve_step, maria) -> None:
    coming = make_course(twelve_step, by=maria, start=TODAY + datetime.timedelta(days=7))
    assert below_minimum(coming, current=5, on=TODAY)
    assert not below_minimum(coming, current=6, on=TODAY)
    assert not below_minimum(coming, current=5, on=coming.start_date)


def test_r18_session_attendance_is_the_units_visit_record(twelve_step, beroende, maria) -> None:
    """The day sheet, the sessions and the annual report count the same visits."""
    course = make_course(twelve_step, by=maria)
    people = [make_participant(beroende) for _ in range(3)]
    session = course.activity.sessions.get(date=TODAY)
    for person in people:
        course_join(course=course, participant=person, on=TODAY, by=maria)
        attendance_mark(session=session, participant=person, by=maria)
    assert Visit.objects.filter(programme=twelve_step, date=TODAY).count() == 3
    figures = annual_figures(unit=beroende, year=TODAY.year, today=TODAY)
    assert figures.visits == 3
    attendance_unmark(session=session, participant=people[0], today=TODAY)
    assert Visit.objects.filter(programme=twelve_step, date=TODAY).count() == 2
    visit_unmark(participant=people[1], programme=twelve_step, day=TODAY, today=TODAY)
    assert session.attendances.count() == 1
    # Hours typed on the day sheet are more than the session's mark: they are not lost.
    Visit.objects.filter(participant=people[2], date=TODAY).update(hours=Decimal(3))
    attendance_unmark(session=session, participant=people[2], today=TODAY)
    assert Visit.objects.get(participant=people[2], date=TODAY).hours == Decimal(3)


def test_r18_a_person_is_in_one_group_at_a_time(twelve_step, beroende, maria) -> None:
    """Joining a second running group is refused, naming the first; once the first is
    left (or over) the next join works: a move is a leave, then a join."""
    first = make_course(twelve_step, by=maria, name="Grupp Ek")
    second = make_course(twelve_step, by=maria, name="Grupp Björk")
    person = make_participant(beroende)
    membership, _ = course_join(course=first, participant=person, on=TODAY, by=maria)
    with pytest.raises(ValidationError) as caught:
        course_join(course=second, participant=person, on=TODAY, by=maria)
    assert "Personen går redan i Grupp Ek" in caught.value.messages[0]
    assert not second.participants.exists()
    # A group starting after the first one ends takes the person.
    later = make_course(twelve_step, by=maria, start=first.end_date + datetime.timedelta(days=1))
    assert course_join(course=later, participant=person, on=later.start_date, by=maria)[1]
    # The move: leave the first group, then join the second from the next day.
    course_leave(membership=membership, on=TODAY, outcome=CourseOutcome.COMPLETED, by=maria)
    tomorrow = TODAY + datetime.timedelta(days=1)
    moved, created = course_join(course=second, participant=person, on=tomorrow, by=maria)
    assert created and moved.joined_on == tomorrow
