"""The participant page tells the story at a glance: plan status (R13), R7 warning, ended
places with outcome (R11), relatives with consent (R9), housing support (R19)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from participants.models import HousingSupport, Outcome, Relative
from tests.factories import TODAY, make_participant, make_place, make_plan

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize(
    ("established", "status"),
    [
        (TODAY - datetime.timedelta(days=200), "overdue"),
        (D(2026, 8, 28), "due_soon"),  # due 2026-11-28, within 7 days
        (D(2026, 11, 1), "on_time"),
    ],
)
def test_r13_plan_status(training, lotsen, anna, established, status) -> None:
    place = make_place(make_participant(lotsen), training, contact_person=anna, start=established)
    make_plan(place, established_on=established, by=anna)
    place.refresh_from_db()
    assert place.plan_status(TODAY) == status


def test_r13_a_training_place_without_a_plan_is_flagged_after_the_grace_days(
    training, drop_in, lotsen, anna, settings
) -> None:
    settings.PLAN_MISSING_AFTER_DAYS = 14
    place = make_place(
        make_participant(lotsen),
        training,
        contact_person=anna,
        start=TODAY - datetime.timedelta(days=14),
    )
    assert place.plan_status(TODAY) == ""
    assert place.plan_status(TODAY + datetime.timedelta(days=1)) == "missing"
    drop = make_place(make_participant(lotsen), drop_in, hours=None, start=D(2026, 1, 1))
    assert drop.plan_status(TODAY) == ""


def test_r7_warning_three_months_before_the_longest_duration(training, lotsen, anna) -> None:
    place = make_place(make_participant(lotsen), training, contact_person=anna, start=D(2025, 3, 1))
    assert place.duration_warning(D(2026, 11, 27)) is None
    assert place.duration_warning(D(2026, 11, 28)) == D(2027, 2, 28)


def test_page_shows_current_and_ended_places_relatives_and_housing_support(
    client, training, drop_in, lotsen, anna
) -> None:
    person = make_participant(lotsen)
    ongoing = make_place(person, training, contact_person=anna, start=D(2026, 1, 1))
    make_plan(ongoing, established_on=D(2026, 1, 5), by=anna)
    ended = make_place(person, drop_in, hours=None, start=D(2025, 1, 1), end=D(2025, 12, 31))
    ended.outcome = Outcome.OTHER_SERVICE
    ended.save()
    Relative.objects.create(
        participant=person, name="Britt Berg", relation="mamma", consent="Schema och närvaro"
    )
    HousingSupport.objects.create(
        participant=person,
        recorded_on=D(2026, 1, 1),
        occasion="start",
        hours_per_week=6,
        provider="Boendestöd Öst",
    )
    client.force_login(anna)
    page = client.get(reverse("participants:detail", args=[person.pk])).content.decode()
    assert "försenad" in page
    assert "annan insats" in page
    assert "Britt Berg" in page and "Schema och närvaro" in page
    assert "6 timmar/vecka" in page and "Boendestöd Öst" in page


def test_r9_add_a_relative_with_consent(client, lotsen, anna, henrik) -> None:
    person = make_participant(lotsen)
    url = reverse("participants:relative", args=[person.pk])
    client.force_login(anna)
    missing = client.post(url, {"name": "Kim", "relation": "bror"})
    assert missing.status_code == 200 and "Detta fält måste fyllas i" in missing.content.decode()
    assert (
        client.post(
            url, {"name": "Kim", "relation": "bror", "consent": "Allt om träningen"}
        ).status_code
        == 302
    )
    assert Relative.objects.get().created_by == anna
    client.force_login(henrik)
    assert client.get(url).status_code == 404


def test_r19_housing_support_is_recorded_at_start_and_leave(client, lotsen, anna) -> None:
    person = make_participant(lotsen)
    url = reverse("participants:housing_support", args=[person.pk])
    client.force_login(anna)
    for occasion, hours in (("start", "8"), ("leave", "3")):
        assert (
            client.post(
                url, {"recorded_on": "2026-11-01", "occasion": occasion, "hours_per_week": hours}
            ).status_code
            == 302
        )
    negative = client.post(
        url, {"recorded_on": "2026-11-01", "occasion": "leave", "hours_per_week": "-1"}
    )
    assert negative.status_code == 200
    assert sorted(HousingSupport.objects.values_list("hours_per_week", flat=True)) == [3, 8]


def test_double_submits_of_relatives_and_housing_support_save_once(client, lotsen, anna) -> None:
    person = make_participant(lotsen)
    client.force_login(anna)
    relative = {"name": "Kim", "relation": "bror", "consent": "Schema"}
    housing = {"recorded_on": "2026-11-01", "occasion": "start", "hours_per_week": "5"}
    for _ in range(2):
        client.post(reverse("participants:relative", args=[person.pk]), relative)
        response = client.post(
            reverse("participants:housing_support", args=[person.pk]), housing, follow=True
        )
    assert "redan sparat" in response.content.decode()
    assert Relative.objects.count() == 1 and HousingSupport.objects.count() == 1
