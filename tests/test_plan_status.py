"""R13, R14, R7: each plan status is defined once in SQL (the places' QuerySet, used by the
reminders, the unit's plan list and the home page) and once in Python for one place (the
pages); here the two must agree on the edge dates, place by place."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from lotsen.models import Unit
from participants.models import Enrolment, EnrolmentQuerySet, Outcome
from participants.models.plan_status import PlanStatus
from plans.services import plan_places
from tests.factories import make_participant, make_place, make_plan

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = datetime.timedelta(days=1)

Sql = Callable[[EnrolmentQuerySet, datetime.date], EnrolmentQuerySet]
Python = Callable[[Enrolment, datetime.date], bool]


def _status_is(status: PlanStatus) -> Python:
    return lambda place, on: place.plan_status(on) == status


KINDS: dict[str, tuple[Sql, Python]] = {
    "running": (lambda qs, on: qs.running_on(on), lambda p, on: p.is_running_on(on)),
    "overdue": (lambda qs, on: qs.plan_overdue(on=on), _status_is(PlanStatus.OVERDUE)),
    "due_soon": (lambda qs, on: qs.plan_due_soon(on=on), _status_is(PlanStatus.DUE_SOON)),
    "on_time": (lambda qs, on: qs.plan_on_time(on=on), _status_is(PlanStatus.ON_TIME)),
    "missing": (lambda qs, on: qs.plan_missing(on=on), _status_is(PlanStatus.MISSING)),
    "renewal": (lambda qs, on: qs.renewal_due(on=on), lambda p, on: p.is_renewal_due(on)),
    "ending": (
        lambda qs, on: qs.reaching_longest_duration(on=on),
        lambda p, on: p.duration_warning(on) is not None,
    ),
}


@dataclass(frozen=True)
class Place:
    programme: str  # a fixture name
    start: datetime.date
    end: datetime.date | None = None
    plan_on: datetime.date | None = None  # the plan established
    follow_up_on: datetime.date | None = None
    outcome: str = ""


# Each place, an edge day, and the kinds it has the day before, on, and after that day.
# The defaults: due soon 7 days, a plan missing after 14 days, R7 warned 3 months ahead.
# Förstegsträning: follow-up every 3 months, renewal 12 months, longest 2 years; Team ISA
# every 6 weeks; 12-steg at most 6 weeks and no plan; Basverksamhet neither.
CASES = [
    pytest.param(
        Place("training", D(2026, 1, 1), plan_on=D(2026, 8, 23)),
        D(2026, 11, 23),
        ("running due_soon", "running due_soon", "running overdue"),
        id="r13-follow-up-due-on-the-day",
    ),
    pytest.param(
        Place("isa", D(2026, 10, 1), plan_on=D(2026, 10, 12)),
        D(2026, 11, 23),
        ("running due_soon", "running due_soon", "running overdue"),
        id="r13-team-isa-six-weeks-due-on-the-day",
    ),
    pytest.param(
        Place("training", D(2026, 1, 1), plan_on=D(2026, 8, 30)),
        D(2026, 11, 23),
        ("running on_time", "running due_soon", "running due_soon"),
        id="r13-due-date-enters-the-due-soon-window",
    ),
    pytest.param(
        Place("training", D(2026, 1, 1), plan_on=D(2026, 8, 31)),
        D(2026, 11, 30),
        ("running due_soon", "running due_soon", "running overdue"),
        id="r13-month-end-clamps-the-due-date-to-30-november",
    ),
    pytest.param(
        Place("training", D(2026, 11, 9)),
        D(2026, 11, 23),
        ("running", "running", "running missing"),
        id="r13-plan-missing-after-the-grace-days",
    ),
    pytest.param(
        Place("drop_in", D(2026, 1, 1)),
        D(2026, 11, 23),
        ("running", "running", "running"),
        id="r13-no-plan-needed-without-follow-ups",
    ),
    pytest.param(
        Place("training", D(2026, 1, 1), end=D(2026, 11, 23), plan_on=D(2026, 1, 5)),
        D(2026, 11, 23),
        ("running overdue", "running overdue", ""),
        id="r13-place-ends-on-the-day",
    ),
    pytest.param(
        Place(
            "training",
            D(2026, 1, 1),
            end=D(2026, 12, 31),
            plan_on=D(2026, 1, 5),
            outcome=Outcome.EMPLOYMENT,
        ),
        D(2026, 11, 23),
        ("", "", ""),
        id="r11-outcome-recorded-before-the-end-date",
    ),
    pytest.param(
        Place("training", D(2026, 11, 24), plan_on=D(2026, 11, 20)),
        D(2026, 11, 24),
        ("", "running on_time", "running on_time"),
        id="r13-place-with-plan-starts-on-the-day",
    ),
    pytest.param(
        Place("training", D(2026, 11, 24)),
        D(2026, 11, 24),
        ("", "running", "running"),
        id="r13-place-without-plan-starts-on-the-day",
    ),
    pytest.param(
        Place("training", D(2025, 11, 1), plan_on=D(2025, 11, 30), follow_up_on=D(2026, 11, 1)),
        D(2026, 11, 23),
        ("running on_time", "running on_time renewal", "running on_time renewal"),
        id="r14-renewal-enters-the-due-soon-window",
    ),
    pytest.param(
        Place("training", D(2025, 11, 1), plan_on=D(2025, 11, 30), follow_up_on=D(2026, 11, 1)),
        D(2026, 11, 30),
        ("running on_time renewal",) * 3,
        id="r14-renewal-stays-until-done",
    ),
    pytest.param(
        Place("training", D(2025, 2, 24), plan_on=D(2026, 11, 1)),
        D(2026, 11, 23),
        ("running on_time", "running on_time ending", "running on_time ending"),
        id="r7-three-months-before-the-longest-duration",
    ),
    pytest.param(
        Place("training", D(2025, 3, 1), plan_on=D(2026, 11, 1)),
        D(2026, 11, 28),
        ("running on_time", "running on_time ending", "running on_time ending"),
        id="r7-ends-28-february",
    ),
    pytest.param(
        Place("training", D(2025, 3, 2), plan_on=D(2026, 11, 1)),
        D(2026, 12, 1),
        ("running on_time", "running on_time ending", "running on_time ending"),
        id="r7-month-end-clamps-the-warning-30-november-reaches-28-february-only",
    ),
    pytest.param(
        Place("training", D(2026, 3, 1), plan_on=D(2027, 11, 1)),
        D(2027, 11, 29),
        ("running on_time", "running on_time ending", "running on_time ending"),
        id="r7-ends-29-february-in-a-leap-year",
    ),
    pytest.param(
        Place("twelve_step", D(2026, 11, 24)),
        D(2026, 11, 24),
        ("", "running ending", "running ending"),
        id="r7-six-week-programme-warned-from-its-start",
    ),
]


@pytest.fixture(autouse=True)
def _windows(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PLAN_DUE_SOON_DAYS = 7
    settings.PLAN_MISSING_AFTER_DAYS = 14
    settings.DURATION_WARNING_MONTHS = 3


@pytest.fixture
def build(request, lotsen, anna):  # type: ignore[no-untyped-def]
    def build(spec: Place) -> Enrolment:
        programme = request.getfixturevalue(spec.programme)
        place = make_place(
            make_participant(lotsen), programme, contact_person=anna, start=spec.start, end=spec.end
        )
        if spec.plan_on is not None:
            plan = make_plan(place, established_on=spec.plan_on, by=anna)
            if spec.follow_up_on is not None:
                plan.record_follow_up(on=spec.follow_up_on, by=anna)
        if spec.outcome:
            Enrolment.objects.filter(pk=place.pk).update(outcome=spec.outcome)
        return place

    return build


def _sql(on: datetime.date) -> dict[str, set[int]]:
    """For each kind, the places its QuerySet method returns on `on`."""
    return {
        kind: set(sql(Enrolment.objects.all(), on).values_list("pk", flat=True))
        for kind, (sql, _python) in KINDS.items()
    }


def _python(on: datetime.date) -> dict[str, set[int]]:
    """For each kind, the places whose Python status says so on `on`."""
    places = list(Enrolment.objects.select_related("programme"))
    return {
        kind: {place.pk for place in places if python(place, on)}
        for kind, (_sql, python) in KINDS.items()
    }


@pytest.mark.parametrize(("spec", "edge", "expected"), CASES)
def test_r13_r14_r7_sql_and_python_status_agree_on_the_edge_dates(
    build, spec: Place, edge: datetime.date, expected: tuple[str, str, str]
) -> None:
    """The day before, on and after each edge: the set of places each SQL method returns
    is the set whose Python status says so, and both are what the rule says."""
    place = build(spec)
    for on, kinds in zip((edge - DAY, edge, edge + DAY), expected, strict=True):
        sql, python = _sql(on), _python(on)
        assert sql == python, on
        assert {kind for kind, pks in sql.items() if place.pk in pks} == set(kinds.split()), on


def test_r13_r14_r7_sql_and_python_agree_for_all_edge_places_together(build) -> None:
    """All the edge places in one table, every edge day and the days around it."""
    days: set[datetime.date] = set()
    for spec, edge, _expected in (case.values for case in CASES):
        build(spec)
        days |= {edge - DAY, edge, edge + DAY}
    for on in sorted(days):
        assert _sql(on) == _python(on), on


def test_r13_the_list_filter_is_the_status_column(build, lotsen) -> None:
    """The unit's plan list filters by PlanStatus with the same methods, so every row under
    a status filter shows that status."""
    for spec, _edge, _expected in (case.values for case in CASES):
        build(spec)
    on = D(2026, 11, 24)
    units = Unit.objects.filter(pk=lotsen.pk)
    shown = set()
    for status in PlanStatus:
        if status == PlanStatus.NONE:
            continue
        rows = plan_places(units=units, today=on, filters={"status": status})
        assert {place.plan_status(on) for place in rows} <= {status}
        shown |= {place.pk for place in rows}
    everything = plan_places(units=units, today=on, filters={})
    assert shown == {p.pk for p in everything if p.plan_status(on) != PlanStatus.NONE}


def test_l2_places_for_a_users_units_only(build, anna, henrik) -> None:
    place = build(Place("training", D(2026, 1, 1)))
    assert list(Enrolment.objects.for_user_units(anna)) == [place]
    assert not Enrolment.objects.for_user_units(henrik).exists()
