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


def test_the_second_click_of_a_double_click_after_a_quick_answer_does_not_undo(
    page, live_server, forty, drop_in
) -> None:
    """A double click whose first click is answered before the second lands: "Ångra" now sits
    where "Närvarande" was, and the second click (click count 2) must not undo the mark."""
    _open_sheet(page, live_server.url)
    page.get_by_role("button", name="Närvarande: Besökare03 B03").click()
    undo = page.get_by_role("button", name="Ångra närvaro för Besökare03 B03")
    box = undo.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down(click_count=2)
    page.mouse.up(click_count=2)
    # A single click afterwards still undoes: the guard holds back double clicks only.
    page.get_by_role("button", name="Närvarande: Besökare04 B04").click()
    page.get_by_role("button", name="Ångra närvaro för Besökare04 B04").click()
    expect(page.get_by_role("button", name="Närvarande: Besökare04 B04")).to_be_visible()
    page.reload()
    expect(page.get_by_role("button", name="Ångra närvaro för Besökare03 B03")).to_be_visible()
    assert Visit.objects.filter(programme=drop_in).count() == 1


def test_a_row_htmx_has_just_swapped_in_is_sent_by_htmx_at_once(
    page, live_server, forty, drop_in
) -> None:
    """A click on the row's new button in the same moment it is swapped in goes through htmx,
    not as the plain form's full-page post (htmx used to wire new content up 20 ms later)."""
    _open_sheet(page, live_server.url)
    page.evaluate(
        """() => {
            window.swaps = 0;
            document.body.addEventListener("htmx:afterSwap", (event) => {
                window.swaps += 1;
                const button = event.detail.target.querySelector("button[value=absent]");
                if (window.swaps === 1 && button) setTimeout(() => button.click(), 0);
            });
        }"""
    )
    page.get_by_role("button", name="Närvarande: Besökare05 B05").click()
    # Both answers swapped in on this page: a plain post would have left it (and its count).
    page.wait_for_function("() => window.swaps === 2")
    expect(page.get_by_role("button", name="Närvarande: Besökare05 B05")).to_be_visible()
    assert "#row-" not in page.url
    assert Visit.objects.filter(programme=drop_in).count() == 0


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
