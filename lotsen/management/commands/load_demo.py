from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lotsen.demo import DEMO_PASSWORD, load_demo
from lotsen.models import User


class Command(BaseCommand):
    help = "Load demo staff, participants, places, plans and visits (only test personnummer)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            help="Load the demo even with DEBUG off (it creates an admin with a known password).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["i_know_this_is_not_production"]:
            raise CommandError(
                "Demo data creates logins with a published password; it is loaded only with "
                "DEBUG on, or with --i-know-this-is-not-production."
            )
        created = load_demo(today=timezone.localdate())
        self.stdout.write("Demo data loaded." if created else "Demo data was already loaded.")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        # Every app's demo may add staff (decision 0011), so the list comes from the database.
        for user in User.objects.filter(is_superuser=False).order_by("username"):
            units = ", ".join(unit.slug for unit in user.units.all())
            self.stdout.write(
                f"  {user.username:8} {user.get_full_name()}, {user.get_role_display()}, {units}"
            )
        self.stdout.write("  admin    administrator of all units, also /admin/")
