"""Queries whose shape never changes, built and compiled by the ORM once per process.

A busy request pays in Python for building its querysets (filters, annotations,
subqueries, each cloned at every step) and compiling them to SQL, again on every request,
although only the values change: for an attendance mark that was more than half of the
request. `Prepared(build, name=type, …)` calls `build` once with stand-in values of those
types, lets the ORM compile it, and finds where each stand-in landed among the statement's
parameters; a call then runs the same statement with the call's values in those places,
and the ORM's own iterable turns the rows into what the queryset would have given
(instances, their `select_related` relations and annotations).

The ORM stays the author of the statement: it is compiled twice with two sets of stand-ins,
and only the parameters that are the stand-ins may differ, so a value the build derives
from one (a date minus a week, a name lower-cased) is refused when prepared instead of
being run stale. What the build reads besides its values (settings, the time zone, which
kinds of programme exist) is fixed at the first call: a build for this reads only its
values. `Prepared.fresh(**values)` builds the queryset the ordinary way, for the tests that
prove both give the same statement.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import QuerySet

T = TypeVar("T")

# Stand-ins: values no real query carries, two sets (see the module's docstring).
_STAND_INS: dict[type, Callable[[int], Any]] = {
    int: lambda n: -987_654_300 - n,
    str: lambda n: f"\x1fprepared-{n}",
    datetime.date: lambda n: datetime.date(1901, 1, 1) + datetime.timedelta(days=n),
}


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet[Any]
    compiler: Any  # the ORM's compiler, with the select and row layout of the statement
    sql: str
    params: tuple[Any, ...]
    names: tuple[str | None, ...]  # for each parameter, the value it takes, or None


class Prepared(Generic[T]):
    """`build(**values)` compiled once per database; `prepared(**values)` is its rows."""

    def __init__(self, build: Callable[..., QuerySet[Any]], **kinds: type) -> None:
        assert all(kind in _STAND_INS for kind in kinds.values()), kinds
        self._build, self._kinds = build, kinds
        self._compiled: dict[str, _Compiled] = {}

    def fresh(self, **values: Any) -> QuerySet[Any]:
        """The queryset as the ORM builds it on every call."""
        return self._build(**values)

    def __call__(self, **values: Any) -> list[T]:
        compiled, params = self._statement(values)
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connections[compiled.queryset.db]  # this thread's connection
        compiler.as_sql = lambda *args, **kwargs: (compiled.sql, params)
        run = compiled.queryset._chain()  # type: ignore[attr-defined]
        run.query.get_compiler = lambda *args, **kwargs: compiler
        return list(run)

    def statement(self, **values: Any) -> tuple[str, tuple[Any, ...]]:
        """The SQL and parameters a call with these values runs."""
        compiled, params = self._statement(values)
        return compiled.sql, tuple(params)

    def _statement(self, values: dict[str, Any]) -> tuple[_Compiled, list[Any]]:
        assert values.keys() == self._kinds.keys(), values.keys()
        db = self._build_once().db
        compiled = self._compiled.get(db) or self._compile(db)
        ops = connections[db].ops
        given = {name: _adapted(ops, value) for name, value in values.items()}
        params = [
            p if name is None else given[name]
            for p, name in zip(compiled.params, compiled.names, strict=True)
        ]
        return compiled, params

    def _build_once(self) -> QuerySet[Any]:
        if not self._compiled:
            return self._build(**self._stand_ins(0))
        return next(iter(self._compiled.values())).queryset

    def _stand_ins(self, offset: int) -> dict[str, Any]:
        return {
            name: _STAND_INS[kind](offset + n) for n, (name, kind) in enumerate(self._kinds.items())
        }

    def _compile(self, using: str) -> _Compiled:
        ops = connections[using].ops
        first, second = self._stand_ins(0), self._stand_ins(len(self._kinds))
        queryset = self._build(**first)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        other_sql, other_params = self._build(**second).query.get_compiler(using=using).as_sql()
        where = {_key(_adapted(ops, v)): name for name, v in first.items()}
        names = tuple(where.get(_key(p)) for p in params)
        assert sql == other_sql and len(params) == len(other_params), "a shape that changes"
        for p, other, name in zip(params, other_params, names, strict=True):
            expected = p if name is None else _adapted(ops, second[name])
            assert other == expected, f"a value derived from {name or 'a stand-in'}: {p!r}"
        assert set(names) - {None} == set(first), f"values not in the statement: {set(first)}"
        compiled = _Compiled(queryset, compiler, sql, tuple(params), names)
        self._compiled[using] = compiled
        return compiled


def _adapted(ops: Any, value: Any) -> Any:
    """A value as the ORM passes it to the database (dates are text on SQLite)."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return ops.adapt_datefield_value(value)
    return value


def _key(value: Any) -> tuple[type, Any]:
    """1 and True are equal; a parameter's type tells them apart. A list is never a value."""
    return (type(value), value if getattr(value, "__hash__", None) else id(value))
