"""R23: the results page by course type, completed or not, age band, gender and group,
exported as CSV and XLSX with groups of fewer than five people suppressed in both."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import TODAY, make_course, make_participant
from treatment.models import CourseOutcome, Measure, Stage
from treatment.results import measurement_record, results
from treatment.services import course_join, course_leave

pytestmark = pytest.mark.django_db


def _measured(course, person, by, intake, end, *, outcome=CourseOutcome.COMPLETED):  # type: ignore[no-untyped-def]
    membership, _ = course_join(course=course, participant=person, on=course.start_date, by=by)
    audit = Measure.objects.get(slug="audit")
    for stage, value in ((Stage.objects.get(name="Inskrivning"), intake), (None, end)):
        if stage is None:
            course_leave(
                membership=membership,
                on=course.end_date,
                outcome=outcome,
                early_reason="relapse" if outcome == CourseOutcome.ENDED_EARLY else "",
                by=by,
            )
            stage = Stage.objects.get(name="Kursens slut")
        measurement_record(
            membership=membership,
            stage=stage,
            measured_on=course.end_date if stage.anchor == "end" else course.start_date,
            values={audit: str(value)},
            today=TODAY,
            by=by,
        )
    return membership


@pytest.fixture
def measured(twelve_step, beroende, maria):  # type: ignore[no-untyped-def]
    """Six women who completed (AUDIT 20 -> 10) and two men who ended early (30 -> 28)."""
    course = make_course(
        twelve_step, by=maria, start=TODAY - datetime.timedelta(weeks=8), name="Vårgruppen"
    )
    for _ in range(6):
        _measured(course, make_participant(beroende, gender="woman"), maria, 20, 10)
    for _ in range(2):
        person = make_participant(beroende, gender="man")
        _measured(course, person, maria, 30, 28, outcome=CourseOutcome.ENDED_EARLY)
    return course


def _audit(cells):  # type: ignore[no-untyped-def]
    return {c.group: c for c in cells if c.measure.startswith("AUDIT")}


def test_r23_results_by_gender_completed_and_age_band(measured, beroende) -> None:
    by_gender = _audit(results(unit=beroende, dimension="gender"))
    assert by_gender["kvinna"].n == 6 and by_gender["kvinna"].change == -10
    assert by_gender["man"].suppressed and by_gender["man"].change is None
    by_outcome = _audit(results(unit=beroende, dimension="completed"))
    assert by_outcome["genomförd"].change == -10 and by_outcome["inte genomförd"].suppressed
    by_age = _audit(results(unit=beroende, dimension="age"))
    assert sum(c.n for c in by_age.values()) == 8
    by_course = _audit(results(unit=beroende, dimension="course"))
    assert by_course["Vårgruppen"].n == 8 and by_course["Vårgruppen"].intake == 22.5


def test_r23_csv_and_xlsx_exports_suppress_small_groups(
    client, measured, beroende, maria, henrik
) -> None:
    url = reverse("treatment:results", kwargs={"unit": beroende.slug})
    assert client.get(url, {"format": "xlsx"}).status_code == 302
    client.force_login(henrik)
    assert client.get(url, {"format": "xlsx"}).status_code == 404
    client.force_login(maria)
    response = client.get(url, {"efter": "gender", "format": "csv"})
    body = response.content.decode()
    assert body.startswith("\ufeff")  # Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert rows[0][0] == "Kön"
    women = next(r for r in rows if r[0] == "kvinna" and r[2].startswith("AUDIT"))
    men = next(r for r in rows if r[0] == "man" and r[2].startswith("AUDIT"))
    assert women[3:] == ["6", "20,0", "10,0", "-10,0"]  # a decimal comma, as Excel reads it
    assert men[3:] == ["färre än 5", "", "", ""]
    response = client.get(url, {"efter": "gender", "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Kön"
    women = next(r for r in values if r[0] == "kvinna" and r[2].startswith("AUDIT"))
    men = next(r for r in values if r[0] == "man" and r[2].startswith("AUDIT"))
    assert women[3:] == [6, 20.0, 10.0, -10.0]
    assert men[3:] == ["färre än 5", None, None, None]
    page = client.get(url, {"efter": "gender"}).content.decode()
    assert "format=xlsx" in page and "färre än 5, visas inte" in page


def test_r20_the_annual_report_counts_the_results_of_the_years_courses(measured, beroende) -> None:
    started = measured.start_date.year
    assert _audit(results(unit=beroende, dimension="gender", started_in=started))["kvinna"].n == 6
    assert results(unit=beroende, dimension="gender", started_in=started - 1) == []


def test_r23_choice_measures_show_the_share_giving_each_answer(twelve_step, beroende, maria):  # type: ignore[no-untyped-def]
    """Housing: six people, none in their own home at intake, four of them at the end."""
    housing = Measure.objects.get(slug="housing")
    homeless, own = housing.choice_list[-1], housing.choice_list[0]
    course = make_course(twelve_step, by=maria, start=TODAY - datetime.timedelta(weeks=8))
    intake, end = Stage.objects.get(name="Inskrivning"), Stage.objects.get(name="Kursens slut")
    for i in range(6):
        membership, _ = course_join(
            course=course, participant=make_participant(beroende), on=course.start_date, by=maria
        )
        for stage, answer, day in (
            (intake, homeless, course.start_date),
            (end, own if i < 4 else homeless, course.end_date),
        ):
            measurement_record(
                membership=membership,
                stage=stage,
                measured_on=day,
                values={housing: answer},
                today=TODAY,
                by=maria,
            )
    cells = {c.measure: c for c in results(unit=beroende, dimension="programme")}
    own_home = cells[f"Boende: {own} (%)"]
    assert (own_home.n, own_home.intake, own_home.later) == (6, 0, Decimal("66.7"))
    assert cells[f"Boende: {homeless} (%)"].change == Decimal("-66.7")


def test_r20_a_past_years_report_uses_only_what_was_measured_that_year(
    twelve_step, beroende, maria
) -> None:
    """Last year's report stays as it stood at the year's end: a follow-up measured this
    year changes neither the report's cells nor a report made again."""
    from reporting.services import report_context

    course = make_course(twelve_step, by=maria, start=datetime.date(2025, 10, 6), name="Hösten")
    follow_up = Stage.objects.get(name="Uppföljning 3 månader")
    audit = Measure.objects.get(slug="audit")
    memberships = [
        _measured(course, make_participant(beroende, gender="woman"), maria, 20, 10)
        for _ in range(5)
    ]
    before = report_context(unit=beroende, year=2025, today=TODAY)["results"]
    assert {c.stage for c in _audit(before).values()} == {"Kursens slut"}
    for membership in memberships:
        measurement_record(
            membership=membership,
            stage=follow_up,
            measured_on=datetime.date(2026, 2, 20),
            values={audit: "8"},
            today=TODAY,
            by=maria,
        )
    assert report_context(unit=beroende, year=2025, today=TODAY)["results"] == before
    # The results page, not tied to a year, shows the follow-up.
    now = results(unit=beroende, dimension="programme")
    assert any(c.stage == follow_up.name and c.n == 5 for c in now)
