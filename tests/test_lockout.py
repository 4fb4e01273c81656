"""Lockout that holds (L2, GDPR art. 32; decision 0015): failed logins count per user name
across addresses and per address across user names; X-Forwarded-For counts only behind the
configured TLS proxy, and then only the address that proxy appended."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from lotsen.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "ett-langt-losenord-2026"
LIMIT = settings.AXES_FAILURE_LIMIT


@pytest.fixture
def staff(anna: User) -> User:
    anna.set_password(PASSWORD)
    anna.save()
    return anna


def _attempt(username: str, password: str = "fel", **headers: str) -> int:
    """A fresh client each time, as a script would: no cookie ties the attempts together."""
    response = Client().post(
        reverse("login"), {"username": username, "password": password}, **headers
    )
    return response.status_code


def _locked(username: str = "anna", **headers: str) -> bool:
    return _attempt(username, PASSWORD, **headers) == 429


def test_l2_many_user_names_from_one_address_lock_that_address(staff) -> None:
    for number in range(30):
        _attempt(f"gissning{number}", REMOTE_ADDR="203.0.113.7")
    assert _locked(REMOTE_ADDR="203.0.113.7")
    # Anna at her own desk is not locked out by it.
    assert not _locked(REMOTE_ADDR="198.51.100.20")


def test_l2_one_user_name_from_many_addresses_locks_the_user_name(staff) -> None:
    answers = [_attempt("anna", REMOTE_ADDR=f"203.0.113.{n + 1}") for n in range(LIMIT)]
    assert answers == [200] * (LIMIT - 1) + [429]
    assert _locked(REMOTE_ADDR="198.51.100.20")


def test_l2_below_the_limit_nothing_is_locked(staff) -> None:
    for number in range(LIMIT - 1):
        _attempt("anna", REMOTE_ADDR=f"203.0.113.{number + 1}")
    assert not _locked(REMOTE_ADDR="198.51.100.20")


def test_l2_a_success_does_not_reset_the_address_count(staff, omar) -> None:
    """An insider cannot clear their address's count with their own password."""
    omar.set_password(PASSWORD)
    omar.save()
    for number in range(LIMIT - 1):
        _attempt(f"gissning{number}", REMOTE_ADDR="203.0.113.7")
    assert _attempt("omar", PASSWORD, REMOTE_ADDR="203.0.113.7") == 302
    _attempt("gissning-sista", REMOTE_ADDR="203.0.113.7")
    assert _locked(REMOTE_ADDR="203.0.113.7")


def test_l2_a_forged_forwarded_header_changes_nothing_without_the_proxy(staff) -> None:
    """Without BEHIND_TLS_PROXY the header is ignored: rotating it dodges nothing, and
    naming someone else's address in it locks them out of nothing."""
    assert not settings.BEHIND_TLS_PROXY
    for number in range(LIMIT):
        forged = f"10.0.0.{number}"
        _attempt(f"gissning{number}", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=forged)
    assert _locked(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert not _locked(REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR="203.0.113.7")


def test_l2_behind_the_proxy_the_address_it_appended_counts(staff, settings) -> None:
    """The proxy appends the real address last; whatever the client wrote before it is
    ignored, so it can neither dodge the count nor pin it on someone else."""
    settings.BEHIND_TLS_PROXY = True
    proxy = {"REMOTE_ADDR": "172.18.0.2"}
    for number in range(LIMIT):
        _attempt(f"gissning{number}", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 203.0.113.7", **proxy)
    assert _locked(HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    # Another visitor behind the same proxy, and one who forges the attacker's address.
    assert not _locked(HTTP_X_FORWARDED_FOR="198.51.100.20", **proxy)
    assert not _locked(HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.21", **proxy)
