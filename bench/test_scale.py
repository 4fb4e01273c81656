"""The busy pages at a city's scale, each timed against an empty page of the site in the same
run, so that the ratios hold on a busy machine where absolute times do not.

PostgreSQL only (`DATABASE_URL`). BENCH_PEOPLE, BENCH_VISITS and BENCH_RUNNING set the shape;
the defaults are the issue's: 100,000 people, 5 million visits over ten years, 400 places
running today. `make bench` prints the table at the end of the run.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.conftest import verified_login
from bench.scale import Shape, seed, seeded
from lotsen.models import User

SHAPE = Shape(
    people=int(os.environ.get("BENCH_PEOPLE", "100000")),
    visits=int(os.environ.get("BENCH_VISITS", "5000000")),
    running=int(os.environ.get("BENCH_RUNNING", "400")),
)
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
RESULTS: list[tuple[str, int, float]] = []

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("bench.urls"),
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").split(":")[0] not in {"postgres", "postgresql"},
        reason="the scale bench runs on PostgreSQL",
    ),
]


@pytest.fixture(scope="session")
def city(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    from tests.conftest import _AppsAfterTheMove, _seeds

    with django_db_blocker.unblock():
        if not User.objects.filter(username="bench0").exists():
            for s in _seeds:
                s(_AppsAfterTheMove(), None)
        if (ids := seeded()) is None:  # with --reuse-db, seeded once for later runs
            ids = seed(SHAPE)
        return ids


def _measure(name: str, get: Callable[[], object]) -> tuple[int, float]:
    for _ in range(3):
        get()
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        response = get()
    count = len(queries)  # now: the captured list is a view of a log the next request resets
    assert getattr(response, "status_code", 200) == 200, name
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        get()
        times.append(time.perf_counter() - started)
    median = statistics.median(times) * 1000
    RESULTS.append((name, count, median))
    return count, median


@pytest.fixture
def staff_client(client, city):  # type: ignore[no-untyped-def]
    verified_login(client, User.objects.get(pk=city["staff"]))
    return client


def test_pages(staff_client, city) -> None:
    c = staff_client
    _measure("tom sida (base.html)", lambda: c.get(reverse("bench_empty")))
    _measure("hem", lambda: c.get(reverse("home")))
    _measure("register", lambda: c.get(reverse("participants:list")))
    c.post(reverse("participants:list"), {"q": "Anna Lindqvist"})
    _measure("register, sök på namn", lambda: c.get(reverse("participants:list")))
    c.post(reverse("participants:list"), {"q": "1978"})
    _measure("register, sök på nummer", lambda: c.get(reverse("participants:list")))
    c.post(reverse("participants:list"), {"clear": "1"})
    _measure(
        "deltagare",
        lambda: c.get(reverse("participants:detail", args=[city["participant"]])),
    )
    _measure(
        "närvarolista",
        lambda: c.get(reverse("activities:sheet", kwargs={"unit": "lotsen", "day": SHAPE.today})),
    )
    _measure("plan", lambda: c.get(reverse("plans:detail", args=[city["plan"]])))


def pytest_terminal_summary_table() -> str:
    if not RESULTS:
        return ""
    empty = RESULTS[0][2]
    lines = [
        f"Scale bench: {SHAPE.people:,} people, {SHAPE.visits:,} visits, "
        f"{SHAPE.running} places running; median of {ROUNDS} rounds, in-process",
        f"{'page':<28}{'queries':>8}{'ms':>10}{'× empty':>10}",
    ]
    lines += [f"{n:<28}{q:>8}{ms:>10.1f}{ms / empty:>10.1f}" for n, q, ms in RESULTS]
    return "\n".join(lines)
