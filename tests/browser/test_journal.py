"""Writing a journal entry in real Chromium as staff do: the draft saves itself as they type,
survives a network cut, a reload and a logout, and signing twice makes one entry."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from journal.models import Draft, Entry
from lotsen.models import User
from tests.browser.conftest import axe_violations, log_in
from tests.factories import make_participant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "ett-långt-lösenord-2026"
SAVED = re.compile(r"Utkast sparat \d\d:\d\d")


@pytest.fixture
def staff(anna: User) -> User:
    anna.set_password(PASSWORD)
    anna.save()
    return anna


@pytest.fixture
def person(lotsen, staff):  # type: ignore[no-untyped-def]
    # The transactional flush removed the migration's kinds; seed them again.
    importlib.import_module("journal.migrations.0002_seed_kinds_and_rules").seed(apps, None)
    return make_participant(lotsen, first_name="Sara", last_name="Nordin")


def _status(page):  # type: ignore[no-untyped-def]
    return page.locator("#draft-status")


def test_a_draft_survives_a_network_cut_a_reload_and_a_logout(page, live_server, person) -> None:
    base = live_server.url
    log_in(page, base, "anna", PASSWORD)
    page.goto(f"{base}/deltagare/{person.pk}/")
    page.get_by_role("link", name="Ny anteckning").click()
    page.locator("#id_kind").select_option(label="Samtal")
    text = page.locator("#id_text")
    text.click()
    page.keyboard.type("Sara berättade om veckan.")
    _status(page).filter(has_text=SAVED).wait_for()
    assert Draft.objects.get().text == "Sara berättade om veckan."
    assert axe_violations(page) == []

    # The network goes away halfway through a sentence.
    page.context.set_offline(True)
    page.keyboard.type(" Hon vill börja på caféet")
    _status(page).filter(has_text="Inte sparat").wait_for()
    assert Draft.objects.get().text == "Sara berättade om veckan."
    assert "caféet" in text.input_value()
    page.context.set_offline(False)
    _status(page).filter(has_text=SAVED).wait_for(timeout=20_000)
    assert Draft.objects.get().text == "Sara berättade om veckan. Hon vill börja på caféet"
    assert Draft.objects.count() == 1

    # A reload shows the saved draft (the address became the draft's own).
    page.reload()
    assert "caféet" in page.locator("#id_text").input_value()

    # Log out and back in: the draft is on the home page.
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/logga-in/**")
    log_in(page, base, "anna", PASSWORD)
    page.get_by_role("link", name="Sara Nordin").click()
    text = page.locator("#id_text")
    assert "caféet" in text.input_value()
    text.press("End")
    page.keyboard.type(" i januari.")

    # Sign with a double click: one entry, locked.
    page.get_by_role("button", name="Signera").dblclick()
    # The second click may abort the first click's navigation: wait for where the page
    # ends up (expect polls), not for one navigation to finish.
    expect(page).to_have_url(re.compile(rf"/journal/person/{person.pk}/$"))
    page.get_by_text("caféet i januari.").wait_for()
    entry = Entry.objects.get()
    assert entry.text.endswith("caféet i januari.") and not Draft.objects.exists()
    assert axe_violations(page) == []


def test_correcting_an_entry_strikes_the_old_text_through(page, live_server, person) -> None:
    from tests.factories import make_entry

    entry = make_entry(person, by=User.objects.get(username="anna"), text="Kom på tisdagen.")
    log_in(page, live_server.url, "anna", PASSWORD)
    page.goto(f"{live_server.url}/journal/anteckning/{entry.pk}/")
    page.locator("#id_text").fill("Kom på onsdagen.")
    page.locator("#id_reason").fill("Fel dag")
    page.get_by_role("button", name="Spara rättelsen").click()
    page.locator("del", has_text="Kom på tisdagen.").wait_for()
    page.get_by_text("Kom på onsdagen.").first.wait_for()
    assert axe_violations(page) == []
