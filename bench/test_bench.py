"""Benchmarks (`make bench`): the hot paths on a large register. BENCH_SIZE sets the size."""

from __future__ import annotations

import datetime
import itertools
import os
from decimal import Decimal

import pytest
from django.urls import reverse

from lotsen.demo import skatteverket_numbers
from participants.identity import parse_identity
from participants.models import Enrolment, Participant
from plans.models import Plan

SIZE = int(os.environ.get("BENCH_SIZE", "20000"))
TODAY = datetime.date(2026, 11, 23)
pytestmark = pytest.mark.django_db


@pytest.fixture
def register(lotsen, training, anna):  # type: ignore[no-untyped-def]
    """SIZE participants at Lotsen, each with a training place and a plan, a third overdue."""
    available = skatteverket_numbers(born_between=(1930, 2005))
    numbers = itertools.islice(itertools.cycle(available), SIZE)
    people = []
    for i, number in enumerate(numbers):
        identity = parse_identity(number, today=TODAY)
        # Past the end of the test numbers, reserve identities (no number).
        people.append(
            Participant(
                identity_number=identity.number if i < len(available) else None,
                identity_kind=identity.kind,
                birth_date=identity.birth_date,
                first_name=f"Förnamn{i}",
                last_name=f"Efternamn{i}",
                municipality="Linköping",
                unit=lotsen,
            )
        )
    people = Participant.objects.bulk_create(people, batch_size=2000)

    def due(i: int) -> datetime.date:
        return datetime.date(2026, 4, 5) if i % 3 == 0 else datetime.date(2027, 1, 5)

    # bulk_create skips Plan.save(), so the places get their copy of the schedule here.
    places = Enrolment.objects.bulk_create(
        [
            Enrolment(
                participant=p,
                programme=training,
                start_date=datetime.date(2026, 1, 1),
                hours_per_week=Decimal(4),
                contact_person=anna,
                has_plan=True,
                plan_follow_up_due=due(i),
            )
            for i, p in enumerate(people)
        ],
        batch_size=2000,
    )
    Plan.objects.bulk_create(
        [
            Plan(
                enrolment=e,
                established_on=datetime.date(2026, 1, 5),
                goals="g",
                summary="s",
                created_by=anna,
                follow_up_due=due(i),
            )
            for i, e in enumerate(places)
        ],
        batch_size=2000,
    )


def test_bench_participant_list_page(benchmark, client, register, anna) -> None:
    client.force_login(anna)
    response = benchmark(client.get, reverse("participants:list") + "?page=50")
    assert response.status_code == 200


def test_bench_overdue_plans_query(benchmark, register) -> None:
    overdue = Enrolment.objects.plan_overdue(on=TODAY)
    count = benchmark(lambda: len(overdue.values_list("pk", flat=True)))
    assert count == (SIZE + 2) // 3


def test_bench_home_page(benchmark, client, register, anna) -> None:
    client.force_login(anna)
    assert benchmark(client.get, reverse("home")).status_code == 200


def test_bench_daily_reminder_items(benchmark, register) -> None:
    """All reminder kinds for the whole register: one query per kind (R13, R14, R7)."""
    from plans.reminders import reminder_items

    items = benchmark.pedantic(
        lambda: reminder_items(today=TODAY, per_partition=20), rounds=3, iterations=1
    )
    overdue = [i for i in items if i.kind == "overdue"]
    assert len(overdue) == 20 and overdue[0].total == (SIZE + 2) // 3


SHEET_SIZE = 400  # a big unit's day: ten times the 40 of the issue


def test_bench_attendance_sheet_page(benchmark, client, lotsen, training, anna) -> None:
    """The sheet for SHEET_SIZE expected people, half of them already marked (R6)."""
    from participants.models import Visit

    available = skatteverket_numbers(born_between=(1930, 2005))
    people = Participant.objects.bulk_create(
        Participant(
            identity_number=parse_identity(number, today=TODAY).number,
            identity_kind=parse_identity(number, today=TODAY).kind,
            birth_date=parse_identity(number, today=TODAY).birth_date,
            first_name=f"Förnamn{i}",
            last_name=f"Efternamn{i}",
            municipality="Linköping",
            unit=lotsen,
        )
        for i, number in enumerate(available[:SHEET_SIZE])
    )
    Enrolment.objects.bulk_create(
        Enrolment(
            participant=p,
            programme=training,
            start_date=datetime.date(2026, 1, 1),
            hours_per_week=Decimal(4),
            contact_person=anna,
        )
        for p in people
    )
    Visit.objects.bulk_create(
        Visit(participant=p, programme=training, date=TODAY, hours=Decimal(2)) for p in people[::2]
    )
    client.force_login(anna)
    url = reverse("activities:sheet", kwargs={"unit": lotsen.slug, "day": TODAY})
    response = benchmark.pedantic(client.get, args=(url,), rounds=5, iterations=1)
    assert response.content.decode().count("sheet-row") == SHEET_SIZE
