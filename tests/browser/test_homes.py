"""Every persona's home in real Chromium (issue 15): what it shows from the demo data, axe
(WCAG 2.1 AA) at 1280 px and on a 375 px phone, the menu on one row on a laptop, and the
phone's collapsed menu worked by keyboard alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lotsen.demo import DEMO_PASSWORD
from tests.browser.conftest import BROWSER, axe_violations, log_in

pytestmark = BROWSER

# What each persona's home must show (headings), and a link it must offer.
HOMES = {
    "anna": (
        ["Osignerade journalutkast", "Försenad uppföljning", "Plan saknas"],
        "Dagens närvarolista, Lotsen",
    ),
    "omar": (["Bedömningar att göra", "Försenad uppföljning"], "Dagens närvarolista, Lotsen"),
    "eva": (
        [
            "Försenade planer per kontaktman",
            "Kapacitet denna vecka",
            "Väntelista",
            "Öppetdagar",
            "Sena journalanteckningar",
        ],
        "Anna Lindqvist",
    ),
    "lena": (
        ["Kapacitet denna vecka", "Väntelista", "Sena journalanteckningar"],
        "Support och arbetsteamet (Supported Employment/IPS)",
    ),
    "sara": (["Väntelista", "Redovisning och rapporter", "Mina kurser"], "Verksamhetsberättelse"),
    "maria": (["Mina kurser", "Mätningar att göra"], "Primärgrupp A"),
    "henrik": (["Mina IPS-ärenden"], "Registrera arbetsgivarkontakt"),
}
# The menu of each unit: what it must have, and what belongs to other units' programmes.
MENUS = {
    "lotsen": (["Dagen", "Samverkan"], ["Arbete"]),
    "hantverkshuset": (["Arbete"], ["Dagen", "Samverkan"]),
    "beroendemottagningen": (["Dagen"], ["Arbete", "Samverkan"]),
}
UNIT_OF = {
    "anna": "lotsen",
    "omar": "lotsen",
    "eva": "lotsen",
    "lena": "hantverkshuset",
    "henrik": "hantverkshuset",
    "sara": "beroendemottagningen",
    "maria": "beroendemottagningen",
}


@pytest.mark.parametrize("username", list(HOMES))
def test_every_persona_lands_on_their_work(page, live_server, demo, username) -> None:
    log_in(page, live_server.url, username, DEMO_PASSWORD)
    headings, link = HOMES[username]
    main = page.get_by_role("main")
    for heading in headings:
        expect(main.get_by_role("heading", name=heading, exact=False).first).to_be_visible()
    expect(main.get_by_role("link", name=link).first).to_be_visible()
    expect(page.get_by_text("Inget att göra just nu")).to_have_count(0)
    # The header names the unit; the menu shows its programmes' groups and no other's.
    menu = page.get_by_role("navigation", name="Huvudmeny")
    wanted, foreign = MENUS[UNIT_OF[username]]
    for name in wanted:
        expect(menu.get_by_text(name, exact=True)).to_be_visible()
    for name in foreign:
        expect(menu.get_by_text(name, exact=True)).to_have_count(0)
    if username == "eva":  # the unit's plans are the manager's
        expect(menu.get_by_role("link", name="Planer", exact=True)).to_be_visible()
    for width in (1280, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        box = page.locator("#main-menu > ul").bounding_box()
        assert box is not None and box["height"] < 50, (width, box)  # one row
        logout = page.get_by_role("button", name="Logga ut").bounding_box()
        assert logout is not None and logout["height"] < 40  # "Logga ut" does not break
    assert axe_violations(page) == []
    # On a 375 px phone: no sideways scrolling, axe with the menu closed and open.
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []
    page.get_by_role("button", name="Meny").click()
    expect(page.get_by_role("link", name="Mina uppgifter")).to_be_visible()
    assert axe_violations(page) == []


def test_phone_menu_by_keyboard(page, live_server, demo) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, live_server.url, "anna", DEMO_PASSWORD)
    toggle = page.get_by_role("button", name="Meny")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("button", name="Personer")).to_be_hidden()
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    group = page.get_by_role("button", name="Personer")
    expect(group).to_be_visible()
    group.focus()
    page.keyboard.press("Enter")
    expect(group).to_have_attribute("aria-expanded", "true")
    link = page.get_by_role("link", name="Deltagare", exact=True)
    expect(link).to_be_visible()
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/deltagare/")
    # The registry's wide table scrolls in its own focusable box; the page does not.
    box = page.locator("main .table-responsive").first
    expect(box).to_have_attribute("tabindex", "0")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []


def test_person_finder_keeps_the_name_out_of_the_address(page, live_server, demo) -> None:
    log_in(page, live_server.url, "anna", DEMO_PASSWORD)
    from participants.models import Participant

    person = (
        Participant.objects.filter(unit__slug="lotsen", protected_identity=False)
        .order_by("pk")
        .first()
    )
    assert person is not None
    page.get_by_label("Hitta person: namn eller del av personnumret").fill(person.last_name)
    page.keyboard.press("Enter")
    page.wait_for_url("**/deltagare/**")
    expect(
        page.get_by_role("link", name=f"{person.last_name}, {person.first_name}").first
    ).to_be_visible()
    assert person.last_name not in page.url


def test_sheet_filter_as_you_type(page, live_server, demo) -> None:
    log_in(page, live_server.url, "anna", DEMO_PASSWORD)
    page.get_by_role("link", name="Dagens närvarolista, Lotsen").click()
    page.wait_for_url("**/narvaro/*/")
    rows = page.locator(".sheet-row:visible")
    total = rows.count()
    if total < 2:
        pytest.skip("no day-sheet rows today (a closed day)")
    first = page.locator(".sheet-row .sheet-name").first.inner_text().split(",")[0]
    box = page.get_by_label("Hitta på listan")
    box.focus()
    page.keyboard.type(first)
    expect(rows).not_to_have_count(total)
    expect(page.locator(".sheet-row:visible .sheet-name").first).to_contain_text(first)
    page.keyboard.press("Escape")
    expect(rows).to_have_count(total)
    # Only names are searched, not the planned hours or badges beside them.
    page.keyboard.type("planerat")
    expect(rows).to_have_count(0)
    page.keyboard.press("Escape")
    expect(rows).to_have_count(total)
    assert axe_violations(page) == []


def test_sheet_filter_finds_first_name_then_last_name(page, live_server, demo) -> None:
    log_in(page, live_server.url, "anna", DEMO_PASSWORD)
    page.get_by_role("link", name="Dagens närvarolista, Lotsen").click()
    page.wait_for_url("**/narvaro/*/")
    rows = page.locator(".sheet-row:visible")
    if rows.count() < 2:
        pytest.skip("no day-sheet rows today (a closed day)")
    listed = page.locator(".sheet-row .sheet-name").first.get_attribute("data-name") or ""
    last, first = listed.split(", ")
    box = page.get_by_label("Hitta på listan")
    for typed in (f"{first} {last}", f"{last}, {first}", f"{last.lower()} {first[:2]}"):
        box.fill(typed)
        expect(page.locator(".sheet-row:visible .sheet-name").first).to_have_attribute(
            "data-name", listed
        )
    box.fill(f"{first} Ingenalls")
    expect(rows).to_have_count(0)
