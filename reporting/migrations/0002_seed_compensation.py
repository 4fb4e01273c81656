"""R25: the yearly compensation of Lotsen and Hantverkshuset, as the commissions give it.

Beroendemottagningen's agreement is seeded by the treatment app; the same table holds every
unit's compensation (decision 0017)."""

from __future__ import annotations

from decimal import Decimal

from django.db import migrations

COMPENSATION = {
    # slug: (yearly amount in kr, price year, what it pays for)
    "lotsen": (Decimal(3000000), 2020, "Dagverksamhet, förstegsträning och Team ISA."),
    "hantverkshuset": (
        Decimal(2085000),
        2018,
        "Support och arbetsteamet: 3 årsarbetare, inklusive lokalkostnad.",
    ),
}


def seed(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    Unit = apps.get_model("lotsen", "Unit")
    Agreement = apps.get_model("treatment", "Agreement")
    for slug, (amount, year, description) in COMPENSATION.items():
        unit = Unit.objects.filter(slug=slug).first()
        if unit is not None:
            Agreement.objects.get_or_create(
                unit=unit,
                defaults={"yearly_amount": amount, "price_year": year, "description": description},
            )


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_report_text_goals_files"),
        ("treatment", "0002_seed_courses_measures_agreement"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
