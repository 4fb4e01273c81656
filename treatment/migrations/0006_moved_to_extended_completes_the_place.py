"""A place left for extended treatment ended as "annan insats"; going on to extended
treatment is completed treatment (decision 0013), so those places end as completed."""

from __future__ import annotations

from django.db import migrations


def _set(apps, old, new):
    Enrolment = apps.get_model("participants", "Enrolment")
    Enrolment.objects.filter(outcome=old, course_memberships__outcome="moved_to_extended").update(
        outcome=new
    )


def forwards(apps, schema_editor):
    _set(apps, "other_service", "completed")


def backwards(apps, schema_editor):
    _set(apps, "completed", "other_service")


class Migration(migrations.Migration):
    dependencies = [
        ("treatment", "0005_measurementvalue_swedish_name"),
        ("participants", "0026_record_event_created"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
