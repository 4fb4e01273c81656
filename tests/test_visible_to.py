"""L2 and L4: who sees whom. `Participant.objects.visible_to` was rewritten for speed (team
and contact person as one EXISTS over a UNION); it must select exactly the people the first,
plain definition did, for every kind of user and person."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q

from lotsen.models import Role, Unit, User
from participants.models import Enrolment, Participant
from tests.factories import TODAY, make_participant, make_place, make_staff

pytestmark = pytest.mark.django_db


def _first_definition(user: User) -> set[int]:
    """visible_to as first written: the protected test as an OR of two EXISTS on each row."""
    qs = Participant.objects.filter(
        unit__in=Unit.objects.filter(staff=user), erased_on__isnull=True
    )
    if not user.is_manager:
        in_team = Participant.team.through.objects.filter(participant_id=OuterRef("pk"), user=user)
        contact = Enrolment.objects.filter(participant_id=OuterRef("pk"), contact_person=user)
        qs = qs.filter(Q(protected_identity=False) | Exists(in_team) | Exists(contact))
    return set(qs.values_list("pk", flat=True))


@pytest.fixture
def people(lotsen, hantverkshuset, training, anna, omar) -> None:  # type: ignore[no-untyped-def]
    """Open and protected people at two units, seen through a team, a current or an ended
    place as contact person, or not at all; some of them erased under retention."""
    ended = {
        "start": TODAY - datetime.timedelta(days=400),
        "end": TODAY - datetime.timedelta(days=30),
    }
    for unit in (lotsen, hantverkshuset):
        make_participant(unit)
        make_participant(unit, protected_identity=True)
        make_participant(unit, protected_identity=True).team.add(anna)
        make_participant(unit, protected_identity=True).team.add(anna, omar)
        make_place(make_participant(unit, protected_identity=True), training, contact_person=anna)
        make_place(
            make_participant(unit, protected_identity=True), training, contact_person=omar, **ended
        )
        make_place(make_participant(unit), training, contact_person=omar)
        make_participant(unit, erased_on=TODAY)
        erased = make_participant(unit, protected_identity=True, erased_on=TODAY)
        erased.team.add(anna)
        make_place(erased, training, contact_person=anna)


def test_l4_visible_to_selects_exactly_the_people_of_the_first_definition(
    people, lotsen, hantverkshuset, anna, omar, eva, henrik
) -> None:
    both = make_staff("bo", lotsen, Role.SUPPORT)
    both.units.add(hantverkshuset)
    Participant.objects.filter(unit=hantverkshuset, protected_identity=True).first().team.add(both)  # type: ignore[union-attr]
    nowhere = User.objects.create_user(username="utan", role=Role.SUPPORT)
    for user in (anna, omar, eva, henrik, both, nowhere):
        expected = _first_definition(user)
        assert set(Participant.objects.visible_to(user).values_list("pk", flat=True)) == expected
        # The one-person question a person page asks gives the same answer for everyone.
        for person in Participant.objects.all():
            found = Participant.objects.visible_one(user, person.pk)
            assert (found is not None) == (person.pk in expected), (user, person.pk)
    assert _first_definition(anna) and _first_definition(anna) != _first_definition(omar)
    assert not Participant.objects.visible_to(AnonymousUser()).exists()  # type: ignore[arg-type]


def test_l4_a_protected_person_is_seen_only_by_the_staff_who_work_with_them(
    lotsen, training, anna, omar, eva
) -> None:
    person = make_participant(lotsen, protected_identity=True)
    assert not Participant.objects.visible_to(anna).filter(pk=person.pk).exists()
    assert Participant.objects.visible_to(eva).filter(pk=person.pk).exists()  # the manager
    make_place(person, training, contact_person=anna)
    assert Participant.objects.visible_to(anna).filter(pk=person.pk).exists()
    assert not Participant.objects.visible_to(omar).filter(pk=person.pk).exists()
    person.team.add(omar)
    assert Participant.objects.visible_to(omar).filter(pk=person.pk).exists()
