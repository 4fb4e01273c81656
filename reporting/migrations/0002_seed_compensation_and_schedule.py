"""R25: the yearly compensation of Lotsen and Hantverkshuset, as the commissions give it;
R20: when Beroendemottagningen's report is due.

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


# R20: Beroendemottagningen's report is due by 31 March; the manager is reminded from 1 March.
SCHEDULES = {"beroendemottagningen": (3, 31, 3, 1)}


def seed(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    Unit = apps.get_model("lotsen", "Unit")
    ReportSchedule = apps.get_model("reporting", "ReportSchedule")
    for slug, (due_month, due_day, from_month, from_day) in SCHEDULES.items():
        unit = Unit.objects.filter(slug=slug).first()
        if unit is not None:
            ReportSchedule.objects.get_or_create(
                unit=unit,
                defaults={
                    "due_month": due_month,
                    "due_day": due_day,
                    "remind_from_month": from_month,
                    "remind_from_day": from_day,
                },
            )
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
