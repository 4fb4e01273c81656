"""The one definition of a place's plan status (R13, R14) and its R7 warning, in SQL.

The statuses are methods of the places' QuerySet, not the plans': the plan's schedule is
copied onto the place (decision 0008), so the daily reminders rank a million places from
this one table, and a place without a plan (R13 "missing") has no plan row to query.
`Enrolment.plan_status()` and friends say the same of one place in Python, with the same
window helpers below; tests/test_plan_status.py checks that the two agree on edge dates.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Self

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lotsen.models import Programme

if TYPE_CHECKING:
    # Named by the string in PlanStatusQuerySet's base, for mypy.
    from participants.models import Enrolment  # noqa: F401


class PlanStatus(models.TextChoices):
    """Where a running place's plan stands on a day (R13); the labels of the unit's list."""

    OVERDUE = "overdue", _("Försenad")
    DUE_SOON = "due_soon", _("Snart")
    ON_TIME = "on_time", _("I tid")
    MISSING = "missing", _("Plan saknas")
    # No plan status: a place that needs no plan, is not running, or whose plan is still
    # within the grace days (lists of places that need a plan show it as new).
    NONE = "", _("Ny plats, plan skrivs")


def due_soon_until(on: datetime.date) -> datetime.date:
    """The last follow-up (or renewal) date that counts as due soon on `on`."""
    return on + datetime.timedelta(days=settings.PLAN_DUE_SOON_DAYS)


def missing_if_started_before(on: datetime.date) -> datetime.date:
    """R13: a place that started before this day and has no plan is missing one on `on`."""
    return on - datetime.timedelta(days=settings.PLAN_MISSING_AFTER_DAYS)


def longest_duration_warned_until(on: datetime.date) -> datetime.date:
    """R7: places whose longest duration ends on or before this day are warned of on `on`."""
    return on + relativedelta(months=settings.DURATION_WARNING_MONTHS)


def latest_start_reaching_limit(programme: Programme, on: datetime.date) -> datetime.date:
    """R7: the latest start date whose longest duration ends within the warning on `on`.

    latest_end is monotonic in the start date, so the threshold is found from an estimate
    by a few steps; month ends clamp exactly as in Programme.latest_end."""
    near = longest_duration_warned_until(on)
    length = programme.max_duration or 0
    unit = programme.max_duration_unit
    day = near - relativedelta(
        months=length if unit == "months" else 0, weeks=length if unit == "weeks" else 0
    )
    day -= datetime.timedelta(days=7)
    while (end := programme.latest_end(day + datetime.timedelta(days=1))) and end <= near:
        day += datetime.timedelta(days=1)
    return day


class PlanStatusQuerySet(models.QuerySet["Enrolment"]):
    """Chainable: `Enrolment.objects.filter(contact_person=u).plan_overdue(on=day)`. Each
    status includes "running", so it is complete on its own."""

    def running_on(self, day: datetime.date) -> Self:
        """Places that have started, have not passed their end date, and have no outcome
        recorded yet (R11)."""
        return self.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day, outcome=""
        )

    def needing_plan(self, programmes: Iterable[Programme] | None = None) -> Self:
        """R13: places in a programme with a follow-up interval. With `programmes` (all of
        them, already read) the ids are in the query, so the planner can use the index of
        places without a plan rather than join the programmes."""
        if programmes is None:
            return self.filter(
                programme__in=Programme.objects.filter(follow_up_interval__isnull=False)
            )
        return self.filter(programme__in=[p.pk for p in programmes if p.requires_plan])

    def plan_overdue(self, *, on: datetime.date) -> Self:
        """R13: the next follow-up was due before `on`."""
        return self.running_on(on).filter(plan_follow_up_due__lt=on)

    def plan_due_soon(self, *, on: datetime.date) -> Self:
        """R13: the next follow-up is due from `on` to the end of the due-soon window."""
        return self.running_on(on).filter(plan_follow_up_due__range=(on, due_soon_until(on)))

    def plan_on_time(self, *, on: datetime.date) -> Self:
        return self.running_on(on).filter(plan_follow_up_due__gt=due_soon_until(on))

    def plan_missing(
        self, *, on: datetime.date, programmes: Iterable[Programme] | None = None
    ) -> Self:
        """R13: a place that needs a plan has none after the grace days."""
        return (
            self.running_on(on)
            .needing_plan(programmes)
            .filter(has_plan=False, start_date__lt=missing_if_started_before(on))
        )

    def with_plan_status(self, status: str, *, on: datetime.date) -> Self:
        """The places with this PlanStatus (not NONE) on `on`."""
        by_status: dict[PlanStatus, Callable[..., Self]] = {
            PlanStatus.OVERDUE: self.plan_overdue,
            PlanStatus.DUE_SOON: self.plan_due_soon,
            PlanStatus.ON_TIME: self.plan_on_time,
            PlanStatus.MISSING: self.plan_missing,
        }
        return by_status[PlanStatus(status)](on=on)

    def renewal_due(self, *, on: datetime.date) -> Self:
        """R14: the plan must be renewed by the end of the due-soon window (or already)."""
        return self.running_on(on).filter(plan_renewal_due__lte=due_soon_until(on))

    def reaching_longest_duration(
        self, *, on: datetime.date, programmes: Iterable[Programme] | None = None
    ) -> Self:
        """R7: the place's longest duration ends within the warning months. A start-date
        threshold per programme (`programmes`, read when not given), so exact in SQL."""
        if programmes is None:
            programmes = Programme.objects.filter(max_duration__isnull=False)
        reaching = reduce(
            or_,
            (
                Q(programme=p.pk, start_date__lte=latest_start_reaching_limit(p, on))
                for p in programmes
                if p.max_duration is not None
            ),
            Q(pk__in=[]),
        )
        return self.running_on(on).filter(reaching)
