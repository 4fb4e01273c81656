"""Seed the units and programmes of the Linköping commission (DOMAIN.md, the services table).

The numbers are data: an administrator edits them in the admin; code never repeats them.
"""

from __future__ import annotations

from django.db import migrations

UNITS = [
    ("lotsen", "Lotsen", "Apotekaregatan 13, Linköping"),
    ("hantverkshuset", "Hantverkshuset Support och arbetsteamet", "Linköping"),
    ("beroendemottagningen", "Beroendemottagningen", "Linköping"),
]

# slug, unit, name, fields
PROGRAMMES = [
    (
        "basverksamhet",
        "lotsen",
        "Basverksamhet (social samvaro)",
        {"min_age": 18, "rules": "R1, R2, R16"},
    ),
    (
        "yngre-lotsen",
        "lotsen",
        "Yngre Lotsen",
        {"min_age": 18, "max_age": 35, "rules": "R17"},
    ),
    (
        "forstegstraning",
        "lotsen",
        "Förstegsträning på Lotsen",
        {
            "capacity_kind": "hours_per_week",
            "capacity": 105,
            "min_hours_per_week": 4,
            "max_duration": 2 * 12,
            "max_duration_unit": "months",
            "follow_up_interval": 3,
            "follow_up_interval_unit": "months",
            "min_age": 18,
            "requires_contact_person": True,
            "is_work_training": True,
            "rules": "R5, R6, R7, R9, R10, R11, R13, R14",
        },
    ),
    (
        "team-isa",
        "lotsen",
        "Team ISA",
        {
            "capacity_kind": "people",
            "capacity": 6,
            "min_hours_per_week": 4,
            "max_duration": 2 * 12,
            "max_duration_unit": "months",
            "follow_up_interval": 6,
            "follow_up_interval_unit": "weeks",
            "min_age": 18,
            "max_age": 35,
            "requires_contact_person": True,
            "is_work_training": True,
            "rules": "R6, R7, R8, R9, R13, R14",
        },
    ),
    (
        "support-och-arbetsteamet",
        "hantverkshuset",
        "Support och arbetsteamet (Supported Employment/IPS)",
        {
            "capacity_kind": "new_cases_per_year",
            "capacity": 75,
            "min_age": 18,
            "description": "3 årsarbetare, var och en 20–25 nya ärenden per år.",
            "rules": "R21, R22",
        },
    ),
    (
        "12-steg-primar",
        "beroendemottagningen",
        "12-steg primärbehandling",
        {
            "capacity_kind": "group_size",
            "group_min": 6,
            "group_max": 8,
            "max_duration": 6,
            "max_duration_unit": "weeks",
            "min_age": 18,
            "rules": "R15, R18",
        },
    ),
    (
        "forlangd-behandling",
        "beroendemottagningen",
        "Förlängd behandling",
        {
            "capacity_kind": "group_size",
            "group_min": 6,
            "group_max": 8,
            "min_age": 18,
            "rules": "R15",
        },
    ),
    (
        "aterfallsbehandling",
        "beroendemottagningen",
        "Återfallsbehandling",
        {
            "capacity_kind": "group_size",
            "group_min": 6,
            "group_max": 8,
            "min_age": 18,
            "rules": "R15",
        },
    ),
    (
        "motivationsgrupp",
        "beroendemottagningen",
        "Motivationsgrupp",
        {"min_age": 18, "rules": "R18"},
    ),
]


def seed(apps, schema_editor):
    Unit = apps.get_model("lotsen", "Unit")
    Programme = apps.get_model("lotsen", "Programme")
    units = {}
    for slug, name, address in UNITS:
        units[slug], _ = Unit.objects.get_or_create(
            slug=slug, defaults={"name": name, "address": address, "home_municipality": "Linköping"}
        )
    for slug, unit, name, fields in PROGRAMMES:
        Programme.objects.get_or_create(
            slug=slug, defaults={"unit": units[unit], "name": name, **fields}
        )


class Migration(migrations.Migration):
    dependencies = [("lotsen", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
