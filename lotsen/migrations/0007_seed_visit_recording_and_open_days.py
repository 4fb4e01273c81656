"""Seed the new numbers: 230 open days for Lotsen (R16), anonymous counting at the drop-in
programmes (L7) and the weeks of low attendance before a warning (R6). Data, not code."""

from __future__ import annotations

from django.db import migrations

OPEN_DAYS = {"lotsen": 230}
COUNTED = ["basverksamhet", "yngre-lotsen"]
LOW_ATTENDANCE_WEEKS = {"forstegstraning": 3, "team-isa": 3}


def seed(apps, schema_editor):
    Unit = apps.get_model("lotsen", "Unit")
    Programme = apps.get_model("lotsen", "Programme")
    for slug, days in OPEN_DAYS.items():
        Unit.objects.filter(slug=slug, commissioned_open_days__isnull=True).update(
            commissioned_open_days=days
        )
    Programme.objects.filter(slug__in=COUNTED, visit_recording="named").update(
        visit_recording="named_and_count"
    )
    for slug, weeks in LOW_ATTENDANCE_WEEKS.items():
        Programme.objects.filter(slug=slug, low_attendance_weeks__isnull=True).update(
            low_attendance_weeks=weeks
        )


class Migration(migrations.Migration):
    dependencies = [("lotsen", "0006_visit_recording_and_opening_days")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
