"""L2, two factors for staff: the signed-in user is read with the device of their second
step in one query (lotsen.signin), and Django's and django-otp's checks still hold: a
changed password or a deactivated account ends the session, and a device that is not the
user's verifies nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotsen.models import User

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


def test_l2_user_and_device_are_one_query(client, anna) -> None:
    _both_steps(client, anna)
    _home(client)
    with CaptureQueriesContext(connection) as queries:
        assert _home(client).status_code == 200
    devices = [q["sql"] for q in queries if "otp_totp_totpdevice" in q["sql"]]
    assert len(devices) == 1 and 'INNER JOIN "lotsen_user"' in devices[0]
    assert not any('FROM "lotsen_user" WHERE "lotsen_user"."id" =' in q["sql"] for q in queries)


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
