"""Staff in real Chromium: a full programme on accept offers the waiting list (R8, R22)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lotsen.models import User
from referrals.models import Status
from tests.browser.conftest import BROWSER, axe_violations, log_in
from tests.factories import make_participant, make_place, make_referral

pytestmark = BROWSER
PASSWORD = "ett-långt-lösenord-2026"


@pytest.fixture
def staff(anna: User) -> User:
    anna.set_password(PASSWORD)
    anna.save()
    return anna


def test_r8_r22_full_team_isa_offers_the_waiting_list(
    page, live_server, staff, lotsen, isa
) -> None:
    for _ in range(6):
        make_place(make_participant(lotsen, young=True), isa, contact_person=staff)
    person = make_participant(lotsen, young=True, first_name="Ung", last_name="Väntare")
    referral = make_referral(lotsen, programme=isa, participant=person, status=Status.INTAKE)
    log_in(page, live_server.url, "anna", PASSWORD)
    page.goto(f"{live_server.url}/anmalningar/{referral.pk}/anta/")
    page.get_by_label("Timmar per vecka").fill("10")
    page.get_by_label("Kontaktman").select_option(label="Anna Lindqvist")
    page.get_by_role("button", name="Anta och ge plats").click()
    expect(page.get_by_text("Programmet är fullt").first).to_be_visible()
    expect(page.get_by_label("Timmar per vecka")).to_have_value("10")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sätt på väntelistan").click()
    expect(page.get_by_text("Steget är registrerat.")).to_be_visible()
    referral.refresh_from_db()
    assert referral.status == Status.WAITING
    page.get_by_role("button", name="Intag och väntelista").click()
    page.get_by_role("link", name="Väntelista").first.click()
    expect(page.get_by_role("link", name="Ung Väntare")).to_be_visible()
    assert axe_violations(page) == []
