"""The outreach rules through the service, with no form in between (R4, R8, L2): Team ISA
is presented to people of its age, who are the programme's min_age to max_age."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lotsen.models import Programme
from referrals.models import HousingSupportUnit, IsaPresented, OutreachActivity, OutreachKind
from referrals.services import outreach_record
from tests.factories import TODAY, make_housing_unit, make_participant

pytestmark = pytest.mark.django_db


def _born(age: int) -> datetime.date:
    """A birth date that makes a person `age` years old on TODAY."""
    return TODAY.replace(year=TODAY.year - age) - datetime.timedelta(days=1)


def _record(unit, by, people, **overrides: Any) -> OutreachActivity:  # type: ignore[no-untyped-def]
    fields = {
        "unit": unit,
        "date": TODAY,
        "housing_support_unit": HousingSupportUnit.objects.get_or_create(
            unit=unit, name="Boendestöd Öst"
        )[0],
        "kind": OutreachKind.HOME_VISIT,
        "people_reached": 3,
        "isa_presented": IsaPresented.NOBODY_YOUNG,
        **overrides,
    }
    return outreach_record(by=by, participants=people, **fields)


def _refused(unit, by, people, **overrides: Any) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    before = OutreachActivity.objects.count()
    with pytest.raises(ValidationError) as error:
        _record(unit, by, people, **overrides)
    assert OutreachActivity.objects.count() == before
    return error.value.message_dict


def test_r8_team_isa_is_the_programme_presented_at_outreach(domain) -> None:
    presented = Programme.objects.filter(presented_at_outreach=True)
    assert list(presented.values_list("slug", "min_age", "max_age")) == [("team-isa", 18, 35)]


@pytest.mark.parametrize("age", [18, 35])
def test_r8_nobody_young_is_refused_when_someone_of_team_isa_age_was_there(
    anna, lotsen, age
) -> None:
    people = [
        make_participant(lotsen, birth_date=_born(50)),
        make_participant(lotsen, birth_date=_born(age)),
    ]
    errors = _refused(lotsen, anna, people)
    assert list(errors) == ["isa_presented"]
    assert errors["isa_presented"] == [
        "En av de valda personerna är i åldern för Team ISA (18–35 år). Svara ja eller nej."
    ]


@pytest.mark.parametrize("answer", [IsaPresented.YES, IsaPresented.NO])
def test_r8_a_yes_or_no_is_recorded_whoever_was_there(anna, lotsen, answer) -> None:
    young = make_participant(lotsen, birth_date=_born(20))
    assert _record(lotsen, anna, [young], isa_presented=answer).isa_presented == answer


def test_r8_nobody_young_is_recorded_when_everyone_is_older(anna, lotsen) -> None:
    people = [
        make_participant(lotsen, birth_date=_born(36)),
        make_participant(lotsen, birth_date=_born(60)),
    ]
    activity = _record(lotsen, anna, people)
    assert activity.participants.count() == 2


def test_r8_the_age_span_is_the_programmes_data(anna, lotsen, isa) -> None:
    isa.max_age = 30
    isa.save(update_fields=["max_age"])
    thirty_three = make_participant(lotsen, birth_date=_born(33))
    assert _record(lotsen, anna, [thirty_three]).pk
    twenty_nine = make_participant(lotsen, birth_date=_born(29))
    assert "(18–30 år)" in _refused(lotsen, anna, [twenty_nine])["isa_presented"][0]


def test_r8_a_unit_without_a_presented_programme_is_not_asked(henrik, hantverkshuset) -> None:
    young = make_participant(hantverkshuset, birth_date=_born(20))
    assert _record(hantverkshuset, henrik, [young]).pk


def test_more_registered_people_than_reached_is_refused(anna, lotsen) -> None:
    people = [make_participant(lotsen, birth_date=_born(50)) for _ in range(3)]
    errors = _refused(lotsen, anna, people, people_reached=2)
    assert list(errors) == ["people_reached"]


def test_an_activity_is_recorded_when_it_has_been_held(anna, lotsen) -> None:
    errors = _refused(lotsen, anna, [], date=TODAY + datetime.timedelta(days=1))
    assert list(errors) == ["date"]


def test_l2_another_units_boendestod_and_people_are_refused(anna, lotsen, hantverkshuset) -> None:
    errors = _refused(
        lotsen,
        anna,
        [make_participant(hantverkshuset)],
        housing_support_unit=make_housing_unit(hantverkshuset, "Deras boendestöd"),
    )
    assert sorted(errors) == ["housing_support_unit", "participants"]


def test_r8_the_form_asks_with_the_programmes_name_and_ages(client, anna, lotsen) -> None:
    client.force_login(anna)
    page = client.get(reverse("referrals:outreach_create")).content.decode()
    assert "Presenterades Team ISA för personer 18–35 år?" in page
    assert "(R8)" not in page
