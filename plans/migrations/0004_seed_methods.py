from __future__ import annotations

from django.db import migrations

METHODS = ["ESL (Ett självständigt liv)", "Supported Employment", "IPS", "Lågaffektivt bemötande"]


def seed(apps, schema_editor):
    Method = apps.get_model("plans", "Method")
    for name in METHODS:
        Method.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_methods_versions")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
