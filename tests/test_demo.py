"""The demo loads on any day (make run uses the real date) and shows a realistic day."""

from __future__ import annotations

import datetime

import pytest

from activities.attendance import attendance_sheet
from activities.models import Activity, Session
from lotsen.demo import load_demo
from lotsen.models import Unit
from participants.models import Participant

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize(
    "today",
    [D(2026, 11, 23), D(2026, 12, 24), D(2027, 1, 2), D(2027, 6, 20)],
    ids=["monday", "christmas-eve", "saturday", "midsummer-sunday"],
)
def test_demo_loads_on_any_day_with_a_full_sheet_and_series(domain, today) -> None:
    assert load_demo(today=today)
    lotsen = Unit.objects.get(slug="lotsen")
    sections = attendance_sheet(unit=lotsen, day=today, visible=Participant.objects.all())
    assert sum(len(s.rows) for s in sections) >= 40
    assert Activity.objects.filter(is_public=True).count() == 3
    assert Session.objects.filter(cancelled=True).exists()
    assert not load_demo(today=today)  # a second run changes nothing
