"""Capacity at a glance: hours used of 105 (R5) or people of 6 (R8), this week and 12 more."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from participants.services import capacity_weeks, enrolment_change_hours
from tests.factories import make_participant, make_place

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 11, 23)


def test_r5_weekly_peak_hours_follow_starts_ends_and_changes(training, lotsen, anna) -> None:
    a = make_place(make_participant(lotsen), training, hours=35, contact_person=anna, start=MONDAY)
    make_place(
        make_participant(lotsen),
        training,
        hours=30,
        contact_person=anna,
        start=MONDAY + datetime.timedelta(weeks=2, days=3),
    )
    make_place(
        make_participant(lotsen),
        training,
        hours=20,
        contact_person=anna,
        start=MONDAY - datetime.timedelta(days=30),
        end=MONDAY + datetime.timedelta(weeks=4, days=1),
    )
    enrolment_change_hours(
        enrolment=a,
        from_date=MONDAY + datetime.timedelta(weeks=6),
        hours_per_week=Decimal(10),
        by=anna,
    )
    weeks = capacity_weeks(training, today=MONDAY + datetime.timedelta(days=2))
    assert len(weeks) == 13 and weeks[0]["week_start"] == MONDAY
    used = [w["used"] for w in weeks]
    assert used[:2] == [55, 55]
    assert used[2] == 85  # the 30-hour place starts on Thursday of week 3
    assert used[4] == 85  # the 20-hour place still runs on Tuesday of week 5
    assert used[5] == 65
    assert used[6:] == [40] * 7
    assert weeks[2]["free"] == 20


def test_r8_team_isa_counts_people(isa, lotsen, anna) -> None:
    for _ in range(6):
        make_place(make_participant(lotsen, young=True), isa, contact_person=anna, start=MONDAY)
    week = capacity_weeks(isa, today=MONDAY, weeks=1)[0]
    assert (week["used"], week["free"]) == (6, 0)


def test_capacity_page_shows_full_weeks_and_holders(client, training, lotsen, anna, henrik) -> None:
    for _ in range(3):
        make_place(
            make_participant(lotsen, last_name="Hållare"),
            training,
            hours=35,
            contact_person=anna,
            start=MONDAY - datetime.timedelta(days=7),
            end=MONDAY + datetime.timedelta(weeks=20),
        )
    client.force_login(anna)
    content = client.get(
        reverse("participants:capacity", kwargs={"programme_pk": training.pk})
    ).content.decode()
    assert "Fullt" in content and content.count("Hållare") >= 3
    overview = client.get(reverse("participants:capacity_list")).content.decode()
    assert "Fullt" in overview
    client.force_login(henrik)
    assert (
        client.get(
            reverse("participants:capacity", kwargs={"programme_pk": training.pk})
        ).status_code
        == 404
    )


def test_a_full_programme_is_visible_before_anyone_tries_to_add_a_person(
    client, isa, lotsen, anna
) -> None:
    for _ in range(6):
        make_place(make_participant(lotsen, young=True), isa, contact_person=anna, start=MONDAY)
    client.force_login(anna)
    person = make_participant(lotsen, young=True)
    page = client.get(reverse("participants:enrol", args=[person.pk])).content.decode()
    assert "Team ISA: <strong>fullt</strong>" in page
