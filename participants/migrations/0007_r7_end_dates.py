"""R7: places in programmes with a longest duration get that end date when they had none."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.db import migrations


def set_end_dates(apps, schema_editor):
    Enrolment = apps.get_model("participants", "Enrolment")
    open_ended = Enrolment.objects.filter(
        end_date__isnull=True, programme__max_duration__isnull=False
    )
    for place in open_ended.select_related("programme"):
        programme = place.programme
        unit = "weeks" if programme.max_duration_unit == "weeks" else "months"
        latest = place.start_date + relativedelta(**{unit: programme.max_duration})
        place.end_date = latest - datetime.timedelta(days=1)
        place.save(update_fields=["end_date"])


class Migration(migrations.Migration):
    dependencies = [("participants", "0006_participant_record_per_unit")]

    operations = [migrations.RunPython(set_end_dates, migrations.RunPython.noop)]
