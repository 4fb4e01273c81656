from __future__ import annotations

import os

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench.measure import (
    EMPTY,
    HEADINGS,
    RESULTS,
    ROUNDS,
    measure,
    pair_with_empty_page,
    table,
)
from bench.scale import Shape, seed, seeded
from lotsen.models import User
from tests.conftest import _static_without_manifest, anna, domain, lotsen, training

__all__ = ["_static_without_manifest", "anna", "domain", "lotsen", "training", "verified_login"]


def verified_login(client: Client, user: User) -> None:
    """Sign in as production does, both steps passed: every page pays for the second factor's
    middleware, the empty page as much as the busy ones (REQUIRE_TWO_FACTOR is on here)."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


SHAPE = Shape(
    people=int(os.environ.get("BENCH_PEOPLE", "100000")),
    visits=int(os.environ.get("BENCH_VISITS", "5000000")),
    running=int(os.environ.get("BENCH_RUNNING", "400")),
)
ON_POSTGRES = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").split(":")[0] not in {"postgres", "postgresql"},
    reason="the scale bench runs on PostgreSQL",
)


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


@pytest.fixture
def staff_client(client, city):  # type: ignore[no-untyped-def]
    """A member of Lotsen's staff signed in with both steps; the empty page of the site is
    measured first in every run, so that each bench module's rows have their ratio."""
    verified_login(client, User.objects.get(pk=city["staff"]))
    pair_with_empty_page(lambda: client.get(reverse("bench_empty")))
    if not any(r.name == EMPTY for r in RESULTS):
        HEADINGS.append(
            f"City: {SHAPE.people:,} people, {SHAPE.visits:,} visits, {SHAPE.running} places "
            f"running at Lotsen; median of {ROUNDS} rounds, in-process, each round after one"
            " of the empty page, whose median in the same rounds is the row's yardstick"
        )
        measure(EMPTY, lambda: client.get(reverse("bench_empty")))
    return client


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    if text := table():
        terminalreporter.write_line("")
        terminalreporter.write_line(text)
