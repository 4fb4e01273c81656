"""Two-factor login in real Chromium (decision 0015): a passkey on Chromium's virtual
authenticator, and a code from an authenticator app. WebAuthn needs a secure context, which
localhost is; the relying party id is the live server's host."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from lotsen.models import User
from tests.browser.conftest import BROWSER, axe_violations

pytestmark = BROWSER
PASSWORD = "ett-långt-lösenord-2026"


@pytest.fixture
def staff(anna: User) -> User:
    anna.set_password(PASSWORD)
    anna.save()
    return anna


@pytest.fixture
def two_factors(settings, live_server):  # type: ignore[no-untyped-def]
    settings.REQUIRE_TWO_FACTOR = True
    settings.OTP_WEBAUTHN_RP_ID = urlsplit(live_server.url).hostname
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    assert settings.OTP_WEBAUTHN_RP_ID == "localhost"
    return live_server.url


def _password(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/logga-in/")
    page.get_by_label("Användarnamn").fill("anna")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()


def _virtual_authenticator(page) -> None:  # type: ignore[no-untyped-def]
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )


def test_l2_enrol_a_passkey_then_log_in_with_it(page, two_factors, staff) -> None:
    base = two_factors
    _virtual_authenticator(page)
    _password(page, base)
    expect(page.get_by_role("heading", name="Skydda kontot med två steg")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Skapa inloggningsnyckel").click()
    expect(page.get_by_role("heading", name="Reservkoder")).to_be_visible()
    assert WebAuthnCredential.objects.filter(user=staff, confirmed=True).count() == 1
    page.get_by_role("link", name="Jag har sparat koderna").click()
    expect(page.get_by_role("heading", name="Mina uppgifter")).to_be_visible()

    page.get_by_role("button", name="Logga ut").click()
    _password(page, base)
    expect(page.get_by_role("heading", name="Bekräfta inloggningen")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Logga in med inloggningsnyckel").click()
    expect(page.get_by_role("heading", name="Mina uppgifter")).to_be_visible()


def test_l2_enrol_an_app_then_log_in_with_a_code(page, two_factors, staff) -> None:
    base = two_factors
    _password(page, base)
    expect(page.get_by_role("heading", name="Skydda kontot med två steg")).to_be_visible()
    expect(page.locator(".qr-code svg")).to_be_visible()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    page.get_by_role("textbox", name="Kod").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Bekräfta appen").click()
    expect(page.get_by_role("heading", name="Reservkoder")).to_be_visible()
    page.get_by_role("link", name="Jag har sparat koderna").click()
    expect(page.get_by_role("heading", name="Mina uppgifter")).to_be_visible()

    page.get_by_role("button", name="Logga ut").click()
    # The code just used is spent; the next login waits for the app's next one.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    _password(page, base)
    expect(page.get_by_role("heading", name="Bekräfta inloggningen")).to_be_visible()
    page.get_by_role("textbox", name=re.compile("^Kod")).fill("000000")
    page.get_by_role("button", name="Bekräfta med kod").click()
    expect(page.get_by_text("Koden stämmer inte")).to_be_visible()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    page.get_by_role("textbox", name=re.compile("^Kod")).fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Bekräfta med kod").click()
    expect(page.get_by_role("heading", name="Mina uppgifter")).to_be_visible()
