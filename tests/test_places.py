"""Place rules in their simplest form: R5 (105 h/week), R6 (>= 4 h), R7 (<= 2 years),
R8 (Team ISA: 6 people, 18-35), R9 (contact person)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from lotsen.models import Programme, Unit, User
from participants.models import Enrolment
from participants.services import capacity_weeks, enrolment_create
from tests.factories import TODAY, make_participant, make_place

pytestmark = pytest.mark.django_db


def _enrol(programme: Programme, unit: Unit, by: User, **kwargs: object) -> Enrolment:
    kwargs.setdefault("start_date", TODAY)
    kwargs.setdefault("hours_per_week", Decimal(10))
    kwargs.setdefault("contact_person", by)
    young = programme.max_age is not None
    return enrolment_create(
        participant=make_participant(unit, young=young), programme=programme, by=by, **kwargs
    )


def _errors(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


def test_r5_lotsen_hours_cannot_exceed_105(training, lotsen, anna) -> None:
    for _ in range(3):
        _enrol(training, lotsen, anna, hours_per_week=Decimal(35))
    with pytest.raises(ValidationError) as error:
        _enrol(training, lotsen, anna, hours_per_week=Decimal(4))
    assert "105" in _errors(error)["hours_per_week"][0]
    assert Enrolment.objects.filter(programme=training).count() == 3


def test_r5_places_are_shared_up_to_exactly_105(training, lotsen, anna) -> None:
    for hours in (35, 35, 30):
        _enrol(training, lotsen, anna, hours_per_week=Decimal(hours))
    _enrol(training, lotsen, anna, hours_per_week=Decimal(5))
    assert capacity_weeks(training, today=TODAY, weeks=1)[0]["used"] == 105


def test_r5_a_future_start_counts_on_the_days_it_overlaps(training, lotsen, anna) -> None:
    _enrol(training, lotsen, anna, hours_per_week=Decimal(70))
    _enrol(
        training,
        lotsen,
        anna,
        hours_per_week=Decimal(30),
        start_date=TODAY + datetime.timedelta(days=60),
    )
    # Fits today (70 + 30 = 100) but not from day 60, when the future place starts.
    with pytest.raises(ValidationError) as error:
        _enrol(training, lotsen, anna, hours_per_week=Decimal(10))
    assert (TODAY + datetime.timedelta(days=60)).isoformat() in _errors(error)["hours_per_week"][0]


def test_r5_a_place_that_ends_frees_its_hours(training, lotsen, anna) -> None:
    _enrol(
        training,
        lotsen,
        anna,
        hours_per_week=Decimal(70),
        end_date=TODAY + datetime.timedelta(days=30),
    )
    _enrol(training, lotsen, anna, hours_per_week=Decimal(30))
    # Starting after the 70-hour place ends, 30 + 70 = 100 fits.
    _enrol(
        training,
        lotsen,
        anna,
        hours_per_week=Decimal(70),
        start_date=TODAY + datetime.timedelta(days=31),
    )
    with pytest.raises(ValidationError):
        _enrol(
            training,
            lotsen,
            anna,
            hours_per_week=Decimal(10),
            start_date=TODAY + datetime.timedelta(days=10),
        )


def test_r5_capacity_comes_from_the_programme_not_code(training, lotsen, anna) -> None:
    training.capacity = Decimal(40)
    training.save()
    _enrol(training, lotsen, anna, hours_per_week=Decimal(35))
    with pytest.raises(ValidationError):
        _enrol(training, lotsen, anna, hours_per_week=Decimal(6))


def test_r6_at_least_four_hours_a_week(training, isa, lotsen, anna) -> None:
    for programme in (training, isa):
        with pytest.raises(ValidationError) as error:
            _enrol(programme, lotsen, anna, hours_per_week=Decimal("3.5"))
        assert "minst 4 timmar" in _errors(error)["hours_per_week"][0]
        _enrol(programme, lotsen, anna, hours_per_week=Decimal(4))


def test_r6_hours_are_required_in_training(training, lotsen, anna) -> None:
    with pytest.raises(ValidationError) as error:
        _enrol(training, lotsen, anna, hours_per_week=None)
    assert "hours_per_week" in _errors(error)


def test_r7_end_date_cannot_pass_two_years(training, lotsen, anna) -> None:
    start = datetime.date(2026, 1, 15)
    with pytest.raises(ValidationError) as error:
        _enrol(training, lotsen, anna, start_date=start, end_date=datetime.date(2028, 1, 15))
    assert "2028-01-14" in _errors(error)["end_date"][0]
    _enrol(training, lotsen, anna, start_date=start, end_date=datetime.date(2028, 1, 14))


def test_end_date_before_start_is_rejected(drop_in, lotsen, anna) -> None:
    with pytest.raises(ValidationError) as error:
        _enrol(drop_in, lotsen, anna, end_date=TODAY - datetime.timedelta(days=1))
    assert "före startdatumet" in _errors(error)["end_date"][0]


def test_r8_team_isa_takes_six_people_at_the_same_time(isa, lotsen, anna) -> None:
    for _ in range(6):
        _enrol(isa, lotsen, anna)
    with pytest.raises(ValidationError) as error:
        _enrol(isa, lotsen, anna)
    assert "fullt" in _errors(error)["start_date"][0]


def test_r8_team_isa_is_for_ages_18_to_35(isa, lotsen, anna) -> None:
    older = make_participant(lotsen, young=False)  # born 1960-1990: over 35 in 2026
    with pytest.raises(ValidationError) as error:
        enrolment_create(
            participant=older,
            programme=isa,
            start_date=TODAY,
            hours_per_week=Decimal(10),
            contact_person=anna,
            by=anna,
        )
    assert "18–35" in _errors(error)["start_date"][0]


def test_r9_a_training_place_needs_a_contact_person(training, lotsen, anna) -> None:
    with pytest.raises(ValidationError) as error:
        _enrol(training, lotsen, anna, contact_person=None)
    assert "kontaktman" in _errors(error)["contact_person"][0]


def test_the_same_person_cannot_get_two_overlapping_places_in_one_programme(
    training, lotsen, anna
) -> None:
    person = make_participant(lotsen)
    make_place(person, training, contact_person=anna)
    with pytest.raises(ValidationError) as error:
        enrolment_create(
            participant=person,
            programme=training,
            start_date=TODAY,
            hours_per_week=Decimal(10),
            contact_person=anna,
            by=anna,
        )
    assert "redan en plats" in _errors(error)["start_date"][0]


def test_l2_a_place_is_only_at_the_unit_that_keeps_the_record(
    drop_in, hantverkshuset, anna
) -> None:
    person = make_participant(hantverkshuset)
    with pytest.raises(ValidationError) as error:
        enrolment_create(participant=person, programme=drop_in, start_date=TODAY, by=anna)
    assert "personens enhet" in _errors(error)["programme"][0]


def test_r9_the_contact_person_works_at_the_programmes_unit(training, lotsen, anna, henrik) -> None:
    with pytest.raises(ValidationError) as error:
        _enrol(training, lotsen, anna, contact_person=henrik)
    assert "Lotsen" in _errors(error)["contact_person"][0]


def test_r5_hours_change_from_a_date_keeps_history_and_checks_capacity(
    training, lotsen, anna
) -> None:
    from participants.services import enrolment_change_hours

    a = _enrol(training, lotsen, anna, hours_per_week=Decimal(35))
    _enrol(training, lotsen, anna, hours_per_week=Decimal(35))
    later = TODAY + datetime.timedelta(days=30)
    _enrol(training, lotsen, anna, hours_per_week=Decimal(30), start_date=later)
    # Raising a's hours to 45 fits until the third place starts, but not from then on.
    with pytest.raises(ValidationError) as error:
        enrolment_change_hours(
            enrolment=a,
            from_date=TODAY + datetime.timedelta(days=7),
            hours_per_week=Decimal(45),
            by=anna,
        )
    assert later.isoformat() in _errors(error)["hours_per_week"][0]
    change = enrolment_change_hours(
        enrolment=a,
        from_date=TODAY + datetime.timedelta(days=7),
        hours_per_week=Decimal(20),
        by=anna,
    )
    a.refresh_from_db()
    assert a.hours_on(TODAY) == 35 and a.hours_on(change.from_date) == 20
    # The hours freed by a are now there for someone else from that day.
    _enrol(training, lotsen, anna, hours_per_week=Decimal(15), start_date=later)


def test_r6_hours_change_below_four_is_rejected(training, lotsen, anna) -> None:
    from participants.services import enrolment_change_hours

    place = _enrol(training, lotsen, anna)
    with pytest.raises(ValidationError) as error:
        enrolment_change_hours(
            enrolment=place,
            from_date=TODAY + datetime.timedelta(days=7),
            hours_per_week=Decimal(2),
            by=anna,
        )
    assert "minst 4 timmar per vecka" in _errors(error)["hours_per_week"][0]


def test_r11_ending_a_place_requires_an_outcome_and_a_reason_when_early(
    training, lotsen, anna
) -> None:
    from participants.models import Outcome
    from participants.services import enrolment_end

    place = _enrol(training, lotsen, anna)
    end = TODAY + datetime.timedelta(days=100)
    with pytest.raises(ValidationError) as error:
        enrolment_end(enrolment=place, on=end, outcome="", note="", by=anna)
    assert "Välj vad platsen ledde till" in _errors(error)["outcome"][0]
    with pytest.raises(ValidationError) as error:
        enrolment_end(enrolment=place, on=end, outcome=Outcome.ENDED_EARLY, note=" ", by=anna)
    assert "outcome_note" in _errors(error)
    enrolment_end(enrolment=place, on=end, outcome=Outcome.STUDIES, note="", by=anna)
    place.refresh_from_db()
    assert (place.end_date, place.outcome, place.ended_by) == (end, Outcome.STUDIES, anna)
    with pytest.raises(ValidationError):
        enrolment_end(enrolment=place, on=end, outcome=Outcome.STUDIES, note="", by=anna)


def test_r5_an_ended_place_frees_its_hours_after_the_end(training, lotsen, anna) -> None:
    from participants.models import Outcome
    from participants.services import enrolment_end

    places = [_enrol(training, lotsen, anna, hours_per_week=Decimal(35)) for _ in range(3)]
    enrolment_end(
        enrolment=places[0],
        on=TODAY + datetime.timedelta(days=20),
        outcome=Outcome.EMPLOYMENT,
        note="",
        by=anna,
    )
    _enrol(
        training,
        lotsen,
        anna,
        hours_per_week=Decimal(35),
        start_date=TODAY + datetime.timedelta(days=21),
    )


def test_r7_a_place_without_end_date_ends_at_the_longest_duration(
    training, drop_in, lotsen, anna
) -> None:
    place = _enrol(training, lotsen, anna, start_date=datetime.date(2026, 3, 1))
    assert place.end_date == datetime.date(2028, 2, 29)
    assert _enrol(drop_in, lotsen, anna, hours_per_week=None).end_date is None


def test_r5_ending_later_than_planned_is_checked_against_capacity(training, lotsen, anna) -> None:
    from participants.models import Outcome
    from participants.services import enrolment_end

    soon = TODAY + datetime.timedelta(days=30)
    place = _enrol(training, lotsen, anna, hours_per_week=Decimal(35), end_date=soon)
    _enrol(
        training,
        lotsen,
        anna,
        hours_per_week=Decimal(70),
        start_date=soon + datetime.timedelta(days=1),
    )
    _enrol(training, lotsen, anna, hours_per_week=Decimal(35))
    with pytest.raises(ValidationError) as error:
        enrolment_end(
            enrolment=place,
            on=soon + datetime.timedelta(days=10),
            outcome=Outcome.STUDIES,
            note="",
            by=anna,
        )
    assert "105" in _errors(error)["end_date"][0]
    enrolment_end(enrolment=place, on=soon, outcome=Outcome.STUDIES, note="", by=anna)


def test_r8_changing_hours_in_a_full_team_isa_is_not_a_capacity_question(isa, lotsen, anna) -> None:
    from participants.services import enrolment_change_hours

    places = [_enrol(isa, lotsen, anna) for _ in range(6)]
    isa.capacity = Decimal(5)  # an administrator lowered it; the six places stay
    isa.save()
    change = enrolment_change_hours(
        enrolment=places[0],
        from_date=TODAY + datetime.timedelta(days=7),
        hours_per_week=Decimal(20),
        by=anna,
    )
    assert change.pk is not None
