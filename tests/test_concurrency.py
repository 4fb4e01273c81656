"""Two staff taking the last free place at the same moment: exactly one succeeds (R5, R8)."""

from __future__ import annotations

from decimal import Decimal

from participants.models import Enrolment
from participants.services import capacity_weeks, enrolment_create
from tests.factories import TODAY, make_participant, make_place
from tests.race import POSTGRES_ONLY, race

pytestmark = POSTGRES_ONLY


def test_r5_two_staff_take_the_last_hours_at_once(training, lotsen, anna, omar) -> None:
    for hours in (35, 35, 25):
        make_place(make_participant(lotsen), training, hours=hours, contact_person=anna)
    people = [make_participant(lotsen), make_participant(lotsen)]
    outcomes = race(
        [
            lambda p=p, by=by: enrolment_create(
                participant=p,
                programme=training,
                start_date=TODAY,
                hours_per_week=Decimal(10),
                contact_person=by,
                by=by,
            )
            for p, by in zip(people, (anna, omar), strict=True)
        ]
    )
    assert sorted(outcomes)[-1] == "ok" and outcomes.count("ok") == 1
    assert any("Platserna är fulla" in o for o in outcomes)
    assert capacity_weeks(training, today=TODAY, weeks=1)[0]["used"] == 105


def test_r8_two_staff_take_the_last_team_isa_place_at_once(isa, lotsen, anna, omar) -> None:
    for _ in range(5):
        make_place(make_participant(lotsen, young=True), isa, contact_person=anna)
    people = [make_participant(lotsen, young=True), make_participant(lotsen, young=True)]
    outcomes = race(
        [
            lambda p=p, by=by: enrolment_create(
                participant=p,
                programme=isa,
                start_date=TODAY,
                hours_per_week=Decimal(10),
                contact_person=by,
                by=by,
            )
            for p, by in zip(people, (anna, omar), strict=True)
        ]
    )
    assert outcomes.count("ok") == 1
    assert Enrolment.objects.filter(programme=isa).count() == 6
