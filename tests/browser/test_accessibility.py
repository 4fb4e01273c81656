"""WCAG 2.1 A/AA with axe-core in real Chromium, on every page a logged-in user reaches with
the demo data: the crawler follows links, so new pages are checked without listing them."""

from __future__ import annotations

from collections import Counter, deque
from urllib.parse import urldefrag, urlparse

import pytest
from django.urls import Resolver404, resolve

from lotsen.demo import DEMO_PASSWORD
from tests.browser.conftest import BROWSER, axe_violations, log_in

pytestmark = BROWSER

SKIP_PREFIXES = ("/logga-ut/", "/static/", "/admin/", "/i18n/")
DOWNLOADS = ("/pdf/", "/csv/", "/xlsx/", "/json/")  # files, not pages (text checked elsewhere)
DOWNLOAD_QUERY = ("format=csv", "format=pdf", "format=xlsx")
PER_PAGE_KIND = 1  # pages of one kind (URL name) to check; more differ only in data


def _crawl(page, base: str) -> tuple[dict[str, list[dict[str, object]]], set[str]]:  # type: ignore[no-untyped-def]
    seen: set[str] = set()
    kinds: Counter[str] = Counter()
    queue = deque(["/"])
    failures: dict[str, list[dict[str, object]]] = {}
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        try:
            kind = resolve(urlparse(path).path).view_name
        except Resolver404:
            continue
        if kinds[kind] >= PER_PAGE_KIND:
            continue
        response = page.goto(base + path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        kinds[kind] += 1
        assert response.status == 200, path
        if violations := axe_violations(page):
            failures[path] = violations
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            url = urlparse(urldefrag(href).url)
            if (
                url.netloc == urlparse(base).netloc
                and not url.path.startswith(SKIP_PREFIXES)
                and not url.path.endswith(DOWNLOADS)
                and not any(q in url.query for q in DOWNLOAD_QUERY)
            ):
                queue.append(url.path + (f"?{url.query}" if url.query else ""))
    assert len(kinds) >= 4, kinds
    return failures, set(kinds)


@pytest.mark.parametrize("username", ["anna", "omar", "eva", "maria", "sara"])
def test_every_reachable_page_passes_axe(page, live_server, demo, username) -> None:
    log_in(page, live_server.url, username, DEMO_PASSWORD)
    failures, kinds = _crawl(page, live_server.url)
    assert failures == {}
    if username == "sara":
        return  # Beroendemottagningen: no series of day activities in the demo
    # The day's pages are reached by links from the menu, so they are checked too.
    assert {
        "activities:sheet",
        "activities:week",
        "activities:calendar",
        "activities:activity_list",
        "activities:activity",
        "activities:session",
    } <= kinds
    if username == "eva":  # the manager's review pages
        assert {"reporting:record_log", "reporting:retention"} <= kinds


# Every persona's home at 375 px (menu closed and open) is checked with its content in
# tests/browser/test_homes.py, in the same browser session: one demo load per persona.


def test_login_page_passes_axe(page, live_server, domain) -> None:
    page.goto(f"{live_server.url}/logga-in/")
    assert axe_violations(page) == []
