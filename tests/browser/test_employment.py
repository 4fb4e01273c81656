"""The IPS pages in real Chromium (issues 13 and 15): the employment specialist and the unit
manager at Hantverkshuset land on their work, every page they reach passes axe (WCAG 2.1
AA), and no page shows a rule code or Lotsen's day-activity tabs."""

from __future__ import annotations

import re

import pytest

from lotsen.demo import DEMO_PASSWORD
from tests.browser.conftest import log_in
from tests.browser.test_accessibility import _crawl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RULE_CODE = re.compile(r"\b[RL]\d{1,2}\b")


@pytest.mark.parametrize("username", ["henrik", "lena"])
def test_ips_pages_pass_axe_and_show_the_work(page, live_server, demo, username) -> None:
    log_in(page, live_server.url, username, DEMO_PASSWORD)
    if username == "henrik":
        assert "Mina IPS-ärenden" in page.inner_text("main")
    menu = page.inner_text("header")
    assert "Arbete" in menu and "Närvaro" not in menu and "Samverkan" not in menu
    failures, kinds = _crawl(page, live_server.url)
    assert failures == {}
    assert {
        "employment:overview",
        "employment:cases",
        "employment:case",
        "employment:employers",
        "employment:employer",
        "employment:follow_up",
    } <= kinds
    page.goto(live_server.url + "/arbete/uppfoljning/")
    assert not RULE_CODE.search(page.inner_text("body"))
