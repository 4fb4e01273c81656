"""L3 in Chromium: the unit manager opens the demo's retention proposal, chooses the person
and the referral never linked to anyone, approves, and the page then says that nothing is
left to approve, with no button; axe (WCAG 2.1 AA) before and after."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from lotsen.demo import DEMO_PASSWORD
from participants.models import Participant
from referrals.models import Referral
from reporting.models import RetentionItem
from tests.browser.conftest import BROWSER, axe_violations, log_in

pytestmark = BROWSER
APPROVE = "Godkänn gallring av de valda"


def test_l3_the_manager_approves_the_demos_proposal(page, live_server, demo) -> None:
    log_in(page, live_server.url, "eva", DEMO_PASSWORD)
    page.goto(f"{live_server.url}{reverse('reporting:retention')}")
    expect(page.get_by_text("aldrig kopplad till en registrerad person")).to_be_visible()
    assert axe_violations(page) == []
    # Approving none says what to do and erases nothing.
    page.get_by_role("button", name=APPROVE).click()
    expect(page.get_by_text("Välj vilka personers uppgifter och anmälningar")).to_be_visible()
    boxes = page.get_by_role("checkbox")
    expect(boxes).to_have_count(2)
    for box in boxes.all():
        box.check()
    page.get_by_role("button", name=APPROVE).click()
    # Once more, by name, before what cannot be undone.
    expect(page.get_by_role("heading", name="Bekräfta gallring")).to_be_visible()
    assert not RetentionItem.objects.filter(erased_at__isnull=False).exists()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Ja, gallra").click()
    expect(page.get_by_text("2 av de valda är gallrade.")).to_be_visible()
    expect(page.get_by_text("Det finns inget mer att godkänna.")).to_be_visible()
    expect(page.get_by_role("button", name=APPROVE)).to_have_count(0)
    expect(page.get_by_role("checkbox")).to_have_count(0)
    assert axe_violations(page) == []
    assert not RetentionItem.objects.filter(erased_at__isnull=True).exists()
    assert Participant.objects.filter(erased_on__isnull=False).count() == 1
    assert Referral.objects.filter(erased_on__isnull=False, participant=None).count() == 1
