from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotsen.models import User
from tests.conftest import _static_without_manifest, anna, domain, lotsen, training

__all__ = ["_static_without_manifest", "anna", "domain", "lotsen", "training", "verified_login"]


def verified_login(client: Client, user: User) -> None:
    """Sign in as production does, both steps passed: every page pays for the second factor's
    middleware, the empty page as much as the busy ones (REQUIRE_TWO_FACTOR is on here)."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    from bench.test_scale import pytest_terminal_summary_table

    table = pytest_terminal_summary_table()
    if table:
        terminalreporter.write_line("")
        terminalreporter.write_line(table)
