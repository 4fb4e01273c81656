"""Demo journal: a few signed entries for the people with plans, one corrected, one late,
and an unsigned draft on anna's home page."""

from __future__ import annotations

import datetime
import importlib
import uuid

from django.apps import apps
from django.utils import timezone

from journal.models import Draft, Entry, EntryKind
from lotsen.demo import DemoWorld

TEXTS = [
    (
        "Samtal",
        "Samtal om veckan som gått. Trivs med uppgifterna i caféet men är trött på morgnarna.",
    ),
    ("Telefonsamtal", "Ringde och sade att hen kommer senare i dag på grund av ett läkarbesök."),
    ("Hembesök", "Hembesök tillsammans med boendestödet. Vi gick igenom morgonrutinerna."),
]


def load(world: DemoWorld) -> None:
    importlib.import_module("journal.migrations.0002_seed_kinds_and_rules").seed(apps, None)
    kinds = {kind.name: kind for kind in EntryKind.objects.all()}
    for number, (place, _established_on, by) in enumerate(world.shared.get("plans", [])[:6]):
        for days_ago, (kind, text) in zip((20, 9, 2), TEXTS, strict=True):
            occurred = _at(world.today - datetime.timedelta(days=days_ago), 10)
            # The third person's phone call was written down a week late.
            written = occurred + datetime.timedelta(days=7 if number == 2 and days_ago == 9 else 0)
            entry = Entry.objects.create(
                key=uuid.uuid4(),
                participant=place.participant,
                occurred_at=occurred,
                kind=kinds[kind],
                text=text,
                author=by,
                author_role=by.role,
                signed_at=written + datetime.timedelta(hours=2),
                late=written > occurred,
                place=place,
            )
        if number == 0:
            entry.correct(
                text=text.replace("boendestödet", "boendestödet och en anhörig"),
                reason="En anhörig var också med.",
                by=by,
            )
            Draft.objects.create(
                participant=place.participant,
                author=world.staff["anna"],
                occurred_at=_at(world.today, 9),
                kind=kinds["Samtal"],
                text="Pratade om att pröva köket",
            )


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
