"""Two people editing one record at once: the second save is refused with the typed text
kept (as plans do), and a save made knowing of the change goes through."""

from __future__ import annotations

import pytest
from django.urls import reverse

from participants.models import Workplace
from referrals.models import HousingSupportUnit
from tests.factories import make_housing_unit, make_participant, make_place

pytestmark = pytest.mark.django_db


def test_r4_two_people_saving_the_housing_support_unit_do_not_overwrite_each_other(
    client, lotsen, anna, omar
) -> None:
    housing = make_housing_unit(lotsen)
    url = reverse("referrals:housing_unit", args=[housing.pk])
    client.force_login(anna)
    seen = client.get(url).context["form"]["seen"].value()
    data = {"unit": lotsen.pk, "name": housing.name, "provider": "Kommunen", "active": "on"}
    first = client.post(url, {**data, "contact_name": "Omars ändring", "seen": seen})
    assert first.status_code == 302
    response = client.post(url, {**data, "contact_name": "Annas ändring", "seen": seen})
    page = response.content.decode()
    assert "Någon annan har ändrat uppgifterna" in page and "Annas ändring" in page
    assert HousingSupportUnit.objects.get().contact_name == "Omars ändring"
    # Saving again, now knowing of the change, goes through.
    fresh = response.context["form"]["seen"].value()
    client.post(url, {**data, "contact_name": "Annas ändring", "seen": fresh})
    assert HousingSupportUnit.objects.get().contact_name == "Annas ändring"


def test_r8_two_people_saving_a_team_isa_workplace_do_not_overwrite_each_other(
    client, lotsen, isa, anna
) -> None:
    place = make_place(make_participant(lotsen, young=True), isa)
    Workplace.objects.create(enrolment=place, employer="Café Ett")
    url = reverse("participants:place_workplace", args=[place.pk])
    client.force_login(anna)
    page = client.get(reverse("participants:place", args=[place.pk]))
    seen = page.context["workplace_form"]["seen"].value()
    fields = ["address", "supervisor", "supervisor_contact", "tasks", "adaptations"]
    data = dict.fromkeys(fields, "")
    client.post(url, {**data, "employer": "Café Två", "seen": seen})
    assert Workplace.objects.get().employer == "Café Två"
    response = client.post(url, {**data, "employer": "Café Tre", "seen": seen})
    assert response.status_code == 400
    assert "Någon annan har ändrat uppgifterna" in response.content.decode()
    assert Workplace.objects.get().employer == "Café Två"
