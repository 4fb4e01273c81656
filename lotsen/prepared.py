"""Queries whose shape never changes, built and compiled by the ORM once per process.

A busy request pays in Python for building its querysets (filters, annotations,
subqueries, each cloned at every step) and compiling them to SQL, again on every request,
although only the values change: for an attendance mark that was more than half of the
request. `Prepared(build, name=type, …)` calls `build` once with stand-in values of those
types, lets the ORM compile it, and finds where each stand-in landed among the statement's
parameters; a call then runs the same statement with the call's values in those places,
and the ORM's own iterable turns the rows into what the queryset would have given
(instances, their `select_related` relations and annotations).

The ORM stays the author of the statement: it is compiled twice with two sets of random
stand-ins (negative numbers and dates before 1950, then positive ones and dates after 2100;
strings of mixed case with LIKE's special characters), and only the parameters that are
the stand-ins may differ, so a value the build derives from one (a date minus a week, a
name lower-cased, a clamp) is refused when prepared instead of being run stale. A call's
values must be of the declared types (the ORM would have converted a "5" or made None an
IS NULL; this does not). What the build reads besides its values (settings, the time zone, which
kinds of programme exist) is fixed at the first call: a build for this reads only its
values. `Prepared.fresh(**values)` builds the queryset the ordinary way, for the tests that
prove both give the same statement.
"""

from __future__ import annotations

import copy
import datetime
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import QuerySet

T = TypeVar("T")


class NotPreparable(Exception):
    """A build whose statement would not run right with other values."""


def _stand_in(kind: type, first: bool) -> Any:
    """A random value of `kind`, unlike any real one and unlike the other set's: the first
    set's numbers are negative and its dates before 1950, the second's positive and after
    2100, so that a clamp or a branch on a value gives different statements; strings are of
    mixed case with spaces and LIKE's special characters, so that lower-casing or escaping
    one changes it."""
    if kind is int:
        number = secrets.randbelow(10**15) + 10**12
        return -number if first else number
    if kind is str:
        return f" Pr%_\\{secrets.token_hex(6)}Ep " if first else f" qR_%{secrets.token_hex(6)}x "
    start = datetime.date(1800, 1, 1) if first else datetime.date(2101, 1, 1)
    return start + datetime.timedelta(days=secrets.randbelow(150 * 365))


_KINDS = (int, str, datetime.date)


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
        if not all(kind in _KINDS for kind in kinds.values()):
            raise TypeError(f"values are ints, strings or dates: {kinds}")
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
        if values.keys() != self._kinds.keys():
            raise TypeError(f"give {', '.join(self._kinds)}, not {', '.join(values)}")
        for name, value in values.items():
            if type(value) is not self._kinds[name]:  # True is not an int, nor None a date
                raise TypeError(f"{name} is a {self._kinds[name].__name__}: {value!r}")
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
            return self._build(**self._stand_ins(first=True))
        return next(iter(self._compiled.values())).queryset

    def _stand_ins(self, *, first: bool) -> dict[str, Any]:
        while len(values := {n: _stand_in(k, first) for n, k in self._kinds.items()}) != len(
            {_key(v) for v in values.values()}
        ):
            pass  # two values alike (one chance in millions): draw again
        return values

    def _compile(self, using: str) -> _Compiled:
        ops = connections[using].ops
        first, second = self._stand_ins(first=True), self._stand_ins(first=False)
        queryset = self._build(**first)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        other_sql, other_params = self._build(**second).query.get_compiler(using=using).as_sql()
        where = {_key(_adapted(ops, v)): name for name, v in first.items()}
        names = tuple(where.get(_key(p)) for p in params)
        if sql != other_sql or len(params) != len(other_params):
            raise NotPreparable("the statement's shape changes with the values")
        for p, other, name in zip(params, other_params, names, strict=True):
            expected = p if name is None else _adapted(ops, second[name])
            if other != expected:
                raise NotPreparable(f"a parameter derived from a value: {p!r}")
        if missing := set(first) - set(names):
            raise NotPreparable(f"values not in the statement: {sorted(missing)}")
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
