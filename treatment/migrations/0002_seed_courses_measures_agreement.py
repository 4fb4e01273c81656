"""Seed Beroendemottagningen's course types, measures, stages and agreement (seed 004).

The numbers are data: an administrator edits them in the admin; code never repeats them.
Primary treatment is a 6-week programme (004); the commission gives no length for extended
and relapse treatment, so their lengths here are a starting point to edit.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import migrations

# programme slug: (weeks, groups running at once)
COURSE_TYPES = {
    "12-steg-primar": (6, 2),
    "forlangd-behandling": (12, 1),
    "aterfallsbehandling": (4, 1),
}

HOUSING = "Egen bostad\nBoende med stöd\nHos anhörig eller vän\nHemlös\nAnnat"
OCCUPATION = "Arbete\nStudier\nPraktik eller arbetsträning\nSjukskriven\nArbetssökande\nAnnat"
# slug, name, kind, min, max, choices, lower is better
MEASURES = [
    ("audit", "AUDIT, totalpoäng", "number", 0, 40, "", True),
    ("dudit", "DUDIT, totalpoäng", "number", 0, 44, "", True),
    ("alcohol-days", "Dagar med alkohol senaste 30 dagarna", "number", 0, 30, "", True),
    ("drug-days", "Dagar med droger senaste 30 dagarna", "number", 0, 30, "", True),
    ("housing", "Boende", "choice", None, None, HOUSING, False),
    ("occupation", "Sysselsättning", "choice", None, None, OCCUPATION, False),
    ("health", "Självskattad hälsa (1–5)", "number", 1, 5, "", False),
]
# name, anchor, months after
STAGES = [
    ("Inskrivning", "intake", 0),
    ("Kursens slut", "end", 0),
    ("Uppföljning 3 månader", "end", 3),
    ("Uppföljning 6 månader", "end", 6),
    ("Uppföljning 12 månader", "end", 12),
]


def seed(apps, schema_editor):
    Programme = apps.get_model("lotsen", "Programme")
    Unit = apps.get_model("lotsen", "Unit")
    CourseType = apps.get_model("treatment", "CourseType")
    Measure = apps.get_model("treatment", "Measure")
    Stage = apps.get_model("treatment", "Stage")
    Agreement = apps.get_model("treatment", "Agreement")
    for slug, (weeks, groups) in COURSE_TYPES.items():
        programme = Programme.objects.filter(slug=slug).first()
        if programme is not None:
            CourseType.objects.get_or_create(
                programme=programme, defaults={"weeks": weeks, "parallel_groups": groups}
            )
    for order, (slug, name, kind, low, high, choices, lower) in enumerate(MEASURES):
        Measure.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "min_value": low,
                "max_value": high,
                "choices": choices,
                "lower_is_better": lower,
                "order": order,
            },
        )
    if not Stage.objects.exists():
        for order, (name, anchor, months) in enumerate(STAGES):
            Stage.objects.create(name=name, anchor=anchor, months_after=months, order=order)
    unit = Unit.objects.filter(slug="beroendemottagningen").first()
    if unit is not None:
        Agreement.objects.get_or_create(
            unit=unit,
            defaults={
                "yearly_amount": Decimal(1827000),
                "price_year": 2021,
                "description": (
                    "Två grupper med 6–8 deltagare i varje grupp, behandling enligt "
                    "12-stegsmodellen, hela året."
                ),
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("treatment", "0001_initial"),
        ("lotsen", "0008_programme_presented_at_outreach"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
