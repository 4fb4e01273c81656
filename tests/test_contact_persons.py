"""R9: a contact person is one of the team. Every list that offers staff as contact persons
(the registry's filter, a new place, accepting a referral, the unit's plans) offers the
units' active staff by name, never the administrator's account."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from lotsen.models import Role, User
from referrals.models import Status
from tests.factories import make_participant, make_referral, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(lotsen, anna, omar, eva, henrik) -> None:  # type: ignore[no-untyped-def]
    """Lotsen's team, a nameless colleague, a former colleague and the demo's administrator
    account, which is a member of every unit."""
    make_staff("kim", lotsen)
    make_staff("lena", lotsen, first_name="Lena", is_active=False)
    admin = User.objects.create_superuser(
        "admin", "admin@lotsen.example", "x", role=Role.ADMINISTRATOR
    )
    admin.units.add(lotsen)
    make_staff("it", lotsen, Role.ADMINISTRATOR, first_name="Systemförvaltare")


def _offered(page: str) -> list[str]:
    select = re.search(r'<select name="contact_person".*?</select>', page, re.S)
    assert select is not None
    options = re.findall(r"<option[^>]*>(.*?)</option>", select.group(0), re.S)
    return [html.unescape(o.strip()) for o in options if o.strip() and "---" not in o]


TEAM = [
    "kim (användarnamn, inget namn angivet)",
    "Anna Lindqvist",
    "Eva",
    "Omar",
]


def test_r9_the_registry_filter_offers_the_team_only(client, eva, team) -> None:
    client.force_login(eva)
    page = client.get(reverse("participants:list")).content.decode()
    assert _offered(page) == TEAM


def test_r9_a_new_place_offers_the_team_only(client, eva, lotsen, team) -> None:
    client.force_login(eva)
    person = make_participant(lotsen)
    page = client.get(reverse("participants:enrol", args=[person.pk])).content.decode()
    assert _offered(page) == TEAM


def test_r9_accepting_a_referral_offers_the_team_only(client, eva, lotsen, training, team) -> None:
    person = make_participant(lotsen)
    referral = make_referral(lotsen, programme=training, participant=person, status=Status.INTAKE)
    client.force_login(eva)
    page = client.get(reverse("referrals:accept", args=[referral.pk])).content.decode()
    assert _offered(page) == TEAM


def test_r9_the_unit_plans_filter_offers_the_team_only(client, eva, team) -> None:
    client.force_login(eva)
    page = client.get(reverse("plans:unit")).content.decode()
    assert _offered(page) == TEAM


def test_r9_the_filters_find_the_places_of_a_colleague_who_has_left(
    client, eva, lotsen, training, team
) -> None:
    """A former colleague who is still someone's contact person is in the filters (so that
    the manager can find those places and hand them on), never in a picker for a new place."""
    from tests.factories import make_place

    lena = User.objects.get(username="lena")
    person = make_participant(lotsen)
    make_place(person, training, contact_person=lena)
    client.force_login(eva)
    for url in (reverse("participants:list"), reverse("plans:unit")):
        offered = _offered(client.get(url).content.decode())
        assert offered == [*TEAM[:3], "Lena", TEAM[3]]  # by first name
    page = client.get(reverse("participants:enrol", args=[person.pk])).content.decode()
    assert "Lena" not in _offered(page)
    found = client.get(reverse("plans:unit"), {"contact_person": lena.pk}).content.decode()
    assert person.last_name in found
