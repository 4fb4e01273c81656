"""Search by name or part of the number at a city's scale (PostgreSQL only).

The registry's search is `icontains` (UPPER(column) LIKE UPPER('%text%')) and the number's
`contains` (LIKE '%digits%'): trigram GIN indexes on exactly those expressions let PostgreSQL
answer from the index instead of reading the whole register. pg_trgm is a trusted extension,
so the role that runs migrations may create it. SQLite keeps its plain scan.
"""

from __future__ import annotations

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS participant_first_name_trgm ON participants_participant "
    "USING gin (UPPER(first_name::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS participant_last_name_trgm ON participants_participant "
    "USING gin (UPPER(last_name::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS participant_identity_number_trgm ON participants_participant "
    "USING gin (identity_number gin_trgm_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS participant_first_name_trgm",
    "DROP INDEX IF EXISTS participant_last_name_trgm",
    "DROP INDEX IF EXISTS participant_identity_number_trgm",
]


def _run(statements: list[str]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("participants", "0016_visit_programme_date_index")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
