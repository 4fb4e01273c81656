"""The attendance sheet for 40 people in real Chromium, by keyboard alone and by mouse (htmx),
with the counts exact afterwards and axe-clean pages."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import AnonymousVisit
from lotsen.models import User
from participants.models import Visit
from tests.browser.conftest import BROWSER, axe_violations, log_in
from tests.factories import make_participant, make_place

pytestmark = BROWSER
PASSWORD = "ett-långt-lösenord-2026"
TRAINEES, REGULARS = 10, 30


@pytest.fixture
def staff(anna: User) -> User:
    anna.set_password(PASSWORD)
    anna.save()
    return anna


@pytest.fixture
def forty(lotsen, training, drop_in, staff):  # type: ignore[no-untyped-def]
    start = timezone.localdate() - datetime.timedelta(days=30)
    for n in range(TRAINEES):
        person = make_participant(lotsen, first_name=f"Tränare{n:02}", last_name=f"A{n:02}")
        make_place(person, training, hours=8, contact_person=staff, start=start)
    for n in range(REGULARS):
        person = make_participant(lotsen, first_name=f"Besökare{n:02}", last_name=f"B{n:02}")
        make_place(person, drop_in, hours=None, start=start)


def _open_sheet(page, base: str) -> None:  # type: ignore[no-untyped-def]
    log_in(page, base, "anna", PASSWORD)
    page.get_by_role("button", name="Dagen").click()
    page.get_by_role("link", name="Närvaro", exact=True).click()
    page.wait_for_url("**/narvaro/*/")


def test_forty_people_by_keyboard_alone(page, live_server, forty, training, drop_in) -> None:
    """Trainees: type hours, Enter; everyone else: Enter on the button; Tab moves on."""
    _open_sheet(page, live_server.url)
    page.locator("#hours-" + _first_key(page, "hours-")).focus()
    for n in range(TRAINEES):
        page.keyboard.type("2,5")
        page.keyboard.press("Enter")
        # The row is swapped in place; focus stays in the hours field of the same row.
        page.locator("li.sheet-row form.is-present").nth(n).wait_for()
        page.keyboard.press("Tab")  # to "Ångra"
        page.keyboard.press("Tab")  # to the next row
    focused = page.evaluate("document.activeElement.id")
    if focused.startswith("plus-"):  # the anonymous counter comes before the regular visitors
        page.keyboard.press("Enter")
        page.get_by_text("Anonyma besökare, Basverksamhet (social samvaro): 1").wait_for()
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
    for n in range(REGULARS):
        assert page.evaluate("document.activeElement.id").startswith("btn-"), n
        page.keyboard.press("Enter")
        page.locator("li.sheet-row form.is-present").nth(TRAINEES + n).wait_for()
        page.keyboard.press("Tab")
    _expect_everyone_present_and_one_anonymous(page)
    assert Visit.objects.filter(programme=training, hours=Decimal("2.5")).count() == TRAINEES
    assert Visit.objects.filter(programme=drop_in).count() == REGULARS
    assert AnonymousVisit.objects.count() == 1
    assert axe_violations(page) == []


def _expect_everyone_present_and_one_anonymous(page) -> None:  # type: ignore[no-untyped-def]
    """What staff see once every mark is saved: all 40 rows present, the counter at 1."""
    expect(page.locator("li.sheet-row form.is-present")).to_have_count(TRAINEES + REGULARS)
    expect(page.locator("li.sheet-row form:not(.is-present)")).to_have_count(0)
    counter = page.get_by_text("Anonyma besökare, Basverksamhet (social samvaro):")
    expect(counter.locator("strong")).to_have_text("1")


def _first_key(page, prefix: str) -> str:  # type: ignore[no-untyped-def]
    element_id = page.locator(f"[id^='{prefix}']").first.get_attribute("id")
    return element_id.removeprefix(prefix)


def test_forty_people_by_mouse_with_double_clicks(
    page, live_server, forty, training, drop_in
) -> None:
    _open_sheet(page, live_server.url)
    for n in range(TRAINEES):
        page.get_by_label(f"Timmar i dag för Tränare{n:02} A{n:02}").fill("3")
        page.get_by_role("button", name=f"Närvarande: Tränare{n:02} A{n:02}").click()
    for n in range(REGULARS):
        # A double click on every button: each visit still counts once.
        page.get_by_role("button", name=f"Närvarande: Besökare{n:02} B{n:02}").dblclick()
    page.get_by_role("button", name="+1 besökare").first.dblclick()
    _expect_everyone_present_and_one_anonymous(page)
    for n in range(TRAINEES):
        row = page.locator("li.sheet-row").filter(has_text=f"A{n:02}, Tränare{n:02}")
        expect(row).not_to_contain_text("timmar saknas")  # the hours were saved too
    assert Visit.objects.filter(programme=training, hours=Decimal(3)).count() == TRAINEES
    assert Visit.objects.filter(programme=drop_in).count() == REGULARS
    assert AnonymousVisit.objects.count() == 1
    # Undo one by mouse; the page after a reload shows the same state (saved, not just shown).
    page.get_by_role("button", name="Ångra närvaro för Besökare00 B00").click()
    page.get_by_role("button", name="Närvarande: Besökare00 B00").wait_for()
    page.reload()
    expect(page.get_by_role("button", name="Närvarande: Besökare00 B00")).to_be_visible()
    expect(page.get_by_label("Timmar i dag för Tränare05 A05")).to_have_value("3")
    assert Visit.objects.filter(programme=drop_in).count() == REGULARS - 1
    assert axe_violations(page) == []


def test_walk_in_search_without_the_text_in_the_url(page, live_server, forty, lotsen) -> None:
    make_participant(lotsen, first_name="Oväntad", last_name="Gäst")
    _open_sheet(page, live_server.url)
    page.get_by_label("Sök person som kom utan att väntas").fill("Oväntad")
    page.get_by_role("button", name="Sök", exact=True).click()
    page.get_by_role("button", name="Registrera besök: Oväntad Gäst").click()
    assert "Oväntad" not in page.url
    page.get_by_role("button", name="Ångra närvaro för Oväntad Gäst").wait_for()
    expect(page.get_by_text("kom utan att väntas").first).to_be_visible()
    assert axe_violations(page) == []
