"""The public pages in real Chromium: WCAG 2.1 AA with axe at desktop and phone widths (L5),
usable by keyboard, no sideways scrolling on a phone; and the whole intake path from the web
form to a place (mission item 7, R2)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lotsen.models import User
from participants.models import Enrolment
from referrals.models import Initiator, Referral, Status
from tests.browser.conftest import BROWSER, axe_violations, log_in
from tests.factories import make_public_info

pytestmark = BROWSER
PASSWORD = "ett-långt-lösenord-2026"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def published(lotsen, hantverkshuset):  # type: ignore[no-untyped-def]
    for unit in (lotsen, hantverkshuset):
        make_public_info(unit)


@pytest.fixture(autouse=True)
def queued(monkeypatch):  # type: ignore[no-untyped-def]
    """The managers' notice is recorded, not sent to the broker: a real .delay() here would
    fix Celery's queue routing before tests/test_worker.py picks its own queue."""
    from referrals import tasks

    sent: list[int] = []
    monkeypatch.setattr(tasks.notify_web_referral, "delay", sent.append)
    return sent


@pytest.fixture
def staff(anna: User) -> User:
    anna.set_password(PASSWORD)
    anna.save()
    return anna


def _public_paths(page, base: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Every public page reachable from the start page (links are followed, not listed)."""
    seen, queue = [], ["/for-besokare/"]
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.append(path)
        page.goto(base + path)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            if href.startswith(base + "/for-besokare/"):
                queue.append(href[len(base) :].split("#")[0])
    return seen


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_l5_every_public_page_passes_axe(page, live_server, published, viewport) -> None:
    page.set_viewport_size(viewport)
    paths = _public_paths(page, live_server.url)
    assert {"/for-besokare/", "/for-besokare/lotsen/", "/for-besokare/tillganglighet/"} <= set(
        paths
    )
    assert "/for-besokare/lotsen/intresseanmalan/" in paths
    failures = {}
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        if violations := axe_violations(page):
            failures[path] = violations
        # Every public page links to the accessibility statement (L5).
        assert page.locator("a[href='/for-besokare/tillganglighet/']").count() >= 1, path
        if viewport is PHONE:
            overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
            assert not overflow, f"{path} scrolls sideways on a phone"
    assert failures == {}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_l5_the_form_with_errors_passes_axe_and_works_by_keyboard(
    page, live_server, published, viewport
) -> None:
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/for-besokare/lotsen/intresseanmalan/")
    page.get_by_label("Ditt namn").focus()
    page.keyboard.type("Sara Nordin")
    page.keyboard.press("Tab")
    page.keyboard.type("hej")  # not a way to be reached
    page.get_by_role("button", name="Skicka").click()
    expect(page.get_by_text("Skriv ett telefonnummer")).to_be_visible()
    expect(page.get_by_text("Kryssa i rutan")).to_be_visible()
    expect(page.get_by_label("Ditt namn")).to_have_value("Sara Nordin")
    assert axe_violations(page) == []
    # The honeypot is never reached by Tab.
    focused = []
    page.get_by_label("Ditt namn").focus()
    for _ in range(8):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.name"))
    assert "website" not in focused
    assert not Referral.objects.exists()


def test_intake_end_to_end_from_web_form_to_a_place(
    page, live_server, published, staff, drop_in, queued
) -> None:
    base = live_server.url
    # A visitor on a phone finds the unit and sends the interest form.
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/for-besokare/")
    page.get_by_role("link", name="Lotsen", exact=True).click()
    page.get_by_role("link", name="Anmäl intresse", exact=True).click()
    page.get_by_label("Ditt namn").fill("Sara Nordin")
    page.get_by_label("Telefon eller e-post").fill("070-123 45 67")
    page.get_by_label("Vad är du intresserad av?").select_option(label=drop_in.name)
    page.get_by_label("Vill du berätta något mer?").fill("Jag vill träffa folk.")
    page.get_by_label("Jag vill bli kontaktad").check()
    page.get_by_role("button", name="Skicka").click()
    page.wait_for_url("**/tack/")
    expect(page.get_by_role("heading", name="Tack för din intresseanmälan")).to_be_visible()
    referral = Referral.objects.get()
    assert referral.initiator == Initiator.SELF_WEB
    assert queued == [referral.pk]  # the managers' notice, after commit

    # Staff take it step by step: contact, intake, register the person, accept.
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "anna", PASSWORD)
    page.get_by_role("button", name="Intag och väntelista").click()
    page.get_by_role("link", name="Anmälningar").first.click()
    page.get_by_role("link", name="Sara Nordin").click()
    today = timezone.localdate().isoformat()
    for step in ("kontakt tagen", "informationsmöte/inskrivningssamtal"):
        page.get_by_role("combobox", name="Nästa steg").select_option(label=step)
        page.get_by_label("Datum").fill(today)
        page.get_by_role("button", name="Registrera steget").click()
        expect(page.get_by_text("Steget är registrerat.")).to_be_visible()
    page.get_by_role("link", name="Registrera personen från anmälan").click()
    expect(page.get_by_label("Förnamn")).to_have_value("Sara")
    expect(page.get_by_label("Telefon")).to_have_value("070-123 45 67")
    page.get_by_label("Personnummer eller samordningsnummer").fill("19850101-2382")
    page.get_by_role("button", name="Registrera").click()
    expect(page.get_by_text("Personen är registrerad och kopplad till anmälan.")).to_be_visible()
    page.get_by_role("link", name="Anta och ge plats").click()
    page.get_by_label("Startdatum").fill(today)
    page.get_by_role("button", name="Anta och ge plats").click()
    expect(page.get_by_text("Anmälan är antagen och personen har fått en plats.")).to_be_visible()
    assert axe_violations(page) == []

    referral.refresh_from_db()
    place = Enrolment.objects.get()
    assert referral.status == Status.ACCEPTED and referral.enrolment == place
    assert place.participant.identity_number == "198501012382" and place.programme == drop_in
    assert [s.to_status for s in referral.steps.all()] == [
        "received",
        "contacted",
        "intake",
        "accepted",
    ]
    assert all(s.by == staff for s in referral.steps.all()[1:])
