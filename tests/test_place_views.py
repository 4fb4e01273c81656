"""A place's page: change hours from a date (R5, R6), end with an outcome (R11), Team ISA's
workplace (R8)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from participants.models import Outcome, Workplace
from tests.factories import TODAY, make_participant, make_place

pytestmark = pytest.mark.django_db


def test_r11_end_a_place_through_the_page(client, training, lotsen, anna) -> None:
    place = make_place(make_participant(lotsen), training, contact_person=anna)
    client.force_login(anna)
    url = reverse("participants:place_end", kwargs={"place_pk": place.pk})
    missing = client.post(
        url, {"end_date": TODAY.isoformat(), "outcome": "", "outcome_note": "Flyttar"}
    )
    assert missing.status_code == 400 and "Flyttar" in missing.content.decode()
    early = client.post(url, {"end_date": TODAY.isoformat(), "outcome": Outcome.ENDED_EARLY})
    assert "i förtid" in early.content.decode()
    done = client.post(url, {"end_date": TODAY.isoformat(), "outcome": Outcome.EMPLOYMENT})
    assert done.status_code == 302
    place.refresh_from_db()
    assert place.outcome == Outcome.EMPLOYMENT and place.end_date == TODAY


def test_r5_change_hours_through_the_page(client, training, lotsen, anna) -> None:
    place = make_place(make_participant(lotsen), training, contact_person=anna, hours=10)
    client.force_login(anna)
    url = reverse("participants:place_hours", kwargs={"place_pk": place.pk})
    day = (TODAY + datetime.timedelta(days=14)).isoformat()
    assert client.post(url, {"from_date": day, "hours_per_week": "20"}).status_code == 302
    again = client.post(url, {"from_date": day, "hours_per_week": "20"})
    assert again.status_code == 400 and "redan en ändring" in again.content.decode()
    page = client.get(reverse("participants:place", kwargs={"place_pk": place.pk})).content.decode()
    assert day in page


def test_r8_team_isa_records_the_workplace(client, isa, training, lotsen, anna) -> None:
    place = make_place(make_participant(lotsen, young=True), isa, contact_person=anna)
    client.force_login(anna)
    url = reverse("participants:place_workplace", kwargs={"place_pk": place.pk})
    response = client.post(
        url, {"employer": "Cykelverkstan AB", "supervisor": "Kim", "adaptations": "Kortare dagar"}
    )
    assert response.status_code == 302
    assert Workplace.objects.get(enrolment=place).adaptations == "Kortare dagar"
    other = make_place(make_participant(lotsen), training, contact_person=anna)
    assert (
        client.post(
            reverse("participants:place_workplace", kwargs={"place_pk": other.pk}),
            {"employer": "X"},
        ).status_code
        == 404
    )
