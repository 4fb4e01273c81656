"""Trainees' hours per week against their planned hours and the programme's minimum (R6).

About places, so it lives with them; the attendance sheet (activities) records the visits.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lotsen.models import Programme
from lotsen.together import prefetched_each, read_together
from participants.models import Enrolment, EnrolmentQuerySet, HoursChange, Visit

ONE_WEEK = datetime.timedelta(days=7)


@dataclass
class TrainingWeek:
    monday: datetime.date
    planned: Decimal
    attended: Decimal
    below_minimum: bool


@dataclass
class TrainingAttendance:
    place: Enrolment
    weeks: list[TrainingWeek]

    @property
    def weeks_below_in_a_row(self) -> int:
        """Complete weeks below the minimum, counted back from the latest (R6)."""
        streak = 0
        for week in reversed(self.weeks):
            if not week.below_minimum:
                break
            streak += 1
        return streak

    @property
    def flagged(self) -> bool:
        limit = self.place.programme.low_attendance_weeks
        return limit is not None and self.weeks_below_in_a_row >= limit


def training_window(today: datetime.date, weeks: int = 8) -> tuple[datetime.date, datetime.date]:
    """The first Monday of the `weeks` complete weeks before `today`'s, and that Monday."""
    this_monday = today - datetime.timedelta(days=today.weekday())
    return this_monday - weeks * ONE_WEEK, this_monday


def training_attendance(
    places: EnrolmentQuerySet, *, today: datetime.date, weeks: int = 8
) -> list[TrainingAttendance]:
    """Attended against planned hours per complete week for trainees' places (R6).

    Only weeks the place covers entirely count; three queries whatever the number of places.
    """
    first_monday, this_monday = training_window(today, weeks)
    in_window = places.filter(programme__is_work_training=True).overlapping(
        first_monday, this_monday - datetime.timedelta(days=1)
    )
    # Subqueries rather than lists of ids, so that the count of queries never depends on
    # whether there are places at all.
    rows = list(in_window.select_related("participant", "programme", "contact_person"))
    changes: dict[int, list[HoursChange]] = {}
    for change in HoursChange.objects.filter(enrolment__in=in_window.values("pk")):
        changes.setdefault(change.enrolment_id, []).append(change)
    visits = Visit.objects.filter(
        date__gte=first_monday,
        date__lt=this_monday,
        programme__is_work_training=True,
        participant__in=in_window.values("participant_id"),
    ).values_list("participant_id", "programme_id", "date", "hours")
    return _attendance(rows, changes, visits, first_monday, weeks)


def training_weeks(
    places: Iterable[Enrolment],
    visits: Iterable[tuple[int, int, datetime.date, Decimal | None]],
    *,
    today: datetime.date,
    weeks: int = 8,
) -> list[TrainingAttendance]:
    """The same for places already read, latest start first, with their programme and
    prefetched hours changes, and their people's visits to work training within
    `training_window` (at least): no query."""
    first_monday, this_monday = training_window(today, weeks)
    last_sunday = this_monday - datetime.timedelta(days=1)
    rows = [
        p
        for p in places
        if p.programme.is_work_training
        and p.start_date <= last_sunday
        and (p.end_date is None or p.end_date >= first_monday)
    ]
    changes = {p.pk: list(p.hours_changes.all()) for p in rows}
    return _attendance(rows, changes, visits, first_monday, weeks)


def training_attendance_of(
    places: list[Enrolment], *, today: datetime.date, weeks: int = 8
) -> list[TrainingAttendance]:
    """The same for a few places already read with their programme, latest start first:
    their hours changes and their people's visits read together (one query, none without
    places)."""
    if not places:
        return []
    first_monday, this_monday = training_window(today, weeks)
    lists = read_together(
        changes=HoursChange.objects.filter(enrolment__in=[p.pk for p in places]),
        visits=Visit.objects.filter(
            date__gte=first_monday,
            date__lt=this_monday,
            programme__is_work_training=True,
            participant__in={p.participant_id for p in places},
        ),
    )
    prefetched_each(places, "hours_changes", lists["changes"], key="enrolment_id")
    visits = [(v.participant_id, v.programme_id, v.date, v.hours) for v in lists["visits"]]
    return training_weeks(places, visits, today=today, weeks=weeks)


def _attendance(
    rows: list[Enrolment],
    changes: dict[int, list[HoursChange]],
    visits: Iterable[tuple[int, int, datetime.date, Decimal | None]],
    first_monday: datetime.date,
    weeks: int,
) -> list[TrainingAttendance]:
    hours: dict[tuple[int, int, datetime.date], Decimal] = {}
    for person, programme, day, h in visits:
        key = (person, programme, day - datetime.timedelta(days=day.weekday()))
        hours[key] = hours.get(key, Decimal(0)) + (h or Decimal(0))
    result = []
    for place in rows:
        minimum = place.programme.min_hours_per_week
        place_weeks = []
        for n in range(weeks):
            monday = first_monday + n * ONE_WEEK
            sunday = monday + datetime.timedelta(days=6)
            if not (place.is_active_on(monday) and place.is_active_on(sunday)):
                continue
            attended = hours.get((place.participant_id, place.programme_id, monday), Decimal(0))
            below = minimum is not None and attended < minimum
            planned = _planned(place, changes.get(place.pk, []), monday)
            place_weeks.append(TrainingWeek(monday, planned, attended, below))
        result.append(TrainingAttendance(place, place_weeks))
    return result


def low_attendance_places(
    places: EnrolmentQuerySet,
    *,
    today: datetime.date,
    programmes: Iterable[Programme] | None = None,
) -> EnrolmentQuerySet:
    """The places `TrainingAttendance.flagged` would flag (R6), found in the database: the
    place covers each of the programme's last `low_attendance_weeks` complete weeks and
    none of them reached the minimum. One query however many places there are (`programmes`,
    read when not given, must include those of `places`); the few found are then shown with
    `training_attendance`."""
    this_monday = today - datetime.timedelta(days=today.weekday())
    flagged = Q(pk__in=[])
    if programmes is None:
        programmes = Programme.objects.filter(
            is_work_training=True,
            low_attendance_weeks__isnull=False,
            min_hours_per_week__isnull=False,
        )
    for programme in programmes:
        if not (
            programme.is_work_training
            and programme.low_attendance_weeks is not None
            and programme.min_hours_per_week is not None
        ):
            continue
        first = this_monday - (programme.low_attendance_weeks or 0) * ONE_WEEK
        enough = (
            Visit.objects.filter(
                participant=OuterRef("participant_id"),
                programme=programme,
                date__gte=first,
                date__lt=this_monday,
            )
            .annotate(week=TruncWeek("date"))
            .values("week")
            .annotate(total=Sum("hours"))
            .filter(total__gte=programme.min_hours_per_week)
        )
        flagged |= Q(programme=programme, start_date__lte=first) & ~Q(Exists(enough))
    return places.filter(flagged)


def _planned(place: Enrolment, changes: list[HoursChange], day: datetime.date) -> Decimal:
    """Like Enrolment.hours_on, from changes fetched for many places in one query."""
    hours = place.hours_per_week or Decimal(0)
    for change in sorted(changes, key=lambda c: c.from_date):
        if change.from_date <= day:
            hours = change.hours_per_week
    return hours


def low_attendance_message(row: TrainingAttendance) -> str:
    minimum = row.place.programme.min_hours_per_week or Decimal(0)
    return _("Under %(min)s timmar i veckan %(weeks)s veckor i rad.") % {
        "min": number_format(minimum, decimal_pos=0),
        "weeks": row.weeks_below_in_a_row,
    }
