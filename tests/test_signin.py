"""L2, two factors for staff: the session is read with its user and the device of their
second step in one query (lotsen.sessions, lotsen.signin), and Django's and django-otp's
checks still hold: a changed password or a deactivated account ends the session, a device
that is not the user's verifies nothing, and a session whose columns no longer say what its
data says is checked by the libraries' own reads."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from lotsen.models import SignedInSession, User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _two_factors(settings) -> None:  # type: ignore[no-untyped-def]
    settings.REQUIRE_TWO_FACTOR = True


def _both_steps(client: Client, user: User, device: TOTPDevice | None = None) -> TOTPDevice:
    device = device or TOTPDevice.objects.create(user=user, name="telefon", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def _home(client: Client):  # type: ignore[no-untyped-def]
    return client.get(reverse("home"))


def _reads(client: Client) -> tuple[Any, list[str]]:
    """A signed-in page's user, and its queries that read the session, the user by key or a
    device."""
    with CaptureQueriesContext(connection) as queries:
        answer = _home(client)
    assert answer.status_code == 200
    reads = (
        "lotsen_signedinsession",
        'FROM "lotsen_user" WHERE "lotsen_user"."id" =',
        'FROM "otp_',
        'FROM "django_otp_webauthn',
    )
    return answer.wsgi_request.user, [
        q["sql"] for q in queries if any(r in q["sql"] for r in reads)
    ]


def _device(kind: str, user: User) -> Device:
    if kind == "totp":
        return TOTPDevice.objects.create(user=user, name="telefon", confirmed=True)
    if kind == "recovery":
        return StaticDevice.objects.create(user=user, name="reservkoder", confirmed=True)
    return WebAuthnCredential.objects.create(
        user=user, name="nyckel", confirmed=True, credential_id=b"id", public_key=b"key"
    )


@pytest.mark.parametrize("kind", ["totp", "recovery", "passkey"])
def test_l2_session_user_and_device_are_one_query(client, anna, kind) -> None:
    device = _both_steps(client, anna, _device(kind, anna))
    _home(client)
    user, reads = _reads(client)
    assert len(reads) == 1, reads
    assert 'LEFT JOIN "lotsen_user"' in reads[0] and device._meta.db_table in reads[0]
    assert (user, user.otp_device) == (anna, device)


def test_l2_a_session_with_the_password_step_only_is_read_with_its_user(client, anna) -> None:
    client.force_login(anna)
    answer = _home(client)
    assert answer.status_code == 302 and answer.url.startswith(reverse("account:verify"))
    with CaptureQueriesContext(connection) as queries:
        assert _home(client).url.startswith(reverse("account:verify"))
    assert len(queries) == 1 and "lotsen_signedinsession" in queries[0]["sql"]


@pytest.mark.parametrize("stale", ["user", "device", "both"])
def test_l2_columns_that_no_longer_say_what_the_data_says_are_not_trusted(
    client, anna, omar, stale
) -> None:
    """The row names another user, or another of Anna's own confirmed devices, than the
    signed data: Django and django-otp read the user and device the data names (three
    reads, not one), as without the columns."""
    own = _both_steps(client, anna)
    spare = TOTPDevice.objects.create(user=anna, name="reserv", confirmed=True)
    if stale in ("user", "both"):
        SignedInSession.objects.update(user=omar)
    if stale in ("device", "both"):
        SignedInSession.objects.update(device_id=spare.pk)
    user, reads = _reads(client)
    assert (user, user.otp_device, len(reads)) == (anna, own, 3)


def test_l2_a_device_that_is_gone_is_gone_whatever_the_columns_say(client, anna) -> None:
    own = _both_steps(client, anna)
    user, reads = _reads(client)
    assert (user, user.otp_device, len(reads)) == (anna, own, 1)
    own.delete()
    answer = _home(client)
    assert answer.status_code == 302 and answer.url.startswith(reverse("account:verify"))


def test_l2_the_columns_follow_the_session_data(client, anna) -> None:
    """Signing in names the user; the second step names the device; signing out ends the row."""
    client.force_login(anna)
    row = SignedInSession.objects.get()
    assert (row.user_id, row.device_model, row.device_id) == (anna.pk, "", None)
    device = _both_steps(client, anna)
    row = SignedInSession.objects.get(session_key=client.session.session_key)
    assert (row.user_id, row.device_model, row.device_id) == (
        anna.pk,
        "otp_totp.totpdevice",
        device.pk,
    )
    client.post(reverse("logout"))
    assert not SignedInSession.objects.filter(user=anna).exists()


def test_l2_a_changed_password_ends_the_session(client, anna) -> None:
    _both_steps(client, anna)
    assert _home(client).status_code == 200
    anna.set_password("ett-helt-annat-losenord-2026")
    anna.save()
    answer = _home(client)
    assert answer.status_code == 302 and answer.url.startswith(reverse("login"))
    assert SESSION_KEY not in client.session


def test_l2_a_deactivated_account_is_signed_out(client, anna) -> None:
    _both_steps(client, anna)
    User.objects.filter(pk=anna.pk).update(is_active=False)
    answer = _home(client)
    assert answer.status_code == 302 and answer.url.startswith(reverse("login"))


@pytest.mark.parametrize("confirmed", [True, False])
def test_l2_only_the_users_own_confirmed_device_passes_the_second_step(
    client, anna, omar, confirmed
) -> None:
    """Omar's device in Anna's session, or Anna's own unconfirmed one: password step only."""
    owner = omar if confirmed else anna
    device = TOTPDevice.objects.create(user=owner, name="telefon", confirmed=confirmed)
    _both_steps(client, anna, device)
    answer = _home(client)
    assert answer.status_code == 302 and answer.url.startswith(reverse("account:verify"))
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_l2_a_device_that_is_gone_asks_for_the_second_step_again(client, anna) -> None:
    device = _both_steps(client, anna)
    device.delete()
    answer = _home(client)
    assert answer.status_code == 302 and answer.url.startswith(reverse("account:verify"))
