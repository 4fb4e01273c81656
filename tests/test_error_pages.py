"""Error pages in Swedish with the site's look and no internals (DEBUG off, as in tests),
and no copy of a logged-in page kept by a browser or proxy (L2, GDPR art. 32)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.error_urls")]


@pytest.fixture
def visitor() -> Client:
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/test-fel/500/", 500, "Något gick fel hos oss"),
        ("/test-fel/403/", 403, "Du har inte behörighet"),
        ("/test-fel/400/", 400, "Felaktig förfrågan"),
        ("/finns-inte/", 404, "Sidan finns inte"),
    ],
)
def test_error_pages_are_swedish_with_the_sites_look(visitor, url, status, heading) -> None:
    response = visitor.get(url)
    page = response.content.decode()
    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in page
    assert 'class="lotsen-brand"' in page
    assert 'lang="sv"' in page
    internals = ("secret internals", "internal reason", "Traceback", "Not Found", "Server Error")
    assert not [text for text in internals if text in page]


@pytest.mark.urls("lotsen.urls")
def test_a_form_address_opened_in_the_browser_gets_a_swedish_page(client, anna) -> None:
    """A require_POST view opened by GET: a page that says what happened, not a blank one."""
    client.force_login(anna)
    response = client.get(reverse("journal:correct", args=[1]))
    page = response.content.decode()
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "<h1>Sidan tar emot formulär</h1>" in page and 'class="lotsen-brand"' in page


def test_csrf_failure_is_swedish(anna) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(anna)
    response = client.post(reverse("participants:create"), {"first_name": "Sara"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "Formuläret hade gått ut" in page
    assert "CSRF" not in page


def test_logged_in_pages_are_not_stored(client, anna) -> None:
    client.force_login(anna)
    for url in (reverse("home"), reverse("participants:list"), "/finns-inte/"):
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_public_pages_may_be_cached(client, domain) -> None:
    response = client.get(reverse("public:units"))
    assert "no-store" not in response.get("Cache-Control", "")
