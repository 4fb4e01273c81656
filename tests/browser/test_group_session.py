"""Activities and group sessions in real Chromium: the session's attendance count follows each
htmx mark without a reload (R18); the unit's activity list fits a 375 px phone."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import ActivityKind, SessionAttendance
from activities.services import activity_create, member_add
from lotsen.demo import DEMO_PASSWORD
from lotsen.models import User
from tests.browser.conftest import BROWSER, axe_violations, log_in
from tests.factories import make_participant

pytestmark = BROWSER
PASSWORD = "ett-långt-lösenord-2026"


def test_r18_the_attendance_count_follows_each_mark(
    page, live_server, beroende, twelve_step, maria: User
) -> None:
    maria.set_password(PASSWORD)
    maria.save()
    today = timezone.localdate()
    group = activity_create(
        unit=beroende,
        by=maria,
        leaders=[maria],
        weekdays=[],
        programme=twelve_step,
        kind=ActivityKind.GROUP_TREATMENT,
        title="12-steg grupp A",
        place="Gruppen",
        first_date=today,
        last_date=today,
        starts_at=datetime.time(9),
        ends_at=datetime.time(11),
    )
    for name in ("Alva", "Bo"):
        member_add(
            activity=group, participant=make_participant(beroende, first_name=name), by=maria
        )
    session = group.sessions.get()
    log_in(page, live_server.url, "maria", PASSWORD)
    page.goto(live_server.url + reverse("activities:session", args=[session.pk]))
    heading = page.get_by_role("heading", name="Närvaro")
    expect(heading).to_have_text("Närvaro (0 av högst 8)")
    page.get_by_role("button", name="Närvarande: Alva", exact=False).click()
    expect(heading).to_have_text("Närvaro (1 av högst 8)")
    page.get_by_role("button", name="Närvarande: Bo", exact=False).click()
    expect(heading).to_have_text("Närvaro (2 av högst 8)")
    page.get_by_role("button", name="Ångra närvaro för Bo", exact=False).click()
    expect(heading).to_have_text("Närvaro (1 av högst 8)")
    assert SessionAttendance.objects.filter(session=session).count() == 1


def test_the_activity_list_fits_a_phone(page, live_server, demo) -> None:
    """At 375 px the heading and the "Ny aktivitet" button wrap; the wide table scrolls in
    its own box, not the page."""
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, live_server.url, "maria", DEMO_PASSWORD)
    url = reverse("activities:activity_list", kwargs={"unit": "beroendemottagningen"})
    page.goto(live_server.url + url)
    expect(page.get_by_role("link", name="Ny aktivitet")).to_be_visible()
    expect(page.locator("main table tbody tr").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []
