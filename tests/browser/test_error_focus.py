"""After a form comes back with an error, the keyboard focus is on the field to correct, so
keyboard and screen reader users start there rather than at the top of the page."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from lotsen.models import User
from tests.browser.conftest import log_in
from tests.factories import make_participant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "ett-långt-lösenord-2026"


@pytest.fixture
def person(lotsen, anna: User):  # type: ignore[no-untyped-def]
    anna.set_password(PASSWORD)
    anna.save()
    # The transactional flush removed the migration's kinds; seed them again.
    importlib.import_module("journal.migrations.0002_seed_kinds_and_rules").seed(apps, None)
    return make_participant(lotsen, first_name="Sara", last_name="Nordin")


def test_signing_with_a_time_in_the_future_puts_the_focus_on_the_time(
    page, live_server, person
) -> None:
    log_in(page, live_server.url, "anna", PASSWORD)
    page.goto(f"{live_server.url}/deltagare/{person.pk}/")
    page.get_by_role("link", name="Ny anteckning").click()
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    page.locator("#id_occurred_at").fill(tomorrow.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_kind").select_option(label="Samtal")
    page.locator("#id_text").fill("Sara berättade om veckan.")
    page.get_by_role("button", name="Signera").click()
    page.get_by_text("Tiden ligger i framtiden").wait_for()
    expect(page.locator("#id_occurred_at")).to_be_focused()
