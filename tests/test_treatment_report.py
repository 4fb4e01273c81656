"""One count of completed treatment and of evening sessions in the monthly statement, the
annual report and its chart (R20, R23, R25), and a confirmed month whose attendance changed
afterwards shows it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.services import attendance_mark
from lotsen.models import Role
from reporting.charts import report_charts
from reporting.figures import annual_figures
from reporting.indicators import course_completed_share
from tests.factories import TODAY, make_course, make_participant, make_staff
from treatment.models import CourseOutcome, EarlyEndReason, IndividualKind
from treatment.results import _group_of
from treatment.services import course_join, course_leave, individual_session_record
from treatment.statement import month_figures, statement_confirm

pytestmark = pytest.mark.django_db

SEPTEMBER = datetime.date(2026, 9, 7)  # a Monday; the six weeks end on 18 October
CHANGED = "Närvaron för månaden har ändrats sedan redovisningen bekräftades."


@pytest.fixture
def boss(beroende):  # type: ignore[no-untyped-def]
    return make_staff("lena", beroende, Role.MANAGER, first_name="Lena")


@pytest.fixture
def five_who_left(twelve_step, beroende, maria):  # type: ignore[no-untyped-def]
    """Three completed, one went on to extended treatment, one ended early."""
    course = make_course(twelve_step, by=maria, start=SEPTEMBER)
    people = [
        course_join(course=course, participant=make_participant(beroende), on=SEPTEMBER, by=maria)[
            0
        ]
        for _ in range(5)
    ]
    for m, outcome in zip(
        people,
        [CourseOutcome.COMPLETED] * 3 + [CourseOutcome.MOVED_TO_EXTENDED],
        strict=False,
    ):
        course_leave(membership=m, on=course.end_date, outcome=outcome, by=maria)
    course_leave(
        membership=people[4],
        on=SEPTEMBER + datetime.timedelta(days=10),
        outcome=CourseOutcome.ENDED_EARLY,
        early_reason=EarlyEndReason.RELAPSE,
        by=maria,
    )
    return people


def test_r23_going_on_to_extended_treatment_is_completed_treatment_everywhere(
    five_who_left, beroende
) -> None:
    f = annual_figures(unit=beroende, year=2026, today=TODAY)
    primary = next(r for r in f.treatment.rows if r.courses_started)
    assert (primary.completed, primary.moved_on, primary.ended_early) == (4, 1, 1)
    assert f.treatment.left == 5
    assert f.treatment.completed_share == Decimal("80.0") == Decimal(100) * 4 / 5
    assert (
        course_completed_share(beroende, datetime.date(2026, 1, 1), TODAY)
        == f.treatment.completed_share
    )
    # The places end as completed treatment, not as another service.
    assert dict(f.outcomes) == {"genomförd behandling": 4, "avslutad i förtid": 1}
    # L4: both counts are under 5, so the report draws no chart of them.
    assert "Vart avslutade platser ledde" not in [c.title for c in report_charts(f, [])]
    # The results split by "completed or not" counts the person who went on as completed.
    moved = five_who_left[3]
    moved.refresh_from_db()
    assert _group_of(moved, "completed") == "genomförd"
    assert moved.place.outcome == "completed"


def test_r16_evening_sessions_are_counted_alike_in_the_month_and_the_year(
    twelve_step, beroende, maria
) -> None:
    person = make_participant(beroende)
    for day, hour in ((5, 18), (6, 10), (13, 17)):
        individual_session_record(
            participant=person,
            programme=twelve_step,
            date=datetime.date(2026, 10, day),
            starts_at=datetime.time(hour),
            minutes=45,
            kind=IndividualKind.INDIVIDUAL,
            therapist=maria,
            today=TODAY,
            by=maria,
        )
    evening_course = make_course(
        twelve_step,
        by=maria,
        start=datetime.date(2026, 10, 26),
        starts_at=datetime.time(17, 30),
        ends_at=datetime.time(19),
    )
    assert evening_course.activity.sessions.filter(date__lte=TODAY).count() == 2 + 7
    october = month_figures(unit=beroende, month=datetime.date(2026, 10, 1), today=TODAY)
    november = month_figures(unit=beroende, month=datetime.date(2026, 11, 1), today=TODAY)
    assert (october["evening_sessions"], november["evening_sessions"]) == (2 + 2, 7)
    f = annual_figures(unit=beroende, year=2026, today=TODAY)
    assert f.treatment.evening_sessions == 4 + 7


def _queries(client, url: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).content.decode()
    return len(captured), page


def test_r25_a_confirmed_month_whose_attendance_changed_says_so(
    client, twelve_step, beroende, maria, boss
) -> None:
    course = make_course(twelve_step, by=maria, start=SEPTEMBER)
    people = [
        course_join(course=course, participant=make_participant(beroende), on=SEPTEMBER, by=maria)[
            0
        ].participant
        for _ in range(3)
    ]
    session = course.activity.sessions.get(date=datetime.date(2026, 10, 5))
    attendance_mark(session=session, participant=people[0], by=maria, today=TODAY)
    statement_confirm(unit=beroende, month=session.date, reason="", today=TODAY, by=boss)
    client.force_login(boss)
    page_url = reverse(
        "treatment:statement", kwargs={"unit": beroende.slug, "year": 2026, "month": 10}
    )
    list_url = reverse("treatment:statements", kwargs={"unit": beroende.slug}) + "?ar=2026"
    page_queries, page = _queries(client, page_url)
    list_queries, listing = _queries(client, list_url)
    assert CHANGED not in page and "närvaron har ändrats" not in listing
    # Marks of a past day in the month are still taken, after the confirmation.
    for person in people[1:]:
        attendance_mark(session=session, participant=person, by=maria, today=TODAY)
    assert _queries(client, page_url)[0] == page_queries
    assert _queries(client, list_url)[0] == list_queries
    page = client.get(page_url).content.decode()
    assert CHANGED in page and "Bekräfta en rättelse om den ska gälla." in page
    assert "Deltagarnärvaro vid grupptillfällen" in page.split(CHANGED)[1].split("</table>")[0]
    listing = client.get(list_url).content.decode()
    assert "närvaron har ändrats sedan dess" in listing
    # A correction takes the live figures: the notice goes.
    statement_confirm(
        unit=beroende, month=session.date, reason="Sena markeringar", today=TODAY, by=boss
    )
    assert CHANGED not in client.get(page_url).content.decode()
    assert "närvaron har ändrats" not in client.get(list_url).content.decode()
