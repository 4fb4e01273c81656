from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from lotsen.demo import DEMO_PASSWORD, STAFF, load_demo


class Command(BaseCommand):
    help = "Load demo staff, participants, places, plans and visits (only test personnummer)."

    def handle(self, *args: Any, **options: Any) -> None:
        created = load_demo(today=timezone.localdate())
        self.stdout.write("Demo data loaded." if created else "Demo data was already loaded.")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, first, last, role, units in STAFF:
            self.stdout.write(f"  {username:8} {first} {last}, {role.label}, {', '.join(units)}")
        self.stdout.write("  admin    administrator of all units, also /admin/")
