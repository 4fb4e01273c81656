"""The demo loads on any day (make run uses the real date) and shows a realistic day."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from activities.attendance import attendance_sheet
from activities.models import Activity, Session
from lotsen.demo import TEST_NUMBERS, DemoWorld, load_demo
from lotsen.models import Unit, User
from participants.models import Enrolment, Participant, Visit
from plans.models import FollowUp
from reporting import demo_history
from reporting.figures import annual_figures
from reporting.indicators import follow_ups_on_time_each
from reporting.services import report_pdf
from tests.factories import TODAY
from tests.test_annual_reports import pdf_text

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


def test_r20_demo_has_two_earlier_years_for_lotsens_reports(domain, tmp_path) -> None:
    """The annual reports of the two years before this one show people, visits, ended places
    with their outcomes (R11), training hours, assessments and plans followed up (R13)."""
    assert load_demo(today=TODAY)
    lotsen = Unit.objects.get(slug="lotsen")
    for year in (2024, 2025):
        f = annual_figures(unit=lotsen, year=year, today=TODAY)
        assert f.participants >= 15 and f.visitors >= 15, year
        assert f.visits >= 500 and f.attendance.training_hours >= 1000, year
        assert f.new_places >= 10 and f.attendance.anonymous_visits > 0, year
        assert sum(n for _label, n in f.outcomes) >= 5 and f.assessments > 0, year
        follow_ups = FollowUp.objects.filter(
            plan__enrolment__programme__unit=lotsen, date__year=year
        )
        assert follow_ups.count() >= 5 and not follow_ups.filter(goals=None).exists(), year
    # Every place of the earlier years has ended with an outcome, and every plan's follow-ups
    # came before its place ended.
    earlier = Enrolment.objects.filter(programme__unit=lotsen, start_date__year__lt=2026)
    assert not earlier.filter(end_date__lt=TODAY, outcome="").exists()
    # Registered when they came, not on the day the demo was loaded.
    ended = earlier.filter(end_date__year__lt=2026)
    assert ended.exists() and not ended.filter(participant__created_at__year=2026).exists()
    late = FollowUp.objects.filter(date__gt=F("plan__enrolment__end_date"))
    assert not late.exists()
    # Most follow-ups of the earlier years were on time, not all (R13).
    cells = follow_ups_on_time_each(lotsen, [(D(2024, 1, 1), D(2024, 12, 31))])
    assert cells[0] is not None and 60 <= cells[0] < 100
    # L6: the people of the history have Skatteverket's test numbers only.
    test_numbers = set(TEST_NUMBERS.read_text().split())
    assert set(Participant.objects.values_list("identity_number", flat=True)) <= test_numbers
    f = annual_figures(unit=lotsen, year=2025, today=TODAY)
    text = pdf_text(report_pdf(unit=lotsen, year=2025, today=TODAY, base_url="/"), tmp_path)
    lines = {" ".join(line.split()[:-1]): line.split()[-1] for line in text.splitlines() if line}
    assert lines["Personer med plats under året"] == str(f.participants)
    assert lines["Besök med namn"] == str(f.visits) and f.visits > 1000
    assert lines["Avslutade platser under året"] == str(f.ended_places) != "0"
    assert lines["Planer med försenad uppföljning den 31 december 2025"] == "0"
    assert "Anställning" in text and "Överlämnad till arbetsmarknadsförvaltningen (IAF)" in text


def test_demo_history_is_written_in_bulk(domain) -> None:
    """The history's queries do not grow with its rows: browser tests load the demo once per
    process, so the load must stay fast."""
    assert load_demo(today=TODAY)
    staff = {u.username: u for u in User.objects.filter(username__in=["anna", "omar"])}
    world = DemoWorld(
        today=TODAY,
        rng=random.Random(1),
        staff=staff,
        young=iter([]),
        adults=iter([]),
        names=iter([]),
    )
    visits = Visit.objects.count()
    with CaptureQueriesContext(connection) as queries:
        demo_history.load(world)
    assert Visit.objects.count() - visits > 2000
    # About 30 on PostgreSQL; SQLite splits a long insert into batches of a few hundred rows.
    assert len(queries) < 100
