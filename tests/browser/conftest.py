"""Real Chromium through Playwright (Debian's chromium: Playwright cannot download one here).

Tests wait for what the user sees (`expect(...)`), never for the network or a sleep, and
then check the database.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.demo_copy import demo_world

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).with_name("vendor") / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# A live server thread and a Chromium process run beside the test: they keep the real clock
# (a frozen or jumping one would upset their timeouts), so these tests do not freeze TODAY.
BROWSER = [
    pytest.mark.browser,
    pytest.mark.real_clock,
    pytest.mark.django_db(transaction=True),
]

# As long as a page action may take on a busy machine (the default 5 s is not).
expect.set_options(timeout=15_000)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"REQUIRE_BROWSER is set but there is no Chromium at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread while it is open,
    # which makes Django refuse the tests' own (synchronous, safe) ORM calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def demo(request: pytest.FixtureRequest) -> None:
    """The demo world of today on the seeded domain, exactly as `load_demo` makes it; loaded
    once per worker and copied back for every later test (tests/demo_copy.py)."""
    demo_world(today=timezone.localdate(), seed=lambda: request.getfixturevalue("domain"))


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    # bypass_csp lets the test inject axe-core; the app's own pages stay under the CSP.
    context = browser.new_context(
        bypass_csp=True, locale="sv-SE", viewport={"width": 1280, "height": 900}
    )
    # axe-core is in every page from the start, rather than 650 kB sent over for each check.
    context.add_init_script(path=AXE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


# The page as the user is left with it: a colour transition still running (a button that
# just lost focus fades for 150 ms) has contrast half-way between two states.
AXE_RUN = """async (tags) => {
  const ending = document.getAnimations().filter(
    (a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity);
  await Promise.all(ending.map((a) => a.finished.catch(() => null)));
  // resultTypes only spares listing every node that passed; violations stay complete.
  const options = {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]};
  return (await axe.run(document, options)).violations;
}"""


def axe_violations(page) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    # The page as the user sees it, styled: an element can be there (and waited for) while
    # the stylesheets still load, and half the styles give white text on a white header.
    page.wait_for_load_state("load")
    result = page.evaluate(AXE_RUN, WCAG_21_AA)
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result
    ]


def log_in(page, base_url: str, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    """By keyboard only: type, Tab, type, Enter."""
    page.goto(f"{base_url}/logga-in/")
    page.get_by_label("Användarnamn").focus()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}/")
