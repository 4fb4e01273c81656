"""The morning run at a million running places over 200 contact persons (bench/daily.py):
the reminders' selection against its hand-written SQL, and the whole run with its e-mails
delivered to a real SMTP server on localhost.

Goals (issue 17): the selection within 1.5× its raw SQL and under 1 s; the whole run,
200 e-mails included, under 2 s. BENCH_DAILY_PLACES sets the size (1,000,000).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.conftest import ON_POSTGRES
from bench.daily import DailyShape, drop_own_database, own_database, seed_daily, seeded_daily
from bench.measure import Row, counted, record
from bench.smtp_sink import smtp_sink
from lotsen.models import Programme
from participants.models.plan_status import (
    due_soon_until,
    latest_start_reaching_limit,
    missing_if_started_before,
)
from plans.models import ReminderDigest
from plans.reminders import KIND_LABELS, LINES_PER_KIND, reminder_items
from plans.services import daily_checks_run

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls"), ON_POSTGRES]
SHAPE = DailyShape(places=int(os.environ.get("BENCH_DAILY_PLACES", "1000000")))
ROUNDS = 7
SHOWN = LINES_PER_KIND * len(KIND_LABELS)  # the lines a digest shows at most


@pytest.fixture(scope="module")
def daily(city, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        if os.environ.get("BENCH_FRESH"):
            drop_own_database()
        with own_database():
            yield seeded_daily() or seed_daily(SHAPE)


# The selection as one would write it by hand: per kind, the running places ranked per
# contact person and programme with the count of all, the most urgent LINES_PER_KIND of
# each; then names and links for those.
_RUNNING = """
    FROM participants_enrolment e
    WHERE e.start_date <= %(today)s AND (e.end_date IS NULL OR e.end_date >= %(today)s)
      AND e.outcome = ''"""
_KINDS = {
    "overdue": ("e.plan_follow_up_due", "AND e.plan_follow_up_due < %(today)s"),
    "missing": (
        "e.start_date",
        "AND NOT e.has_plan AND e.start_date < %(missing_before)s"
        " AND e.programme_id = ANY(%(needing)s)",
    ),
    "renewal": ("e.plan_renewal_due", "AND e.plan_renewal_due <= %(soon)s"),
    "due_soon": (
        "e.plan_follow_up_due",
        "AND e.plan_follow_up_due BETWEEN %(today)s AND %(soon)s",
    ),
    "ending": (
        "e.start_date",
        "AND EXISTS (SELECT FROM unnest(%(limited)s::bigint[], %(latest)s::date[]) AS l(p, d)"
        " WHERE l.p = e.programme_id AND e.start_date <= l.d)",
    ),
}


def _ranked(kind: str, due: str, where: str) -> str:
    # The kinds' conditions are the constants above, never input.
    return f"""SELECT * FROM (
          SELECT '{kind}' AS kind, e.id, {due} AS due, e.programme_id,
                 count(*) OVER w AS total,
                 row_number() OVER (w ORDER BY {due}, e.id) AS rank
          {_RUNNING} {where}
          WINDOW w AS (PARTITION BY e.contact_person_id, e.programme_id)
        ) ranked WHERE rank <= %(lines)s"""  # noqa: S608


RAW_SELECTION = f"""
    WITH shown AS ({" UNION ALL ".join(_ranked(k, *parts) for k, parts in _KINDS.items())})
    SELECT s.kind, s.id, s.due, s.total, s.programme_id, pl.id, p.first_name, p.last_name,
           p.protected_identity, e.contact_person_id, u.first_name, u.last_name, u.username
    FROM shown s
    JOIN participants_enrolment e ON e.id = s.id
    JOIN participants_participant p ON p.id = e.participant_id
    LEFT JOIN plans_plan pl ON pl.enrolment_id = e.id
    LEFT JOIN lotsen_user u ON u.id = e.contact_person_id"""  # noqa: S608


def _raw_parameters() -> dict[str, Any]:
    today = SHAPE.today
    limited = [p for p in Programme.objects.all() if p.max_duration is not None]
    return {
        "today": today,
        "soon": due_soon_until(today),
        "missing_before": missing_if_started_before(today),
        "needing": [p.pk for p in Programme.objects.filter(follow_up_interval__isnull=False)],
        "limited": [p.pk for p in limited],
        "latest": [latest_start_reaching_limit(p, today) for p in limited],
        "lines": LINES_PER_KIND,
    }


def _raw_selection() -> list[tuple[object, ...]]:
    with connection.cursor() as c:
        c.execute(RAW_SELECTION, _raw_parameters())
        return c.fetchall()


# The product's steps by hand: the ranking per kind, then the shown lines' names and links
# by their ids (one array) with each plan by its place's key.
RAW_LINES = """
    SELECT e.id, (SELECT pl.id FROM plans_plan pl WHERE pl.enrolment_id = e.id),
           p.first_name, p.last_name, p.protected_identity, e.contact_person_id,
           u.first_name, u.last_name, u.username
    FROM participants_enrolment e
    JOIN participants_participant p ON p.id = e.participant_id
    LEFT JOIN lotsen_user u ON u.id = e.contact_person_id
    WHERE e.id = ANY(%s)"""


def _raw_steps() -> list[tuple[object, ...]]:
    parameters, ranked = _raw_parameters(), []
    with connection.cursor() as c:
        for kind, (due, where) in _KINDS.items():
            c.execute(_ranked(kind, due, where), parameters)
            ranked += c.fetchall()
        c.execute(RAW_LINES, [sorted({r[1] for r in ranked})])
        lines = {row[0]: row for row in c.fetchall()}
    # As the one statement returns them: kind, id, due, total, programme, then the line.
    return [
        (kind, pk, due, total, programme, *lines[pk][1:])
        for kind, pk, due, programme, total, _rank in ranked
    ]


def test_selection(daily, staff_client) -> None:  # the client: the empty page's row comes first
    items = reminder_items(today=SHAPE.today, per_partition=LINES_PER_KIND)
    found = {(i.kind, i.place_id, i.total) for i in items}
    for raw in (_raw_selection(), _raw_steps()):
        assert found == {(r[0], r[1], r[3]) for r in raw}
    assert len({i.contact_id for i in items if i.kind == "overdue"}) >= SHAPE.contacts
    contenders = {
        "dagliga urvalet, rå SQL i en fråga": _raw_selection,
        "dagliga urvalet, rå SQL i steg": _raw_steps,
        "dagliga urvalet (reminder_items)": lambda: reminder_items(
            today=SHAPE.today, per_partition=LINES_PER_KIND
        ),
        # What the morning run reads: the same ranking, names only for lines it can show.
        "  som körningen läser det": lambda: reminder_items(
            today=SHAPE.today, per_partition=LINES_PER_KIND, shown=SHOWN
        ),
    }
    one, steps, ours, run = _interleaved(contenders)
    notes = [
        "yardstick: one statement, ranked per kind and joined",
        "yardstick: the product's steps by hand (ranking per kind, then lines)",
        f"{ours.ms / one.ms:.2f}× / {ours.ms / steps.ms:.2f}× raw SQL: goal ≤ 1.5× raw SQL, < 1 s",
        f"only the lines a digest can show ({SHOWN}): goal < 1 s",
    ]
    for row, note in zip((one, steps, ours, run), notes, strict=True):
        record(replace(row, note=note))


def _interleaved(contenders: dict[str, Callable[[], object]]) -> list[Row]:
    """Each one's queries, then their median times measured in turn, round after round, so
    that a busy machine slows all of them alike and their ratios hold."""
    counts = []
    for get in contenders.values():
        get()  # warm up
        with CaptureQueriesContext(connection) as queries:
            get()
        counts.append(counted(queries))
    times: list[list[float]] = [[] for _ in contenders]
    for _ in range(ROUNDS):
        for spent, get in zip(times, contenders.values(), strict=True):
            started = time.perf_counter()
            get()
            spent.append(time.perf_counter() - started)
    return [
        Row(name, count, statistics.median(spent) * 1000)
        for name, count, spent in zip(contenders, counts, times, strict=True)
    ]


def test_whole_run(daily, settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    today = SHAPE.today
    with smtp_sink() as (port, received):
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        times, sent = [], 0
        for round_ in range(ROUNDS + 1):
            ReminderDigest.objects.filter(date=today).delete()
            before = received.value
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                sent = daily_checks_run(today=today)["reminder_digests"]
                elapsed = time.perf_counter() - started
            assert received.value - before == sent
            if round_:  # the first warms up
                times.append(elapsed)
            count = counted(queries)
        assert daily_checks_run(today=today)["reminder_digests"] == 0  # once a day
    ours = ReminderDigest.objects.filter(
        date=today, sent_at__isnull=False, recipient__units=daily["unit"]
    ).count()
    assert ours == SHAPE.contacts
    ms = statistics.median(times) * 1000
    record(
        Row(
            "daglig körning med e-post",
            count,
            ms,
            f"{sent} e-mails to a local SMTP server ({ours} at the bench unit): goal < 2 s",
        )
    )
