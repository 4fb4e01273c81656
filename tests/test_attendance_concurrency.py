"""Two staff marking at the same moment (PostgreSQL): every count stays exact."""

from __future__ import annotations

import datetime
import uuid

from activities.attendance import anonymous_counts, anonymous_visit_add, visit_mark
from activities.models import ActivityKind, ActivityMember, SessionAttendance
from activities.services import activity_create, attendance_mark, member_add
from participants.models import Visit
from tests.factories import TODAY, make_participant
from tests.race import POSTGRES_ONLY, race

pytestmark = POSTGRES_ONLY


def test_two_staff_mark_the_same_person_at_once_count_one_visit(lotsen, drop_in, anna, omar):
    person = make_participant(lotsen)
    outcomes = race(
        [
            lambda by=by: visit_mark(
                participant=person, programme=drop_in, day=TODAY, hours=None, by=by, today=TODAY
            )
            for by in (anna, omar, anna, omar)
        ]
    )
    assert outcomes == ["ok"] * 4
    assert Visit.objects.filter(participant=person).count() == 1


def test_l7_two_staff_counting_at_once_both_count_and_retries_do_not(lotsen, drop_in, anna, omar):
    tokens = [str(uuid.uuid4()), str(uuid.uuid4())]
    attempts = [
        lambda token=token, by=by: anonymous_visit_add(
            programme=drop_in, day=TODAY, delta=1, token=token, by=by, today=TODAY
        )
        for token in tokens
        for by in (anna, omar)  # each token sent twice: a retry racing the first send
    ]
    assert race(attempts) == ["ok"] * 4
    assert anonymous_counts(unit=lotsen, day=TODAY) == {drop_in.pk: 2}


def _group(unit, by, programme):  # type: ignore[no-untyped-def]
    return activity_create(
        unit=unit,
        by=by,
        leaders=[by],
        weekdays=[0],
        programme=programme,
        kind=ActivityKind.GROUP_TREATMENT,
        title="Grupp B",
        place="Rum 1",
        first_date=TODAY,
        last_date=TODAY + datetime.timedelta(weeks=5),
        starts_at=datetime.time(9),
        ends_at=datetime.time(10),
    )


def test_r18_two_staff_add_the_eighth_member_at_once(beroende, maria, twelve_step, domain):
    from tests.factories import make_staff

    other = make_staff("karl", beroende)
    group = _group(beroende, maria, twelve_step)
    for _ in range(7):
        member_add(activity=group, participant=make_participant(beroende), by=maria)
    people = [make_participant(beroende), make_participant(beroende)]
    outcomes = race(
        [
            lambda p=p, by=by: member_add(activity=group, participant=p, by=by)
            for p, by in zip(people, (maria, other), strict=True)
        ]
    )
    assert outcomes.count("ok") == 1
    assert any("Gruppen är full: 8 av 8" in o for o in outcomes)
    assert ActivityMember.objects.filter(activity=group).count() == 8


def test_r17_two_staff_take_the_last_place_at_a_session(lotsen, anna, omar):
    activity = activity_create(
        unit=lotsen,
        by=anna,
        leaders=[anna],
        weekdays=[],
        kind=ActivityKind.ACTIVITY,
        title="Bowling",
        place="Hallen",
        first_date=TODAY,
        last_date=TODAY,
        starts_at=datetime.time(15),
        ends_at=datetime.time(17),
        max_participants=3,
    )
    session = activity.sessions.get()
    for _ in range(2):
        attendance_mark(session=session, participant=make_participant(lotsen), by=anna)
    people = [make_participant(lotsen), make_participant(lotsen)]
    outcomes = race(
        [
            lambda p=p, by=by: attendance_mark(session=session, participant=p, by=by)
            for p, by in zip(people, (anna, omar), strict=True)
        ]
    )
    assert outcomes.count("ok") == 1
    assert SessionAttendance.objects.filter(session=session).count() == 3


def test_a_mark_that_races_an_undo_marks_again(lotsen, drop_in, anna, monkeypatch):
    """A mark's insert meets another's visit, which an undo deletes before the mark reads
    it: the mark inserts again rather than failing (seen under load, bench/load.py)."""
    from activities import attendance

    insert = attendance._visit_insert
    calls = []

    def raced_insert(visit):  # type: ignore[no-untyped-def]
        calls.append(visit)
        if len(calls) == 1:  # the other staff's visit, undone again at once
            return False
        return insert(visit)

    monkeypatch.setattr(attendance, "_visit_insert", raced_insert)
    for probably_marked in (False, True):  # whether the sheet had seen a mark or not
        person = make_participant(lotsen)
        calls.clear()
        visit, created = visit_mark(
            participant=person,
            programme=drop_in,
            day=TODAY,
            hours=None,
            by=anna,
            today=TODAY,
            probably_marked=probably_marked,
        )
        assert created and len(calls) == 2
        assert list(Visit.objects.filter(participant=person)) == [visit]


def test_marks_and_undos_racing_leave_at_most_one_visit(lotsen, drop_in, anna, omar):
    from activities.attendance import visit_unmark

    person = make_participant(lotsen)

    def mark(by):  # type: ignore[no-untyped-def]
        return visit_mark(
            participant=person, programme=drop_in, day=TODAY, hours=None, by=by, today=TODAY
        )

    def undo():  # type: ignore[no-untyped-def]
        return visit_unmark(participant=person, programme=drop_in, day=TODAY, today=TODAY)

    for _ in range(3):
        outcomes = race([lambda: mark(anna), undo, lambda: mark(omar), undo])
        assert outcomes == ["ok"] * 4
        assert Visit.objects.filter(participant=person).count() <= 1
