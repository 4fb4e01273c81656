"""Two factors for every staff login (L2, GDPR art. 32; decision 0015): password, then a
code from the authenticator app, a passkey or a recovery code; enrolment at first login."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from lotsen import two_factor
from lotsen.models import User
from tests.test_access import PAGES, _url, lotsen_objects  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
PASSWORD = "ett-langt-losenord-2026"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _two_factors(settings) -> None:  # type: ignore[no-untyped-def]
    settings.REQUIRE_TWO_FACTOR = True


@pytest.fixture
def staff(anna: User) -> User:
    anna.set_password(PASSWORD)
    anna.save()
    return anna


def _log_in(client: Client, username: str = "anna", password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(reverse("login"), {"username": username, "password": password})


def _app(user: User) -> TOTPDevice:
    device = two_factor.pending_app_device(user)
    assert two_factor.confirm_app_device(device, _code(device))
    # Enrolment used this time step's code; let the test log in within the same 30 s.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return device


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_l2_first_login_enrols_an_app_then_shows_recovery_codes_once(client, staff) -> None:
    _log_in(client)
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("account:verify"))
    enrol = client.get(reverse("account:verify"), follow=True)
    assert enrol.redirect_chain[-1][0].startswith(reverse("account:enrol"))
    page = enrol.content.decode()
    assert "<svg" in page  # the QR code, inline
    device = TOTPDevice.objects.get(user=staff, confirmed=False)

    wrong = client.post(reverse("account:enrol"), {"code": "000000"})
    assert wrong.status_code == 400
    assert "Koden stämmer inte" in wrong.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    throttled = client.post(reverse("account:enrol"), {"code": _code(device)})
    assert "För många försök" in throttled.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)

    done = client.post(reverse("account:enrol"), {"code": _code(device)}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("account:recovery_codes")
    codes = list(done.context["codes"])
    assert len(codes) == two_factor.RECOVERY_CODE_COUNT
    assert all(code in done.content.decode() for code in codes)
    # Shown once: coming back shows how many are left, not the codes.
    again = client.get(reverse("account:recovery_codes")).content.decode()
    assert codes[0] not in again
    assert client.get(reverse("home")).status_code == 200


def test_l2_totp_login_end_to_end(client, staff) -> None:
    device = _app(staff)
    assert _log_in(client).status_code == 302
    assert client.get(reverse("home")).status_code == 302
    wrong = client.post(reverse("account:verify"), {"code": "123456", "next": "/"})
    assert wrong.status_code == 400
    assert client.get(reverse("home")).status_code == 302
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    right = client.post(reverse("account:verify"), {"code": _code(device), "next": "/deltagare/"})
    assert right.status_code == 302
    assert right["Location"] == "/deltagare/"
    assert client.get(reverse("home")).status_code == 200
    # The same code does not work twice (someone who saw it over the shoulder).
    other = Client()
    _log_in(other)
    assert other.post(reverse("account:verify"), {"code": _code(device)}).status_code == 400


def test_l2_a_recovery_code_works_once(client, staff) -> None:
    _app(staff)
    code = two_factor.new_recovery_codes(staff)[0]
    _log_in(client)
    used = client.post(reverse("account:verify"), {"recovery_code": code})
    assert used.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert StaticToken.objects.filter(device__user=staff).count() == 9

    other = Client()
    _log_in(other)
    again = other.post(reverse("account:verify"), {"recovery_code": code})
    assert again.status_code == 400
    assert "redan använd" in again.content.decode()
    assert other.get(reverse("home")).status_code == 302


def test_l2_recovery_codes_are_kept_sealed(client, staff) -> None:
    """The database keeps a keyed digest, not the code: what a copy of the table holds does
    not log anyone in, and the code itself still does."""
    _app(staff)
    codes = two_factor.new_recovery_codes(staff)
    kept = list(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    assert len(kept) == len(codes) == two_factor.RECOVERY_CODE_COUNT
    assert not set(kept) & set(codes)
    _log_in(client)
    assert client.post(reverse("account:verify"), {"recovery_code": codes[3]}).status_code == 302
    other = Client()
    _log_in(other)
    assert other.post(reverse("account:verify"), {"recovery_code": kept[0]}).status_code == 400
    assert other.get(reverse("home")).status_code == 302


def test_l2_recovery_codes_survive_a_rotated_secret_key(client, staff, settings) -> None:
    _app(staff)
    codes = two_factor.new_recovery_codes(staff)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    _log_in(client)
    assert client.post(reverse("account:verify"), {"recovery_code": codes[0]}).status_code == 302
    assert StaticToken.objects.filter(device__user=staff).count() == len(codes) - 1


def test_l2_codes_kept_in_plain_text_before_are_sealed_by_the_migration(client, staff) -> None:
    from django.apps import apps

    _app(staff)
    codes = two_factor.new_recovery_codes(staff)
    device = StaticToken.objects.filter(device__user=staff).first().device
    device.token_set.all().delete()
    device.token_set.create(token=codes[0])  # as django-otp kept it before
    migration = importlib.import_module("lotsen.migrations.0012_seal_recovery_codes")
    migration.seal_plain_codes(apps, None)
    migration.seal_plain_codes(apps, None)  # a second run leaves sealed codes alone
    assert list(device.token_set.values_list("token", flat=True)) == [
        two_factor.sealed_recovery_code(codes[0])
    ]
    _log_in(client)
    assert client.post(reverse("account:verify"), {"recovery_code": codes[0]}).status_code == 302


def test_l2_an_unsafe_next_is_ignored(client, staff) -> None:
    device = _app(staff)
    _log_in(client)
    response = client.post(
        reverse("account:verify"), {"code": _code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_l2_enrolling_another_device_needs_a_verified_session(client, staff) -> None:
    """A stolen password must not let the thief add their own app."""
    _app(staff)
    _log_in(client)
    response = client.post(reverse("account:enrol"), {"code": "000000"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account:verify"))
    assert TOTPDevice.objects.filter(user=staff).count() == 1


EXEMPT = {"account:verify", "account:enrol"}


def test_l2_a_password_alone_reaches_no_staff_page(
    client,
    staff,
    lotsen_objects,  # noqa: F811 (the fixture imported above)
) -> None:
    """Every page in the URLconf (found as tests/test_access.py finds them) and the admin."""
    _app(staff)
    staff.is_staff = staff.is_superuser = True
    staff.save()
    _log_in(client)
    urls = [_url(name, args, lotsen_objects) for name, args in PAGES if name not in EXEMPT]
    urls += [reverse("admin:index"), reverse("admin:lotsen_user_changelist")]
    assert len(urls) > 100
    for url in urls:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("account:verify")), url


def test_l2_passkey_endpoints_refuse_registration_before_the_second_step(client, staff) -> None:
    _app(staff)
    _log_in(client)
    response = client.post(reverse("otp_webauthn:credential-registration-begin"))
    assert response.status_code == 403


def test_password_change_in_swedish(client, staff) -> None:
    device = _app(staff)
    _log_in(client)
    client.post(reverse("account:verify"), {"code": _code(device)})
    page = client.get(reverse("account:password_change")).content.decode()
    assert "Nuvarande lösenord" in page or "Gammalt lösenord" in page
    changed = client.post(
        reverse("account:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "ett-annat-langt-losenord",
            "new_password2": "ett-annat-langt-losenord",
        },
    )
    assert changed["Location"] == reverse("account:password_changed")
    staff.refresh_from_db()
    assert staff.check_password("ett-annat-langt-losenord")


def _account(client: Client) -> str:
    return " ".join(client.get(reverse("account:account")).content.decode().split())


def test_l2_the_account_page_says_whether_two_step_login_is_on_and_with_what(
    client, staff, settings
) -> None:
    assert client.get(reverse("account:account"))["Location"].startswith(reverse("login"))
    settings.REQUIRE_TWO_FACTOR = False  # the demo's setting: a password alone gets in
    client.force_login(staff)
    page = _account(client)
    assert "Inloggning i två steg är inte på." in page
    assert "Autentiseringsapp: ingen" in page and "Inloggningsnyckel: ingen" in page
    two_factor.new_recovery_codes(staff)
    assert "Inloggning i två steg är på, men bara med reservkoder." in _account(client)

    settings.REQUIRE_TWO_FACTOR = True
    device = _app(staff)
    WebAuthnCredential.objects.create(
        user=staff, name="nyckel", confirmed=True, credential_id=b"id", public_key=b"key"
    )
    client.logout()
    _log_in(client)
    client.post(reverse("account:verify"), {"code": _code(device)})
    page = _account(client)
    assert "Inloggning i två steg är på." in page
    assert "inte på" not in page and "bara med reservkoder" not in page
    assert "Autentiseringsapp: 1 uppsatt" in page
    assert "Inloggningsnyckel: tillagd 2026-11-23" in page
    assert "Reservkoder: 10 reservkoder kvar" in page


def _setting(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "REQUIRE_TWO_FACTOR"}}
    script = "from django.conf import settings; print(settings.REQUIRE_TWO_FACTOR)"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "lotsen.settings",
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "lotsen.example.se",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_two_factors_are_required_by_default_and_off_only_for_the_demo() -> None:
    assert _setting(DEBUG="false") == "True"
    assert _setting(DEBUG="true") == "False"
    assert _setting(DEBUG="true", REQUIRE_TWO_FACTOR="true") == "True"


def test_the_passkey_buttons_speak_swedish(client) -> None:
    """django-otp-webauthn's script takes its messages from this catalogue (locale/sv)."""
    catalogue = client.get(reverse("otp_webauthn:js-i18n-catalog")).content.decode()
    assert "Nyckeln är skapad!" in catalogue or "Nyckeln \\u00e4r skapad!" in catalogue


def test_l2_the_admin_is_entered_through_the_sites_login_with_both_steps(client, staff) -> None:
    """The admin's own login form would take the password alone: it sends to the site's."""
    User.objects.filter(pk=staff.pk).update(is_staff=True, is_superuser=True)
    device = _app(staff)
    answer = client.get("/admin/", follow=True)
    assert [url for url, _status in answer.redirect_chain] == [
        "/admin/login/?next=/admin/",
        f"{reverse('login')}?next=%2Fadmin%2F",
    ]
    assert answer.templates[0].name == "registration/login.html"
    signed = client.post(
        reverse("login"), {"username": "anna", "password": PASSWORD, "next": "/admin/"}
    )
    assert signed["Location"] == "/admin/"
    assert client.get("/admin/")["Location"].startswith(reverse("account:verify"))
    verified = client.post(reverse("account:verify"), {"code": _code(device), "next": "/admin/"})
    assert verified["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_l2_a_user_with_an_app_is_asked_for_it_where_not_everyone_must_be(
    client, staff, settings
) -> None:
    settings.REQUIRE_TWO_FACTOR = False  # the demo's setting
    device = _app(staff)
    assert _log_in(client).status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("account:verify"))
    assert client.get("/admin/").status_code == 302
    client.post(reverse("account:verify"), {"code": _code(device)})
    assert client.get(reverse("home")).status_code == 200


def test_l2_without_a_device_the_password_is_enough_where_not_everyone_must_have_one(
    client, staff, settings
) -> None:
    settings.REQUIRE_TWO_FACTOR = False
    _log_in(client)
    assert client.get(reverse("home")).status_code == 200


def test_l2_a_device_deleted_after_the_password_step_leaves_nothing_to_ask(
    client, staff, settings
) -> None:
    settings.REQUIRE_TWO_FACTOR = False
    device = _app(staff)
    _log_in(client)
    device.delete()
    verify = client.get(reverse("account:verify"), {"next": "/deltagare/"})
    assert verify["Location"] == "/deltagare/"
    assert client.get(reverse("home")).status_code == 200


def test_l2_setting_up_a_second_step_ends_the_sessions_that_began_without_it(
    client, staff, settings
) -> None:
    """Where not everyone must have a second step, a session that began with the password
    alone (on another computer, say) would otherwise go on without one after the user set
    it up: it ends, and this session, which set it up, goes on."""
    settings.REQUIRE_TWO_FACTOR = False
    elsewhere = Client()
    _log_in(elsewhere)
    assert elsewhere.get(reverse("home")).status_code == 200
    _log_in(client)
    client.get(reverse("account:enrol"))
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    done = client.post(reverse("account:enrol"), {"code": _code(device)}, follow=True)
    assert "Du är utloggad på dina andra inloggningar." in done.content.decode()
    assert client.get(reverse("home")).status_code == 200
    gone = elsewhere.get(reverse("home"))
    assert gone.status_code == 302 and gone["Location"].startswith(reverse("login"))


def test_l2_the_migration_ends_unverified_sessions_of_users_with_a_second_step(
    client, staff, settings
) -> None:
    from importlib import import_module

    from django.apps import apps

    from lotsen.models import SignedInSession

    settings.REQUIRE_TWO_FACTOR = False
    _log_in(client)  # no device yet: a password-only session
    assert client.get(reverse("home")).status_code == 200
    _app(staff)  # a device made outside the pages, as before the change
    assert client.get(reverse("home")).status_code == 200
    import_module("lotsen.migrations.0013_sign_out_users_with_a_second_step").forwards(apps, None)
    assert not SignedInSession.objects.filter(user=staff).exists()
    assert client.get(reverse("home")).status_code == 302
