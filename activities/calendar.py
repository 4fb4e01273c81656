"""The opening calendar as a small query API (R16, L8), also used by the public pages.

Stable functions (other apps rely on the names and return types):

- ``opening_days(unit, start, end)`` -> ``list[CalendarDay]``, one per date in [start, end]:
  open or closed, the opening periods, evening/weekend flags, holiday name, closure reason.
- ``opening_counts(unit, year)`` -> ``OpeningCounts``: open days against the commissioned
  number (R16), evening and weekend openings, for the reports; ``opening_year(unit, year)``
  gives the year's days with them.
- ``upcoming_sessions(unit, start, days, public_only=False)`` -> ``list[Session]``: the
  activities' sessions from ``start`` for ``days`` days, cancelled ones included (flagged).
- ``swedish_holidays(start, end)`` -> ``{date: name}``: public holidays (Lag 1989:253) and
  midsummer, Christmas and New Year's eves, from the maintained ``holidays`` library.
- ``regular_hours(unit, on)`` -> ``{weekday: [OpeningPeriod, ...]}`` (0 = Monday): the
  regular weekly hours valid on ``on``, for a summary such as "Mon-Fri 9-16, Wed 17-20".

Each function costs a fixed number of queries whatever the length of the period.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import holidays
from django.db.models import Q

from activities.models import ClosureDay, ExtraOpening, OpeningHours, Session
from lotsen.models import Unit

ONE_DAY = datetime.timedelta(days=1)
# The words the week page shows for the flags; a note of just that word says nothing more.
_FLAG_WORDS = {"helgöppet": "is_weekend_opening", "kvällsöppet": "is_evening_opening"}


@dataclass(frozen=True)
class OpeningPeriod:
    opens: datetime.time
    closes: datetime.time
    note: str = ""
    extra: bool = False  # an extra opening on this date, not the regular hours


@dataclass(frozen=True)
class CalendarDay:
    date: datetime.date
    periods: tuple[OpeningPeriod, ...]
    holiday: str  # the public holiday or eve (L8), "" otherwise
    closure_reason: str  # the unit's own closure day (L8), "" otherwise
    evening_from: datetime.time

    @property
    def is_open(self) -> bool:
        return bool(self.periods)

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5

    @property
    def is_evening_opening(self) -> bool:
        """R16: open after the unit's evening time (e.g. one evening a week)."""
        return any(p.closes > self.evening_from for p in self.periods)

    @property
    def is_weekend_opening(self) -> bool:
        return self.is_open and self.is_weekend

    @property
    def noted_periods(self) -> list[tuple[OpeningPeriod, str]]:
        """Each period with the note worth showing beside the day's evening/weekend flags:
        a note that only repeats a flag ("Helgöppet" on a weekend opening) is left out."""
        said = {word for word, flag in _FLAG_WORDS.items() if getattr(self, flag)}
        return [(p, "" if p.note.strip(" .!").casefold() in said else p.note) for p in self.periods]


@dataclass(frozen=True)
class OpeningCounts:
    year: int
    open_days: int
    commissioned_open_days: int | None  # R16: 230 for Lotsen
    evening_openings: int
    weekend_openings: int
    holidays_on_weekdays: int  # L8
    closure_days: int  # the unit's own closures on days it would have been open

    @property
    def open_days_missing(self) -> int:
        """Days still short of the commission (0 when it is met or there is none)."""
        if self.commissioned_open_days is None:
            return 0
        return max(0, self.commissioned_open_days - self.open_days)


def swedish_holidays(start: datetime.date, end: datetime.date) -> dict[datetime.date, str]:
    """L8: the days that close a weekday unit, with their Swedish names."""
    calendar = holidays.country_holidays(
        "SE",
        years=range(start.year, end.year + 1),
        categories=(holidays.PUBLIC, holidays.DE_FACTO),
        include_sundays=False,  # the library would otherwise call every Sunday a holiday
        language="sv",
    )
    return {day: name for day, name in sorted(calendar.items()) if start <= day <= end}


def opening_days(unit: Unit, start: datetime.date, end: datetime.date) -> list[CalendarDay]:
    """Every date in [start, end] with its opening periods; three queries in all.

    A closure day closes the unit; a public holiday or eve closes it unless an extra
    opening is recorded for that date; otherwise the regular hours plus extra openings.
    """
    regular = list(
        OpeningHours.objects.filter(unit=unit)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start))
    )
    closures = dict(
        ClosureDay.objects.filter(unit=unit, date__range=(start, end)).values_list("date", "reason")
    )
    extras: dict[datetime.date, list[OpeningPeriod]] = {}
    for extra in ExtraOpening.objects.filter(unit=unit, date__range=(start, end)):
        extras.setdefault(extra.date, []).append(
            OpeningPeriod(extra.opens, extra.closes, extra.note, extra=True)
        )
    named_holidays = swedish_holidays(start, end)
    days = []
    day = start
    while day <= end:
        periods: list[OpeningPeriod] = []
        if day not in closures:
            if day not in named_holidays:
                periods = [
                    OpeningPeriod(r.opens, r.closes)
                    for r in regular
                    if r.weekday == day.weekday() and _valid_on(r, day)
                ]
            periods = sorted([*periods, *extras.get(day, [])], key=lambda p: p.opens)
        days.append(
            CalendarDay(
                date=day,
                periods=tuple(periods),
                holiday=named_holidays.get(day, ""),
                closure_reason=closures.get(day, ""),
                evening_from=unit.evening_from,
            )
        )
        day += ONE_DAY
    return days


def _valid_on(hours: OpeningHours, day: datetime.date) -> bool:
    return (hours.valid_from is None or hours.valid_from <= day) and (
        hours.valid_until is None or hours.valid_until >= day
    )


def regular_hours(unit: Unit, on: datetime.date) -> dict[int, list[OpeningPeriod]]:
    """The regular weekly opening periods valid on `on`, by weekday; one query."""
    week: dict[int, list[OpeningPeriod]] = {}
    for hours in OpeningHours.objects.filter(unit=unit).order_by("weekday", "opens"):
        if _valid_on(hours, on):
            week.setdefault(hours.weekday, []).append(OpeningPeriod(hours.opens, hours.closes))
    return week


def opening_counts(unit: Unit, year: int) -> OpeningCounts:
    """R16/L8: open days of the year against the commission, evenings and weekends."""
    return opening_year(unit, year)[1]


def opening_year(unit: Unit, year: int) -> tuple[list[CalendarDay], OpeningCounts]:
    """The days of the year (`opening_days`) and their counts (`opening_counts`) at once."""
    days = opening_days(unit, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    regular_weekdays = set(OpeningHours.objects.filter(unit=unit).values_list("weekday", flat=True))
    counts = OpeningCounts(
        year=year,
        open_days=sum(d.is_open for d in days),
        commissioned_open_days=unit.commissioned_open_days,
        evening_openings=sum(d.is_evening_opening for d in days),
        weekend_openings=sum(d.is_weekend_opening for d in days),
        holidays_on_weekdays=sum(bool(d.holiday) and not d.is_weekend for d in days),
        closure_days=sum(
            bool(d.closure_reason) and d.date.weekday() in regular_weekdays for d in days
        ),
    )
    return days, counts


def upcoming_sessions(
    unit: Unit, start: datetime.date, days: int, *, public_only: bool = False
) -> list[Session]:
    """Sessions of the unit's activities in [start, start + days); cancelled ones flagged."""
    sessions = (
        Session.objects.filter(activity__unit=unit)
        .between(start, start + datetime.timedelta(days=days - 1))
        .select_related("activity__programme")
        .order_by("date", "starts_at", "activity__title")
    )
    if public_only:
        sessions = sessions.filter(activity__is_public=True)
    return list(sessions)
