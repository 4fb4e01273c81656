"""The busy pages at a city's scale, each timed against an empty page of the site in the same
run, so that the ratios hold on a busy machine where absolute times do not.

PostgreSQL only (`DATABASE_URL`). BENCH_PEOPLE, BENCH_VISITS and BENCH_RUNNING set the shape;
the defaults are the issue's: 100,000 people, 5 million visits over ten years, 400 places
running today. `make bench` prints the table at the end of the run.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from bench.conftest import ON_POSTGRES, SHAPE
from bench.measure import measure

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
