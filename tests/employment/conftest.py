"""IPS personas: sofia (full time) and jonas (half time), employment specialists at
Hantverkshuset, an employer, and frozen case data."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from employment.models import (
    ContactKind,
    Employer,
    EmploymentProgramme,
    JobKind,
)
from employment.services import contact_record, job_end, job_start_record, specialist_add
from lotsen.models import Unit, User
from tests.employment.factories import open_case
from tests.factories import TODAY, make_staff

D = datetime.date


@pytest.fixture
def ips(hantverkshuset: Unit) -> EmploymentProgramme:
    return EmploymentProgramme.objects.get(programme__slug="support-och-arbetsteamet")


@pytest.fixture
def sofia(hantverkshuset: Unit, ips: EmploymentProgramme) -> User:
    """Employment specialist at Hantverkshuset, full time."""
    user = make_staff("sofia", hantverkshuset, first_name="Sofia", last_name="Holm")
    specialist_add(programme=ips, user=user, shares=[(D(2026, 1, 1), Decimal(1))])
    return user


@pytest.fixture
def jonas(hantverkshuset: Unit, ips: EmploymentProgramme) -> User:
    """Employment specialist at Hantverkshuset, half time."""
    user = make_staff("jonas", hantverkshuset, first_name="Jonas", last_name="Ek")
    specialist_add(programme=ips, user=user, shares=[(D(2026, 1, 1), Decimal("0.5"))])
    return user


@pytest.fixture
def employer(hantverkshuset: Unit, sofia: User) -> Employer:
    return Employer.objects.create(unit=hantverkshuset, name="Bageriet AB", created_by=sofia)


@pytest.fixture
def world(ips, sofia, jonas, employer):  # type: ignore[no-untyped-def]
    """Frozen data around October 2026 (TODAY is 2026-11-23): sofia (1.0 FTE) has a case
    with a first contact after 10 days, one with no contact yet and one with a job still on
    at 3 months; jonas (0.5 FTE) has a subsidised job that ended within 3 months, an intake
    with no contact and a studies start."""
    a = open_case(ips, sofia, intake=D(2026, 10, 5))
    contact_record(
        employer=employer, on=D(2026, 10, 15), kind=ContactKind.FIRST, by=sofia, today=TODAY, case=a
    )
    contact_record(
        employer=employer, on=D(2026, 10, 20), kind=ContactKind.MEETING, by=sofia, today=TODAY
    )
    open_case(ips, sofia, intake=D(2026, 10, 20))  # no employer contact yet
    # A job from July: still on at 3 months (2026-10-01).
    b = open_case(ips, sofia, intake=D(2026, 3, 2))
    job_start_record(
        case=b, kind=JobKind.JOB, start_date=D(2026, 7, 1), by=sofia, today=TODAY, revision=None
    )
    # A job from July that ended within 3 months.
    c = open_case(ips, jonas, intake=D(2026, 3, 2))
    ended = job_start_record(
        case=c,
        kind=JobKind.SUBSIDISED,
        start_date=D(2026, 7, 10),
        by=jonas,
        today=TODAY,
        revision=None,
    )
    job_end(job=ended, end_date=D(2026, 9, 30), reason="Slutade", by=jonas)
    # jonas: an intake 2026-09-15 without contact: 46 days at the month's end, late.
    open_case(ips, jonas, intake=D(2026, 9, 15))
    d = open_case(ips, jonas, intake=D(2026, 9, 20))
    job_start_record(
        case=d,
        kind=JobKind.STUDIES,
        start_date=D(2026, 10, 12),
        by=jonas,
        today=TODAY,
        revision=None,
    )
    return {"a": a, "b": b, "c": c, "d": d}
