"""Seed the IPS numbers for Support och arbetsteamet (R21): the commission's 20-25 new cases
per FTE a year, and the fidelity scale's 20 cases, 30 days and 6 contacts a week.

Data, not code: an administrator edits them in the admin.
"""

from __future__ import annotations

from django.db import migrations

IPS = {
    "support-och-arbetsteamet": {
        "new_cases_per_fte_min": 20,
        "new_cases_per_fte_max": 25,
        "max_caseload_per_fte": 20,
        "first_contact_days": 30,
        "employer_contacts_per_week": 6,
        "retention_months_short": 3,
        "retention_months_long": 6,
        "suppress_below": 5,
    }
}


def seed(apps, schema_editor):
    Programme = apps.get_model("lotsen", "Programme")
    EmploymentProgramme = apps.get_model("employment", "EmploymentProgramme")
    for slug, fields in IPS.items():
        programme = Programme.objects.filter(slug=slug).first()
        if programme is not None:
            EmploymentProgramme.objects.get_or_create(programme=programme, defaults=fields)


class Migration(migrations.Migration):
    dependencies = [
        ("employment", "0001_initial"),
        ("lotsen", "0002_seed_units_and_programmes"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
