"""The demo world for tests that only need it to be there: `load_demo` once per test process
and database, then a copy of its rows for each later test.

A real load runs some 17,000 queries through the services (7–10 s); the copy is one
transaction: the tables emptied as the flush between tests empties them (tests/emptying.py),
every row written back with COPY, and each table's id sequence set back to where the load
left it. So each test gets the
same rows, ids included, as the load gave the first one; what a test writes is gone with the
flush after it, as before. PostgreSQL only (COPY); elsewhere every test loads the demo.
The loader itself stays tested by tests/test_demo.py and the other tests that call it."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management.color import no_style
from django.db import connection, transaction

from lotsen.demo import load_demo
from tests.emptying import can_delete_all, sql_delete_all


@dataclass(frozen=True)
class _Copy:
    tables: list[str]  # every table Django's flush empties
    rows: dict[str, bytes]  # the non-empty ones, in COPY's binary format
    sequences: list[tuple[str, int | None, bool]]  # name, last_value, is_called


_copies: dict[tuple[str, datetime.date], _Copy] = {}


def demo_world(*, today: datetime.date, seed: Callable[[], object]) -> None:
    """The demo as `load_demo(today=today)` leaves it on the domain that `seed` seeds (the
    copy has the seeded rows already, so it is called only before a load)."""
    if connection.vendor != "postgresql":
        seed()
        load_demo(today=today)
        return
    key = (connection.settings_dict["NAME"], today)
    if key in _copies:
        _restore(_copies[key])
    else:
        seed()
        load_demo(today=today)
        _copies[key] = _take()


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _take() -> _Copy:
    tables = sorted(connection.introspection.django_table_names(only_existing=True))
    rows: dict[str, bytes] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            data = bytearray()
            with cursor.cursor.copy(f"COPY {_quote(table)} TO STDOUT (FORMAT BINARY)") as copy:
                for chunk in copy:
                    data += chunk
            cursor.execute(f"SELECT EXISTS (SELECT FROM {_quote(table)})")
            if cursor.fetchone()[0]:
                rows[table] = bytes(data)
        # The sequences that belong to these tables (serial or identity columns).
        cursor.execute(
            """
            SELECT seq.relname, tab.relname
            FROM pg_class seq
            JOIN pg_depend dep ON dep.objid = seq.oid AND dep.deptype IN ('a', 'i')
            JOIN pg_class tab ON tab.oid = dep.refobjid
            JOIN pg_namespace ns ON ns.oid = seq.relnamespace
            WHERE seq.relkind = 'S' AND ns.nspname = current_schema()
            """
        )
        owned = sorted(seq for seq, table in cursor.fetchall() if table in tables)
        sequences = []
        for seq in owned:
            cursor.execute(f"SELECT last_value, is_called FROM {_quote(seq)}")
            last_value, is_called = cursor.fetchone()
            sequences.append((seq, last_value, is_called))
    return _Copy(tables=tables, rows=rows, sequences=sequences)


def _restore(saved: _Copy) -> None:
    delete = can_delete_all(connection)
    with transaction.atomic(), connection.cursor() as cursor:
        if delete:  # as the flush empties them, triggers and key checks off till commit
            emptying = sql_delete_all(connection, saved.tables)
        else:  # Django's TRUNCATE; the foreign keys (deferred) are checked at commit
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            emptying = connection.ops.sql_flush(no_style(), saved.tables)
        for sql in emptying:
            cursor.execute(sql)
        for table, data in saved.rows.items():
            with cursor.cursor.copy(f"COPY {_quote(table)} FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(data)
        for seq, last_value, is_called in saved.sequences:
            cursor.execute("SELECT setval(%s, %s, %s)", [_quote(seq), last_value, is_called])
    # Content types are cached by id in this process; the copy has the first load's ids.
    ContentType.objects.clear_cache()
    for cache in caches.all(initialized_only=True):
        cache.clear()
