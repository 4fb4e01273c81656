"""Demo data: a realistic world for a new user, from Skatteverket's test personnummer only.

Each app has its own `demo` module with a `load(world)`; `load_demo` creates the staff and
then calls them in the order of INSTALLED_APPS, so this base package imports no app.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

from auditlog.context import disable_auditlog
from django.apps import apps
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from lotsen.models import Role, Unit, User

DEMO_PASSWORD = "lotsen-demo-2026"  # noqa: S105 (demo only, printed by make run)
TEST_NUMBERS = Path(__file__).with_name("testpersonnummer.txt")

STAFF = [
    # username, first, last, role, unit slugs
    ("anna", "Anna", "Lindqvist", Role.SUPPORT, ["lotsen"]),
    ("omar", "Omar", "Haddad", Role.OCCUPATIONAL_THERAPIST, ["lotsen"]),
    ("eva", "Eva", "Berg", Role.MANAGER, ["lotsen"]),
    ("henrik", "Henrik", "Sjöberg", Role.SUPPORT, ["hantverkshuset"]),
    ("maria", "Maria", "Ek", Role.DRUG_THERAPIST, ["beroendemottagningen"]),
]
FIRST_NAMES = [
    "Alva",
    "Bo",
    "Cecilia",
    "David",
    "Elin",
    "Filip",
    "Greta",
    "Hampus",
    "Ida",
    "Johan",
    "Karin",
    "Linus",
    "Maja",
    "Nils",
    "Olivia",
    "Per",
    "Rut",
    "Sami",
    "Tove",
    "Ulf",
    "Vera",
    "William",
    "Yusuf",
    "Zara",
    "Amir",
    "Britt",
    "Conny",
    "Dalia",
    "Emil",
    "Fatima",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Lindberg",
    "Axelsson",
    "Lundgren",
    "Mohammed",
    "Ali",
]


@dataclass
class DemoWorld:
    """What the apps' demo modules share: the day, one seeded random source, the staff, and
    the pools of test numbers and names, so that no number or name is used twice."""

    today: datetime.date
    rng: random.Random
    staff: dict[str, User]
    young: Iterator[str]
    adults: Iterator[str]
    names: Iterator[tuple[str, str]]
    # What one app's demo leaves for a later one (e.g. places that get a plan).
    shared: dict[str, Any] = field(default_factory=dict)


def skatteverket_numbers(*, born_between: tuple[int, int]) -> list[str]:
    low, high = born_between
    lines = TEST_NUMBERS.read_text().split()
    return [n for n in lines if low <= int(n[:4]) <= high and int(n[6:8]) <= 31]


@transaction.atomic
def load_demo(*, today: datetime.date) -> bool:
    """Create the demo world once; return False if it was already there."""
    if User.objects.filter(username="anna").exists():
        return False
    rng = random.Random(2026)  # noqa: S311 (reproducible demo data, not security)
    world = DemoWorld(
        today=today,
        rng=rng,
        staff=_create_staff(),
        young=iter(rng.sample(skatteverket_numbers(born_between=(1993, 2005)), 40)),
        adults=iter(rng.sample(skatteverket_numbers(born_between=(1960, 1992)), 80)),
        names=iter(
            rng.sample([(f, s) for f in FIRST_NAMES for s in LAST_NAMES], len(FIRST_NAMES) * 3)
        ),
    )
    # Made-up history needs no audit trail of its own making (and the trail was a sixth
    # of the load's time); what staff read and change in the demo is logged as usual.
    with disable_auditlog():
        for config in apps.get_app_configs():
            if config.name != "lotsen" and module_has_submodule(config.module, "demo"):
                import_module(f"{config.name}.demo").load(world)
    return True


def _create_staff() -> dict[str, User]:
    staff = {}
    for username, first, last, role, unit_slugs in STAFF:
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            email=f"{username}@lotsen.example",
            role=role,
        )
        user.units.set(Unit.objects.filter(slug__in=unit_slugs))
        staff[username] = user
    admin = User.objects.create_superuser(
        "admin", "admin@lotsen.example", DEMO_PASSWORD, role=Role.ADMINISTRATOR
    )
    admin.units.set(Unit.objects.all())
    return staff
