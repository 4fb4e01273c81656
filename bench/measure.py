"""One table for `make bench`: every measurement is a row with its query count, its median
time and its ratio to the empty page of the site measured in the same run (ratios hold on a
busy machine; absolute times do not). Each bench module adds rows with `measure()` or
`record()`; bench/conftest.py prints the table at the end of the run.
"""

from __future__ import annotations

import os
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext

_SAVEPOINT = re.compile(r"(RELEASE |ROLLBACK TO )?SAVEPOINT ")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
EMPTY = "tom sida (base.html)"


@dataclass(frozen=True)
class Row:
    name: str
    queries: int
    ms: float
    note: str = ""  # what the row is compared with when not the empty page, and its goal
    empty_ms: float | None = None  # the empty page's median in the same rounds, if paired


RESULTS: list[Row] = []
HEADINGS: list[str] = []
# The empty page's request, once a bench module has a signed-in client: each row's rounds
# then alternate with it, so that a row and its yardstick see the same machine.
_empty: list[Callable[[], object]] = []


def pair_with_empty_page(get: Callable[[], object]) -> None:
    _empty[:] = [get]


def measure(
    name: str, get: Callable[[], object], *, rounds: int = ROUNDS, note: str = ""
) -> tuple[int, float]:
    """Warm up, count the queries of one call, then time `rounds` calls, each after one of
    the empty page (when paired); add the row."""
    for _ in range(3 if rounds > 3 else 1):
        get()
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        response = get()
    # Now: the captured list is a view of a log the next request resets.
    count = counted(queries)
    assert getattr(response, "status_code", 200) == 200, name
    paired = _empty[0] if _empty and name != EMPTY else None
    assert paired is None or getattr(paired(), "status_code", 200) == 200, "the empty page"
    times, empty_times = [], []
    for _ in range(rounds):
        if paired is not None:
            started = time.perf_counter()
            paired()
            empty_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        get()
        times.append(time.perf_counter() - started)
    median = statistics.median(times) * 1000
    empty = statistics.median(empty_times) * 1000 if empty_times else None
    record(Row(name, count, median, note, empty))
    return count, median


def counted(queries: CaptureQueriesContext) -> int:
    """The queries as Django counts them in production, without the savepoints of the
    test's own transaction (there, the atomic blocks are BEGIN and COMMIT)."""
    return sum(1 for q in queries if not _SAVEPOINT.match(q["sql"]))


def record(row: Row) -> None:
    RESULTS.append(row)


def table() -> str:
    if not RESULTS:
        return ""
    first = next((r.ms for r in RESULTS if r.name == EMPTY), None)
    # × empty: to the empty page timed in the row's own rounds (alternating with it, the
    # empty page is slower than alone: the busy page leaves the caches cold); × alone: to
    # the empty page timed alone at the start, the stricter yardstick.
    heading = f"{'measurement':<36}{'queries':>8}{'ms':>10}{'× empty':>10}{'× alone':>10}  note"
    lines = [*HEADINGS, heading]
    for r in RESULTS:
        empty = r.empty_ms or first  # the rounds' own empty page, else the first measured
        ratio = f"{r.ms / empty:>10.1f}" if empty else f"{'':>10}"
        alone = f"{r.ms / first:>10.1f}" if first else f"{'':>10}"
        lines.append(f"{r.name:<36}{r.queries:>8}{r.ms:>10.1f}{ratio}{alone}  {r.note}".rstrip())
    return "\n".join(lines)
