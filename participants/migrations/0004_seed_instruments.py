from __future__ import annotations

from django.db import migrations

INSTRUMENTS = [
    ("AWP", "Assessment of Work Performance"),
    ("DOA", "Dialog om arbetsförmåga"),
    ("WRI", "Worker Role Interview"),
    ("WEIS", "Work Environment Impact Scale"),
    ("Annat", "Annat instrument eller metod"),
]


def seed(apps, schema_editor):
    Instrument = apps.get_model("participants", "AssessmentInstrument")
    for name, description in INSTRUMENTS:
        Instrument.objects.get_or_create(name=name, defaults={"description": description})


class Migration(migrations.Migration):
    dependencies = [("participants", "0003_assessments")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
