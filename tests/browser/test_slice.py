"""The thin slice in real Chromium: log in, register a participant, give a place, write a plan."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from lotsen.models import User
from participants.models import Participant
from plans.models import Plan
from tests.browser.conftest import BROWSER, axe_violations, log_in

pytestmark = BROWSER
PASSWORD = "ett-långt-lösenord-2026"


@pytest.fixture
def staff(anna: User) -> User:
    anna.set_password(PASSWORD)
    anna.save()
    return anna


def test_log_in_register_enrol_and_write_a_plan(page, live_server, staff, training) -> None:
    base = live_server.url
    log_in(page, base, "anna", PASSWORD)
    expect(page.get_by_role("heading", name="Mina uppgifter")).to_be_visible()

    page.get_by_role("link", name="Registrera deltagare").first.click()
    # A wrong check digit: a clear message, nothing typed is lost.
    page.get_by_label("Personnummer eller samordningsnummer").fill("19850101-2383")
    page.get_by_label("Förnamn").fill("Sara")
    page.get_by_label("Efternamn").fill("Nordin")
    page.get_by_role("button", name="Registrera").click()
    expect(page.get_by_text("Kontrollsiffran stämmer inte")).to_be_visible()
    expect(page.get_by_label("Förnamn")).to_have_value("Sara")
    assert axe_violations(page) == []

    page.get_by_label("Personnummer eller samordningsnummer").fill("19850101-2382")
    page.get_by_role("button", name="Registrera").click()
    page.wait_for_url("**/deltagare/*/")
    expect(page.get_by_role("heading", name="Sara Nordin")).to_be_visible()

    page.get_by_role("link", name="Ge plats").click()
    page.get_by_label("Program").select_option(label="Förstegsträning på Lotsen")
    page.get_by_label("Timmar per vecka").fill("3")
    page.get_by_label("Kontaktman").select_option(label="Anna Lindqvist")
    page.get_by_role("button", name="Ge plats").click()
    expect(page.get_by_text("minst 4 timmar per vecka")).to_be_visible()
    page.get_by_label("Timmar per vecka").fill("12")
    page.get_by_role("button", name="Ge plats").click()
    page.wait_for_url("**/deltagare/*/")
    expect(page.get_by_role("link", name="Skriv plan")).to_be_visible()

    page.get_by_role("link", name="Skriv plan").click()
    page.get_by_label("Övergripande mål").fill("Arbeta i caféet två dagar i veckan")
    row = page.get_by_role("group", name="Aktivitet 1")
    row.get_by_label("Delmål").fill("Klara en hel förmiddag i caféet")
    row.get_by_label("Aktivitet").fill("Träning i caféet")
    row.get_by_label("Ansvarig").fill("Anna")
    row.get_by_label("När").fill("Tisdagar och torsdagar")
    # More rows than the spare ones: the button adds one and moves focus to it.
    page.get_by_role("button", name="Lägg till aktivitet").click()
    added = page.get_by_role("group", name="Aktivitet 4")
    expect(page.locator("#id_activities-3-goal")).to_be_focused()
    page.keyboard.type("Pröva kassan")
    added.get_by_label("Aktivitet").fill("Kassa med handledare")
    added.get_by_label("Ansvarig").fill("Omar")
    added.get_by_label("När").fill("Fredagar")
    page.get_by_label("Personens delaktighet").fill("”Jag vill börja med disken.”")
    page.get_by_label("Sammanfattning").fill("Förstegsträning med fokus på rutiner.")
    page.get_by_role("button", name="Spara plan").click()
    page.wait_for_url("**/planer/*/")
    expect(page.get_by_text("Planen är sparad.")).to_be_visible()

    person = Participant.objects.get()
    assert person.identity_number == "198501012382"
    plan = Plan.objects.get()
    assert plan.enrolment.participant == person and plan.created_by == staff
    assert plan.follow_up_due is not None
    assert list(plan.activities.values_list("goal", flat=True)) == [
        "Klara en hel förmiddag i caféet",
        "Pröva kassan",
    ]

    # R13: a follow-up with progress on each goal moves the next due date.
    due = plan.follow_up_due
    overall = page.get_by_role("group", name=re.compile("^Övergripande mål"))
    overall.get_by_label("Utveckling").select_option("on_the_way")
    goal = page.get_by_role("group", name=re.compile("^Delmål: Klara en hel förmiddag"))
    goal.get_by_label("Utveckling").select_option("achieved")
    goal.get_by_label("Kommentar").fill("Har klarat fyra förmiddagar")
    cashier = page.get_by_role("group", name=re.compile("^Delmål: Pröva kassan"))
    cashier.get_by_label("Utveckling").select_option("not_started")
    page.get_by_role("button", name="Spara uppföljning").click()
    expect(page.get_by_text("Uppföljningen är sparad.")).to_be_visible()
    expect(page.get_by_text("Har klarat fyra förmiddagar")).to_be_visible()
    plan.refresh_from_db()
    assert plan.follow_ups.get().goals.count() == 3
    assert plan.follow_up_due is not None and due is not None and plan.follow_up_due >= due


def test_skip_link_and_menu_work_by_keyboard(page, live_server, staff) -> None:
    log_in(page, live_server.url, "anna", PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Hoppa till innehållet")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
