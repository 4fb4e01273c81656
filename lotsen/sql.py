"""Database expressions the reports count with, on PostgreSQL and on the embedded SQLite.

- ``AddInterval(date, count, unit)``: a date plus ``count`` weeks or months as
  ``lotsen.models.interval`` adds them (month ends clamp: 30 Nov + 3 months = 28 Feb);
  NULL when ``count`` is NULL (a programme without the interval).
- ``DaysBetween(later, earlier)``: whole days from one date to another.
- ``Median(expression)``: the median as ``statistics.median`` gives it, PostgreSQL only
  (``percentile_cont``); callers keep a path for SQLite (``connection.vendor``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Aggregate, DateField, FloatField, Func, IntegerField


class AddInterval(Func):
    output_field = DateField()

    def __init__(self, date: Any, count: Any, unit: Any) -> None:
        super().__init__(date, count, unit)

    def _parts(self, compiler: Any, connection: Any) -> list[tuple[str, list[Any]]]:
        return [compiler.compile(e) for e in self.get_source_expressions()]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        (day, p1), (n, p2), (unit, p3) = self._parts(compiler, connection)
        sql = (
            f"(({day}) + CASE WHEN ({unit}) = 'weeks' THEN make_interval(weeks => {n}) "
            f"ELSE make_interval(months => {n}) END)::date"
        )
        return sql, [*p1, *p3, *p2, *p2]

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        (day, p1), (n, p2), (unit, p3) = self._parts(compiler, connection)
        # date(…, '+N months') overflows into the next month (30 Nov + 3 = 2 Mar); the last
        # day of the target month caps it, as relativedelta does.
        sql = (
            f"CASE WHEN ({unit}) = 'weeks' THEN date({day}, '+' || (7 * ({n})) || ' days') "
            f"ELSE min(date({day}, '+' || ({n}) || ' months'), "
            f"date({day}, 'start of month', '+' || (({n}) + 1) || ' months', '-1 day')) END"
        )
        return sql, [*p3, *p1, *p2, *p1, *p2, *p1, *p2]


class DaysBetween(Func):
    output_field = IntegerField()

    def __init__(self, later: Any, earlier: Any) -> None:
        super().__init__(later, earlier)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ")

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
        )


class Median(Aggregate):
    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def as_statistics_median(value: float | None, count: int) -> float | int | None:
    """`percentile_cont` as `statistics.median` gives it for whole numbers: the middle
    value itself (an int) for an odd count, the mean of the two middle ones for an even."""
    if value is None or not count:
        return None
    return int(value) if count % 2 else float(value)
