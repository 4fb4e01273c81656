from __future__ import annotations

from django.db import migrations

# The list; administrators edit it in the admin.
KINDS = [
    "Samtal",
    "Telefonsamtal",
    "Gruppaktivitet",
    "Hembesök",
    "Händelse",
    "Kontakt med annan aktör",
    "Information till närstående",
    "Planering och uppföljning",
]
LATE_AFTER_DAYS = 3


def seed(apps, schema_editor):
    EntryKind = apps.get_model("journal", "EntryKind")
    for position, name in enumerate(KINDS):
        EntryKind.objects.get_or_create(name=name, defaults={"position": position})
    UnitJournalRules = apps.get_model("journal", "UnitJournalRules")
    for unit in apps.get_model("lotsen", "Unit").objects.all():
        UnitJournalRules.objects.get_or_create(
            unit=unit, defaults={"late_after_days": LATE_AFTER_DAYS}
        )


class Migration(migrations.Migration):
    dependencies = [("journal", "0001_initial"), ("lotsen", "0002_seed_units_and_programmes")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
