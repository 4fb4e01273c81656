"""A group session's attendance in real Chromium: the heading's count follows each htmx mark
without a reload (R18)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import ActivityKind, SessionAttendance
from activities.services import activity_create, member_add
from lotsen.models import User
from tests.browser.conftest import BROWSER, log_in
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
