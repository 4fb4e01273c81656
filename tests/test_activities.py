"""Group activities and sessions (R17, R18): series, moves, cancels, group size, ages."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from activities.calendar import upcoming_sessions
from activities.models import ActivityKind, ActivityMember, ClosureDay, SessionAttendance
from activities.services import (
    activity_create,
    attendance_mark,
    member_add,
    session_cancel,
    session_move,
)
from tests.factories import make_participant

pytestmark = pytest.mark.django_db
D = datetime.date
T = datetime.time


# A session marks attendance on its day or later, so the marking tests start last week.
LAST_WEEK = D(2026, 11, 16)


def _series(unit, by, **fields):  # type: ignore[no-untyped-def]
    defaults = {
        "kind": ActivityKind.ACTIVITY,
        "title": "Promenadgrupp",
        "place": "Entrén",
        "first_date": D(2026, 11, 23),
        "last_date": D(2026, 12, 31),
        "starts_at": T(10),
        "ends_at": T(11, 30),
        "weekdays": [1, 3],
        "leaders": [by],
    }
    return activity_create(unit=unit, by=by, **{**defaults, **fields})


def test_r18_series_every_tuesday_and_thursday_skips_holidays(lotsen, anna) -> None:
    """L8: no session on Christmas Eve (Thursday) or a closure day."""
    ClosureDay.objects.create(unit=lotsen, date=D(2026, 12, 1), reason="Personaldag")
    activity = _series(lotsen, anna)
    dates = [s.date for s in activity.sessions.all()]
    assert dates[:3] == [D(2026, 11, 24), D(2026, 11, 26), D(2026, 12, 3)]
    assert D(2026, 12, 24) not in dates and D(2026, 12, 31) not in dates
    assert all(d.weekday() in (1, 3) for d in dates)


def test_r18_a_single_session_is_moved_or_cancelled(lotsen, anna) -> None:
    activity = _series(lotsen, anna)
    first, second = list(activity.sessions.all())[:2]
    session_move(
        session=first, date=D(2026, 11, 25), starts_at=T(13), ends_at=T(14), place="", by=anna
    )
    session_cancel(session=second, reason="Ledaren är sjuk", by=anna)
    sessions = upcoming_sessions(lotsen, D(2026, 11, 23), 7)
    moved = next(s for s in sessions if s.original_date == D(2026, 11, 24))
    assert moved.date == D(2026, 11, 25) and moved.is_moved and moved.place == "Entrén"
    assert next(s for s in sessions if s.original_date == D(2026, 11, 26)).cancelled
    assert activity.sessions.count() == len(_series(lotsen, anna).sessions.all())


def test_dates_in_the_wrong_order_get_a_clear_message(lotsen, anna) -> None:
    with pytest.raises(ValidationError) as error:
        _series(lotsen, anna, first_date=D(2026, 12, 1), last_date=D(2026, 11, 1))
    assert "Sista datum ligger före första datum" in str(error.value)
    with pytest.raises(ValidationError) as error:
        _series(lotsen, anna, starts_at=T(12), ends_at=T(11))
    assert "Sluttiden ligger före starttiden" in str(error.value)


def test_r18_twelve_step_group_takes_at_most_eight(beroende, maria, twelve_step) -> None:
    group = _series(
        beroende, maria, programme=twelve_step, kind=ActivityKind.GROUP_TREATMENT, title="Grupp A"
    )
    people = [make_participant(beroende) for _ in range(9)]
    for person in people[:8]:
        member_add(activity=group, participant=person, by=maria)
    with pytest.raises(ValidationError) as error:
        member_add(activity=group, participant=people[8], by=maria)
    assert "Gruppen är full: 8 av 8" in str(error.value)
    assert ActivityMember.objects.filter(activity=group).count() == 8


def test_r18_a_group_limit_above_the_programmes_is_refused(beroende, maria, twelve_step) -> None:
    with pytest.raises(ValidationError) as error:
        _series(beroende, maria, programme=twelve_step, max_participants=10)
    assert "grupper om högst 8" in str(error.value)


def test_r17_yngre_lotsen_is_for_18_to_35(lotsen, anna, young_adults) -> None:
    activity = _series(lotsen, anna, programme=young_adults, title="Bowling", first_date=LAST_WEEK)
    older = make_participant(lotsen, birth_date=D(1980, 5, 5))
    young = make_participant(lotsen, young=True)
    with pytest.raises(ValidationError) as error:
        member_add(activity=activity, participant=older, by=anna)
    assert "för personer 18–35 år" in str(error.value)
    session = activity.sessions.first()
    with pytest.raises(ValidationError):
        attendance_mark(session=session, participant=older, by=anna)
    assert attendance_mark(session=session, participant=young, by=anna)[1]


def test_r17_a_double_click_marks_attendance_once(lotsen, anna) -> None:
    session = _series(lotsen, anna, first_date=LAST_WEEK).sessions.first()
    person = make_participant(lotsen)
    assert attendance_mark(session=session, participant=person, by=anna)[1] is True
    assert attendance_mark(session=session, participant=person, by=anna)[1] is False
    assert SessionAttendance.objects.count() == 1


def test_r17_visitor_numbers_can_be_limited(lotsen, anna) -> None:
    session = _series(lotsen, anna, max_participants=2, first_date=LAST_WEEK).sessions.first()
    for _ in range(2):
        attendance_mark(session=session, participant=make_participant(lotsen), by=anna)
    with pytest.raises(ValidationError) as error:
        attendance_mark(session=session, participant=make_participant(lotsen), by=anna)
    assert "Tillfället är fullt: 2 av 2" in str(error.value)


def test_a_cancelled_session_takes_no_attendance(lotsen, anna) -> None:
    session = _series(lotsen, anna).sessions.first()
    session_cancel(session=session, reason="Stormvarning", by=anna)
    with pytest.raises(ValidationError):
        attendance_mark(session=session, participant=make_participant(lotsen), by=anna)


def test_another_units_person_cannot_join(lotsen, hantverkshuset, anna) -> None:
    activity = _series(lotsen, anna)
    with pytest.raises(ValidationError):
        member_add(activity=activity, participant=make_participant(hantverkshuset), by=anna)


def test_upcoming_sessions_public_only(lotsen, anna) -> None:
    _series(lotsen, anna, title="Intern")
    _series(
        lotsen,
        anna,
        title="Informationsmöte",
        kind=ActivityKind.INFORMATION_MEETING,
        is_public=True,
        weekdays=[0],
    )
    public = upcoming_sessions(lotsen, D(2026, 11, 23), 14, public_only=True)
    assert {s.activity.title for s in public} == {"Informationsmöte"}
    assert [s.date for s in public] == [D(2026, 11, 23), D(2026, 11, 30)]
