"""Seed each unit's regular opening hours (R16): weekdays in the daytime, and Lotsen's one
evening a week. Administrators change them in the admin; holidays come from a library."""

from __future__ import annotations

import datetime

from django.db import migrations

T = datetime.time
WEEKDAYS = range(5)
HOURS = {
    "lotsen": [(d, T(9, 0), T(16, 0)) for d in WEEKDAYS] + [(2, T(17, 0), T(20, 0))],
    "hantverkshuset": [(d, T(8, 0), T(16, 30)) for d in WEEKDAYS],
    "beroendemottagningen": [(d, T(8, 0), T(16, 30)) for d in WEEKDAYS],
}


def seed(apps, schema_editor):
    Unit = apps.get_model("lotsen", "Unit")
    OpeningHours = apps.get_model("participants", "OpeningHours")
    for slug, periods in HOURS.items():
        unit = Unit.objects.filter(slug=slug).first()
        if unit is None or OpeningHours.objects.filter(unit=unit).exists():
            continue
        for weekday, opens, closes in periods:
            OpeningHours.objects.create(unit=unit, weekday=weekday, opens=opens, closes=closes)


class Migration(migrations.Migration):
    dependencies = [
        ("lotsen", "0007_seed_visit_recording_and_open_days"),
        ("participants", "0010_calendar_and_activities"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
