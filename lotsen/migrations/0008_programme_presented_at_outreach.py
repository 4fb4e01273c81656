"""Which programme outreach to boendestöd presents to people of its age (R4, R8): Team ISA.

The age span itself is the programme's min_age and max_age (18-35, seeded in 0002).
"""

from __future__ import annotations

from django.db import migrations, models

PRESENTED = ["team-isa"]


def seed(apps, schema_editor):
    Programme = apps.get_model("lotsen", "Programme")
    Programme.objects.filter(slug__in=PRESENTED).update(presented_at_outreach=True)


class Migration(migrations.Migration):
    dependencies = [("lotsen", "0007_seed_visit_recording_and_open_days")]

    operations = [
        migrations.AddField(
            model_name="programme",
            name="presented_at_outreach",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Personer i programmets ålder som möts hos boendestöd ska få information "
                    "om programmet (Team ISA)."
                ),
                verbose_name="presenteras vid uppsökande verksamhet",
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
