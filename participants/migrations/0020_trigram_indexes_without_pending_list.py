"""Search by name or number in constant time after many registrations (PostgreSQL only).

A GIN index first appends new rows to a pending list that every search reads from end to
end, until VACUUM merges it: up to 4 MB, which made a trigram search of 100,000 people take
6 ms whatever it found. The register is read far more than it is written, so new people go
straight into the indexes (fastupdate off), and the list already pending is merged now.
"""

from __future__ import annotations

from django.db import migrations

INDEXES = [
    "participant_first_name_trgm",
    "participant_last_name_trgm",
    "participant_identity_number_trgm",
]


def _set_fastupdate(on: bool):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return
        for index in INDEXES:
            schema_editor.execute(f"ALTER INDEX {index} SET (fastupdate = {'on' if on else 'off'})")
            if not on:
                schema_editor.execute(f"SELECT gin_clean_pending_list('{index}'::regclass)")

    return run


class Migration(migrations.Migration):
    dependencies = [("participants", "0019_participant_erased_on")]

    operations = [
        migrations.RunPython(_set_fastupdate(False), _set_fastupdate(True), elidable=False)
    ]
