"""The unit manager writes the annual report's text in real Chromium: it saves itself as she
types, survives a reload, and each change keeps the earlier wording (R20)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from lotsen.models import User
from reporting.models import ReportText
from tests.browser.conftest import BROWSER, axe_violations, log_in

pytestmark = BROWSER
PASSWORD = "ett-långt-lösenord-2026"
SAVED = re.compile(r"Sparad \d\d:\d\d")


@pytest.fixture
def manager(eva: User) -> User:
    eva.set_password(PASSWORD)
    eva.save()
    return eva


def test_r20_the_text_saves_as_she_types_and_keeps_versions(
    page, live_server, manager, lotsen
) -> None:
    log_in(page, live_server.url, "eva", PASSWORD)
    page.goto(live_server.url + reverse("reporting:annual"))
    year = str(datetime.date.today().year)
    page.get_by_role("link", name=year).first.click()
    intro = page.get_by_label("Inledning")
    intro.click()
    page.keyboard.type("Ett år av samarbete.")
    expect(page.locator("#draft-status")).to_have_text(SAVED)
    page.keyboard.type(" Fler gick vidare.")
    expect(page.locator("#draft-status")).to_have_text(SAVED)
    expect(page.locator("#draft-revision")).not_to_have_value("1")
    page.reload()
    expect(page.get_by_label("Inledning")).to_have_value("Ett år av samarbete. Fler gick vidare.")
    text = ReportText.objects.get(unit=lotsen)
    assert text.versions.filter(introduction="Ett år av samarbete.").exists()
    assert axe_violations(page) == []
