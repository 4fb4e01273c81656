"""The opening calendar (R16, L8): holidays from the library, closure days, evenings, weekends."""

from __future__ import annotations

import datetime

import pytest

from activities.calendar import opening_counts, opening_days, regular_hours, swedish_holidays
from activities.models import ClosureDay, ExtraOpening, OpeningHours

pytestmark = pytest.mark.django_db
D = datetime.date
T = datetime.time


def test_l8_holidays_and_eves_come_from_the_library() -> None:
    days = swedish_holidays(D(2026, 1, 1), D(2026, 12, 31))
    assert days[D(2026, 6, 19)] == "Midsommarafton"
    assert days[D(2026, 12, 24)] == "Julafton"
    assert days[D(2026, 12, 31)] == "Nyårsafton"
    assert days[D(2026, 4, 3)] == "Långfredagen"
    assert D(2026, 11, 22) not in days  # an ordinary Sunday is not a holiday


def test_l8_about_249_weekdays_in_2025_without_local_closures(lotsen) -> None:
    """L8: Monday-Friday minus holidays and eves gives 249 days in 2025."""
    OpeningHours.objects.filter(unit=lotsen, opens__gte=T(17, 0)).delete()
    counts = opening_counts(lotsen, 2025)
    assert counts.open_days == 249
    assert counts.holidays_on_weekdays == 12
    assert counts.commissioned_open_days == 230  # R16, seeded data


def test_r16_local_closure_days_reduce_the_open_days(lotsen) -> None:
    before = opening_counts(lotsen, 2026).open_days
    ClosureDay.objects.create(unit=lotsen, date=D(2026, 7, 6), reason="Sommarstängt")
    ClosureDay.objects.create(unit=lotsen, date=D(2026, 7, 11), reason="Lördag, räknas inte")
    counts = opening_counts(lotsen, 2026)
    assert counts.open_days == before - 1
    assert counts.closure_days == 1


def test_r16_evening_and_weekend_openings_are_counted(lotsen) -> None:
    """R16: one evening a week (seeded Wednesdays) and extra weekend openings."""
    counts = opening_counts(lotsen, 2026)
    wednesdays_open = sum(
        1
        for d in opening_days(lotsen, D(2026, 1, 1), D(2026, 12, 31))
        if d.date.weekday() == 2 and d.is_open
    )
    assert counts.evening_openings == wednesdays_open
    assert counts.weekend_openings == 0
    ExtraOpening.objects.create(unit=lotsen, date=D(2026, 11, 28), opens=T(11), closes=T(15))
    ExtraOpening.objects.create(unit=lotsen, date=D(2026, 11, 26), opens=T(17), closes=T(20))
    after = opening_counts(lotsen, 2026)
    assert after.weekend_openings == 1
    assert after.evening_openings == counts.evening_openings + 1
    assert after.open_days == counts.open_days + 1


def test_opening_days_show_hours_holiday_and_closure(lotsen) -> None:
    ClosureDay.objects.create(unit=lotsen, date=D(2026, 12, 28), reason="Planeringsdag")
    days = {d.date: d for d in opening_days(lotsen, D(2026, 12, 21), D(2026, 12, 28))}
    wednesday = days[D(2026, 12, 23)]
    assert wednesday.is_open and wednesday.is_evening_opening
    assert [(p.opens, p.closes) for p in wednesday.periods] == [(T(9), T(16)), (T(17), T(20))]
    assert not days[D(2026, 12, 24)].is_open and days[D(2026, 12, 24)].holiday == "Julafton"
    assert not days[D(2026, 12, 26)].is_open and days[D(2026, 12, 26)].holiday == "Annandag jul"
    assert days[D(2026, 12, 28)].closure_reason == "Planeringsdag"
    assert not days[D(2026, 12, 28)].is_open


def test_l8_an_extra_opening_on_a_holiday_opens_it(lotsen) -> None:
    ExtraOpening.objects.create(
        unit=lotsen, date=D(2026, 12, 24), opens=T(10), closes=T(13), note="Julfika"
    )
    (day,) = opening_days(lotsen, D(2026, 12, 24), D(2026, 12, 24))
    assert day.is_open and day.holiday == "Julafton" and day.periods[0].note == "Julfika"


def test_r16_opening_hours_can_change_from_a_date(lotsen) -> None:
    OpeningHours.objects.filter(unit=lotsen, weekday=0).update(valid_until=D(2026, 11, 30))
    OpeningHours.objects.create(
        unit=lotsen, weekday=0, opens=T(10), closes=T(15), valid_from=D(2026, 12, 1)
    )
    days = {d.date: d for d in opening_days(lotsen, D(2026, 11, 30), D(2026, 12, 7))}
    assert days[D(2026, 11, 30)].periods[0].opens == T(9)
    assert days[D(2026, 12, 7)].periods[0].opens == T(10)


def test_opening_days_cost_three_queries_whatever_the_period(
    lotsen, django_assert_num_queries
) -> None:
    with django_assert_num_queries(3):
        opening_days(lotsen, D(2026, 1, 1), D(2027, 12, 31))


def test_r16_regular_hours_summary_for_the_public_pages(lotsen) -> None:
    week = regular_hours(lotsen, D(2026, 11, 23))
    assert sorted(week) == [0, 1, 2, 3, 4]  # Monday-Friday (R16)
    assert [(p.opens, p.closes) for p in week[2]] == [(T(9), T(16)), (T(17), T(20))]
