"""Effect-goal indicators computed from the register (R19)."""

from __future__ import annotations

import datetime

import pytest

from reporting.indicators import follow_ups_on_time
from tests.factories import TODAY, make_participant, make_place, make_plan

pytestmark = pytest.mark.django_db


def test_r13_r19_a_follow_up_still_not_done_counts_as_late(lotsen, training, anna) -> None:
    """Follow-ups every three months. One plan: three owed, all on time (the fourth is not
    due yet). One: done two weeks late. One: owed since 1 October, never done. Three of the
    five owed were on time; counting only those done would say three of four."""
    year = (datetime.date(TODAY.year, 1, 1), datetime.date(TODAY.year, 12, 31))
    on_time = make_plan(
        make_place(make_participant(lotsen), training, contact_person=anna, start=year[0]),
        established_on=datetime.date(TODAY.year, 1, 10),
        by=anna,
    )
    on_time.record_follow_up(on=datetime.date(TODAY.year, 4, 1), by=anna)
    on_time.record_follow_up(on=datetime.date(TODAY.year, 6, 20), by=anna)
    on_time.record_follow_up(on=datetime.date(TODAY.year, 9, 1), by=anna)
    # 1 Dec is not yet past on TODAY: nothing owed after 1 Sep.
    late = make_plan(
        make_place(make_participant(lotsen), training, contact_person=anna, start=year[0]),
        established_on=datetime.date(TODAY.year, 6, 1),
        by=anna,
    )
    late.record_follow_up(on=datetime.date(TODAY.year, 9, 15), by=anna)  # due 1 Sep
    never = make_plan(
        make_place(make_participant(lotsen), training, contact_person=anna, start=year[0]),
        established_on=datetime.date(TODAY.year, 7, 1),
        by=anna,
    )
    assert never.follow_up_due is not None and never.follow_up_due < TODAY
    assert follow_ups_on_time(lotsen, *year) == pytest.approx(60.0)  # 3 of 5 owed
