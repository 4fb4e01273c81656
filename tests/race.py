"""Two (or more) staff at the same moment: each attempt in its own thread and database
connection, released together. Row locks need PostgreSQL; on SQLite writers queue
(decision 0002, tests/test_sqlite_race.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

POSTGRES_ONLY = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL; SQLite queues writers instead (test_sqlite_race.py)",
    ),
]


def race(
    attempts: list[Callable[[], object]], *, conflicts: tuple[type[Exception], ...] = ()
) -> list[str]:
    """Outcomes in finishing order: "ok", "conflict" for one of `conflicts`, or the
    messages of a ValidationError."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list[str] = []

    def run(attempt: Callable[[], object]) -> None:
        barrier.wait()
        try:
            attempt()
            outcomes.append("ok")
        except conflicts:
            outcomes.append("conflict")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(a,)) for a in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes
