"""One record per person and unit (L2): replace the `units` M2M with a `unit` foreign key."""

from __future__ import annotations

import django.db.models.deletion
from django.db import migrations, models


def copy_first_unit(apps, schema_editor):
    Participant = apps.get_model("participants", "Participant")
    for participant in Participant.objects.all():
        participant.unit = participant.units.order_by("pk").first()
        participant.save(update_fields=["unit"])


class Migration(migrations.Migration):
    dependencies = [
        ("lotsen", "0003_programme_external_workplace"),
        ("participants", "0005_registry_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="participant",
            name="unit",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="participant_records",
                to="lotsen.unit",
                verbose_name="enhet",
            ),
        ),
        migrations.RunPython(copy_first_unit, migrations.RunPython.noop),
        migrations.RemoveField(model_name="participant", name="units"),
        migrations.AlterField(
            model_name="participant",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="participants",
                to="lotsen.unit",
                verbose_name="enhet",
            ),
        ),
        migrations.AlterField(
            model_name="participant",
            name="identity_number",
            field=models.CharField(
                blank=True,
                help_text="Tomt för en person med reservidentitet (L6).",
                max_length=12,
                null=True,
                verbose_name="personnummer eller samordningsnummer",
            ),
        ),
        migrations.AddConstraint(
            model_name="participant",
            constraint=models.UniqueConstraint(
                fields=("unit", "identity_number"), name="one_record_per_person_and_unit"
            ),
        ),
    ]
