"""The busy pages at a city's scale, each timed against an empty page of the site in the same
run, so that the ratios hold on a busy machine where absolute times do not.

PostgreSQL only (`DATABASE_URL`). BENCH_PEOPLE, BENCH_VISITS and BENCH_RUNNING set the shape;
the defaults are the issue's: 100,000 people, 5 million visits over ten years, 400 places
running today. `make bench` prints the table at the end of the run.
"""

from __future__ import annotations

import datetime

import pytest
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from bench.conftest import ON_POSTGRES, SHAPE
from bench.measure import ROUNDS, measure
from lotsen.models import Programme
from participants.models import Enrolment, Visit

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls"), ON_POSTGRES]


def test_home(staff_client) -> None:
    measure("hem", lambda: staff_client.get(reverse("home")))


def test_registry(staff_client) -> None:
    c = staff_client
    measure("register", lambda: c.get(reverse("participants:list")))
    c.post(reverse("participants:list"), {"q": "Alva Lindqvist"})
    measure("register, sök på namn", lambda: c.get(reverse("participants:list")))
    c.post(reverse("participants:list"), {"q": "1978"})
    measure("register, sök på nummer", lambda: c.get(reverse("participants:list")))
    c.post(reverse("participants:list"), {"clear": "1"})


def test_participant(staff_client, city) -> None:
    url = reverse("participants:detail", args=[city["participant"]])
    measure("deltagare", lambda: staff_client.get(url))


def test_sheet(staff_client) -> None:
    url = reverse("activities:sheet", kwargs={"unit": "lotsen", "day": SHAPE.today})
    measure("närvarolista", lambda: staff_client.get(url))


def test_plan(staff_client, city) -> None:
    measure("plan", lambda: staff_client.get(reverse("plans:detail", args=[city["plan"]])))


def _running_trainees(day: datetime.date) -> tuple[Programme, list[int]]:
    """First-step trainees with a place running on `day` that staff may see, not marked
    yet (`make bench-load` leaves marks of today in the same database)."""
    programme = Programme.objects.get(slug="forstegstraning")
    marked = Visit.objects.filter(programme=programme, date=day).values("participant")
    people = (
        Enrolment.objects.filter(programme=programme, participant__protected_identity=False)
        .exclude(participant__in=marked)
        .active_on(day)
        .order_by("participant_id")
        .values_list("participant_id", flat=True)
    )
    return programme, list(people)


def test_mark(staff_client) -> None:
    """A mark and its undo on today's sheet, as htmx posts them: each round marks the next
    person (a new visit), then each round undoes one (the test's transaction rolls back)."""
    day = timezone.localdate()
    url = reverse("activities:sheet_mark", kwargs={"unit": "lotsen", "day": day})
    programme, people = _running_trainees(day)
    assert len(people) >= ROUNDS + 4, "too few running trainees to mark"

    def post(action: str, person: int) -> HttpResponse:
        data = {"participant": person, "programme": programme.pk, "hours": "2,5"}
        answer = staff_client.post(url, {**data, "action": action}, HTTP_HX_REQUEST="true")
        assert b"text-danger" not in answer.content, answer.content
        return answer

    marks, undos = iter(people), iter(people)
    measure("markering (htmx)", lambda: post("present", next(marks)))
    measure("ångra markering (htmx)", lambda: post("absent", next(undos)))
