"""Emptying every table between transactional tests by DELETE, not Django's TRUNCATE.

TRUNCATE gives each of the ~90 tables and their indexes new files: 0.7 s a test on a quiet
machine, 2–6 s on a busy one, and the browser tests and races all pay it. Deleting the few
rows a test leaves takes some 30 ms. The rows go with triggers off for that transaction
(session_replication_role = replica): every table is emptied at once, so there is nothing
left for a foreign key to check, and the triggers that refuse to delete protected history
guard the application, not a test database between tests. That setting needs a superuser
(the tests' database user in development and CI); for any other user, and for the flushes
that TRUNCATE does differently (resetting sequences, cascading), Django's TRUNCATE stays."""

from __future__ import annotations

from typing import Any

_superuser: dict[tuple[str, str], bool] = {}


def can_delete_all(connection: Any) -> bool:
    """True on PostgreSQL for a superuser, outside any transaction (SET LOCAL must end with
    the emptying's own transaction)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    key = (connection.alias, connection.settings_dict["NAME"])
    if key not in _superuser:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('is_superuser') = 'on'")
            _superuser[key] = bool(cursor.fetchone()[0])
    return _superuser[key]


def sql_delete_all(connection: Any, tables: list[str]) -> list[str]:
    """To run in one transaction: every row of `tables` gone, sequences untouched."""
    quote = connection.ops.quote_name
    return [
        "SET LOCAL session_replication_role = replica",
        *(f"DELETE FROM {quote(table)}" for table in tables),
    ]


def install() -> Any:
    """Make the PostgreSQL backend's flush delete where it can; returns the undo."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):  # type: ignore[no-untyped-def]
        if tables and not reset_sequences and not allow_cascade and can_delete_all(self.connection):
            return sql_delete_all(self.connection, tables)
        return truncate(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )

    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]

    def undo() -> None:
        DatabaseOperations.sql_flush = truncate  # type: ignore[method-assign]

    return undo
