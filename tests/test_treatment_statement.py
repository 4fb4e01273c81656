"""The monthly statement (R25), results (R23) and the treatment pages."""

from __future__ import annotations

import datetime
import subprocess
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities.services import attendance_mark
from lotsen.models import Role
from tests.factories import TODAY, make_course, make_participant, make_staff
from treatment.models import (
    Agreement,
    CourseOutcome,
    Measure,
    Measurement,
    PriceIndex,
    Stage,
    Statement,
)
from treatment.results import due_measurements, measurement_record, results
from treatment.services import course_join, course_leave
from treatment.statement import month_figures, statement_confirm, yearly_amount

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def boss(beroende):  # type: ignore[no-untyped-def]
    return make_staff("lena", beroende, Role.MANAGER, first_name="Lena")


def test_r25_index_changes_the_amount_at_new_year(beroende) -> None:
    agreement = Agreement.objects.get(unit=beroende)
    PriceIndex.objects.create(agreement=agreement, year=2022, percent=Decimal("2.0"))
    assert yearly_amount(agreement, 2021) == Decimal("1827000.00")
    assert yearly_amount(agreement, 2022) == Decimal("1863540.00")
    december = month_figures(unit=beroende, month=datetime.date(2021, 12, 1))
    january = month_figures(unit=beroende, month=datetime.date(2022, 1, 1))
    assert december["amount"] == "152250.00"
    assert january["amount"] == "155295.00"


def test_r25_sessions_and_attendance_of_a_month_with_a_holiday(twelve_step, beroende, maria):  # type: ignore[no-untyped-def]
    """Ascension Day 2026-05-14 (a Thursday) gets no session: 8 Tuesdays and Thursdays."""
    course = make_course(twelve_step, by=maria, start=datetime.date(2026, 5, 5), weekdays=[1, 3])
    people = [make_participant(beroende) for _ in range(3)]
    for person in people:
        course_join(course=course, participant=person, on=course.start_date, by=maria)
    sessions = list(course.activity.sessions.filter(date__month=5))
    assert datetime.date(2026, 5, 14) not in [s.date for s in sessions]
    for session in sessions:
        for person in people[: 2 if session.date.day % 2 else 3]:
            attendance_mark(session=session, participant=person, by=maria)
    figures = month_figures(unit=beroende, month=datetime.date(2026, 5, 1))
    assert figures["group_sessions"] == len(sessions) == 7
    expected = sum(2 if s.date.day % 2 else 3 for s in sessions)
    assert figures["attendances"] == expected
    assert figures["courses_started"] == 1 and figures["courses_completed"] == 0
    assert figures["agreed_groups"] == 2 and figures["agreed_group_max"] == 8


def test_r25_confirmed_statement_is_locked_and_corrected_in_versions(beroende, boss, maria) -> None:
    month = datetime.date(2026, 10, 1)
    with pytest.raises(ValidationError, match="Enhetschefen"):
        statement_confirm(unit=beroende, month=month, reason="", today=TODAY, by=maria)
    with pytest.raises(ValidationError, match="inte slut"):
        statement_confirm(unit=beroende, month=TODAY, reason="", today=TODAY, by=boss)
    first = statement_confirm(unit=beroende, month=month, reason="", today=TODAY, by=boss)
    with pytest.raises(ValidationError, match="redan bekräftad"):
        statement_confirm(unit=beroende, month=month, reason="", today=TODAY, by=boss)
    second = statement_confirm(
        unit=beroende, month=month, reason="Ett tillfälle saknades", today=TODAY, by=boss
    )
    assert (first.version, second.version) == (1, 2)
    assert Statement.objects.filter(unit=beroende, month=month).count() == 2


def test_r25_statement_pages_pdf_and_csv(client, beroende, boss, henrik) -> None:
    url = reverse("treatment:statement", kwargs={"unit": beroende.slug, "year": 2026, "month": 10})
    client.force_login(boss)
    assert "Utkast" in client.get(url).content.decode()
    client.post(
        reverse(
            "treatment:statement_confirm", kwargs={"unit": beroende.slug, "year": 2026, "month": 10}
        )
    )
    page = client.get(url).content.decode()
    assert "Låst" in page and "R25" not in page
    pdf = client.get(url + "pdf/").content
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Månadsredovisning 2026-10" in text and "Belopp för månaden" in text
    assert "R25" not in text
    csv = client.get(url + "csv/").content.decode()
    assert csv.startswith("\ufeffMånad;2026-10")  # Excel reads it as UTF-8
    assert "Hållna grupptillfällen" in csv
    # A Swedish spreadsheet reads ;-separated numbers with a decimal comma.
    amount = next(line for line in csv.splitlines() if line.startswith("Belopp för månaden"))
    assert "," in amount.split(";")[1] and "." not in amount
    listing = client.get(
        reverse("treatment:statements", kwargs={"unit": beroende.slug})
    ).content.decode()
    assert "har inte börjat" in listing  # December, seen in November
    from treatment.models import Statement

    amount = Statement.objects.get(unit=beroende).amount
    assert f"{amount:,.2f}".replace(",", "\xa0").replace(".", ",") in listing  # grouped
    client.force_login(henrik)
    assert client.get(url).status_code == 404


def test_r25_a_long_statement_pdf_has_its_header_and_page_numbers_on_every_page(
    client, beroende, boss
) -> None:
    month = datetime.date(2026, 10, 1)
    statement_confirm(unit=beroende, month=month, reason="", today=TODAY, by=boss)
    reason = "\n".join(f"Rad {n}: ett gruppillfälle registrerades på fel dag." for n in range(70))
    statement_confirm(unit=beroende, month=month, reason=reason, today=TODAY, by=boss)
    client.force_login(boss)
    url = reverse(
        "treatment:statement_pdf", kwargs={"unit": beroende.slug, "year": 2026, "month": 10}
    )
    pdf = client.get(url).content
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) == 2
    for number, page in enumerate(pages, start=1):
        assert "Beroendemottagningen · Månadsredovisning 2026-10" in page
        assert f"Sida {number} av 2" in page
    assert "Rad 69:" in pages[1]  # the whole reason, over both pages
    assert "R25" not in text


def _measure(membership, stage, values, by):  # type: ignore[no-untyped-def]
    measures = {m.slug: m for m in Measure.objects.all()}
    measurement_record(
        membership=membership,
        stage=stage,
        measured_on=TODAY,
        values={measures[k]: v for k, v in values.items()},
        today=TODAY,
        by=by,
    )


def test_r23_results_suppress_groups_under_five(twelve_step, beroende, maria) -> None:
    stages = list(Stage.objects.order_by("order"))
    course = make_course(twelve_step, by=maria, start=TODAY - datetime.timedelta(weeks=6))
    for i in range(5):
        membership, _ = course_join(
            course=course, participant=make_participant(beroende), on=course.start_date, by=maria
        )
        _measure(membership, stages[0], {"audit": "20", "housing": "Hemlös"}, maria)
        _measure(membership, stages[1], {"audit": str(10 + i)}, maria)
    cells = results(unit=beroende, dimension="programme")
    audit = next(c for c in cells if c.measure.startswith("AUDIT"))
    assert audit.n == 5 and not audit.suppressed
    assert audit.change == Decimal("-8.0")
    small = make_course(twelve_step, by=maria, name="Liten grupp")
    for _ in range(2):
        membership, _ = course_join(
            course=small, participant=make_participant(beroende), on=TODAY, by=maria
        )
        _measure(membership, stages[0], {"audit": "30"}, maria)
        _measure(membership, stages[1], {"audit": "5"}, maria)
    by_course = {c.group: c for c in results(unit=beroende, dimension="course")}
    assert by_course["Liten grupp"].suppressed and by_course["Liten grupp"].change is None
    assert not by_course[course.name].suppressed


def test_r23_measurement_values_are_checked_and_a_stage_taken_once(
    twelve_step, beroende, maria
) -> None:
    course = make_course(twelve_step, by=maria)
    membership, _ = course_join(
        course=course, participant=make_participant(beroende), on=TODAY, by=maria
    )
    intake = Stage.objects.get(anchor="intake")
    with pytest.raises(ValidationError, match="mellan 0 och 40"):
        _measure(membership, intake, {"audit": "41"}, maria)
    _measure(membership, intake, {"audit": "12"}, maria)
    with pytest.raises(ValidationError, match="redan registrerad"):
        _measure(membership, intake, {"audit": "12"}, maria)


def test_r23_follow_ups_fall_due_months_after_the_course(twelve_step, beroende, maria) -> None:
    start = TODAY - datetime.timedelta(weeks=20)
    course = make_course(twelve_step, by=maria, start=start)
    membership, _ = course_join(
        course=course, participant=make_participant(beroende), on=start, by=maria
    )
    _measure(membership, Stage.objects.get(anchor="intake"), {"audit": "20"}, maria)
    course_leave(
        membership=membership, on=course.end_date, outcome=CourseOutcome.COMPLETED, by=maria
    )
    membership.refresh_from_db()
    due = due_measurements([membership], list(Stage.objects.all()), today=TODAY)
    assert [d.stage.name for d in due] == ["Kursens slut", "Uppföljning 3 månader"]
    assert due[1].date == course.end_date + datetime.timedelta(days=92)


def test_therapists_home_shows_courses_expected_and_flag(
    client, twelve_step, beroende, maria, django_assert_max_num_queries
) -> None:
    course = make_course(twelve_step, by=maria, name="Vårgruppen")
    coming = make_course(
        twelve_step, by=maria, name="Nästa grupp", start=TODAY + datetime.timedelta(days=7)
    )
    for _ in range(3):
        course_join(course=course, participant=make_participant(beroende), on=TODAY, by=maria)
    course_join(
        course=coming, participant=make_participant(beroende), on=coming.start_date, by=maria
    )
    client.force_login(maria)
    with django_assert_max_num_queries(30):
        page = client.get(reverse("home")).content.decode()
    assert "Vårgruppen" in page and "Nästa grupp" in page
    assert "färre än 6" in page
    assert "Träningstimmar" not in page
    for _ in range(4):
        course_join(course=course, participant=make_participant(beroende), on=TODAY, by=maria)
    with django_assert_max_num_queries(30):
        client.get(reverse("home"))


def test_no_training_hours_tab_at_beroendemottagningen(
    client, beroende, lotsen, maria, anna
) -> None:
    client.force_login(maria)
    page = client.get(
        reverse("activities:sheet_today", kwargs={"unit": beroende.slug}), follow=True
    )
    assert "Träningstimmar" not in page.content.decode()
    client.force_login(anna)
    page = client.get(reverse("activities:sheet_today", kwargs={"unit": lotsen.slug}), follow=True)
    assert "Träningstimmar" in page.content.decode()


def test_r18_course_pages_join_and_leave(client, twelve_step, beroende, maria) -> None:
    client.force_login(maria)
    response = client.post(
        reverse("treatment:courses", kwargs={"unit": beroende.slug}),
        {
            "programme": twelve_step.pk,
            "name": "Höstgruppen",
            "start_date": "2026-11-30",
            "weekdays": ["0", "2"],
            "starts_at": "09:00",
            "ends_at": "11:00",
            "place": "Rummet",
            "leaders": [maria.pk],
        },
    )
    assert response.status_code == 302
    course_url = response["Location"]
    person = make_participant(beroende)
    join_url = course_url + "delta/"
    client.post(join_url, {"participant": person.pk, "on": "2026-11-30"})
    client.post(join_url, {"participant": person.pk, "on": "2026-11-30"})
    page = client.get(course_url).content.decode()
    assert person.full_name in page and "R18" not in page
    membership = person.course_memberships.get()
    leave_url = reverse("treatment:leave", kwargs={"membership_pk": membership.pk})
    prefix = f"avsluta-{membership.pk}-"
    response = client.post(
        leave_url, {prefix + "outcome": "ended_early", prefix + "left_on": "2026-12-01"}
    )
    assert "Välj varför kursen avslutades i förtid." in response.content.decode()
    response = client.post(
        leave_url, {prefix + "outcome": "completed", prefix + "left_on": "2026-11-20"}
    )
    assert "före 2026-11-30" in response.content.decode()


def test_r18_a_refused_join_or_leave_shows_the_page_again_with_what_was_typed(
    client, twelve_step, beroende, maria
) -> None:
    """The error sits beside the form that caused it, naming the person; nothing typed is
    lost; the outcome is chosen, never preselected; the default end date of a course not
    yet started is its start."""
    other = make_course(twelve_step, by=maria, name="Grupp Ek")
    course = make_course(twelve_step, by=maria, start=TODAY + datetime.timedelta(weeks=1))
    moving = make_participant(beroende, first_name="Greta", last_name="Flytt")
    course_join(course=other, participant=moving, on=TODAY, by=maria)
    staying = make_participant(beroende, first_name="Sven", last_name="Stanna")
    membership, _ = course_join(course=course, participant=staying, on=course.start_date, by=maria)
    client.force_login(maria)
    page = client.get(reverse("treatment:course", args=[course.pk])).content.decode()
    prefix = f"avsluta-{membership.pk}-"
    assert f'name="{prefix}left_on" value="{course.start_date.isoformat()}"' in page
    assert '<option value="" selected>— välj utfall —</option>' in page
    response = client.post(
        reverse("treatment:join", args=[course.pk]),
        {"participant": moving.pk, "on": "2026-12-07"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Personen går redan i Grupp Ek" in page
    assert f'<option value="{moving.pk}" selected>' in page and 'value="2026-12-07"' in page
    response = client.post(
        reverse("treatment:leave", args=[membership.pk]),
        {prefix + "left_on": "2026-12-08", prefix + "note": "Flyttar till Norrköping"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Utfallet för Sven Stanna är inte sparat." in page
    assert "Välj hur kursen slutade för personen." in page
    assert "Flyttar till Norrköping" in page and 'value="2026-12-08"' in page
    membership.refresh_from_db()
    assert not membership.has_left


def test_r18_a_join_before_the_course_starts_is_refused_on_the_page_keeping_the_date(
    client, twelve_step, beroende, maria
) -> None:
    course = make_course(twelve_step, by=maria, start=TODAY + datetime.timedelta(weeks=1))
    person = make_participant(beroende)
    client.force_login(maria)
    response = client.post(
        reverse("treatment:join", args=[course.pk]), {"participant": person.pk, "on": "2026-11-24"}
    )
    page = response.content.decode()
    assert response.status_code == 400 and not course.participants.exists()
    assert f"Kursen börjar {course.start_date}. Välj ett datum från kursstarten." in page
    assert 'value="2026-11-24"' in page


def test_r25_only_what_has_happened_counts_as_performed(  # type: ignore[no-untyped-def]
    client, twelve_step, beroende, maria, boss
):
    """The rest of this month and a month not started hold no sessions yet and end or
    start no courses: scheduled is not performed."""
    evening = make_course(
        twelve_step,
        by=maria,
        start=datetime.date(2026, 11, 16),
        starts_at=datetime.time(18),
        ends_at=datetime.time(20),
    )
    ending = make_course(twelve_step, by=maria, start=datetime.date(2026, 10, 16))
    assert ending.end_date == datetime.date(2026, 11, 26) and evening.end_date.month == 12
    make_course(twelve_step, by=maria, start=datetime.date(2026, 11, 30))
    november = month_figures(unit=beroende, month=datetime.date(2026, 11, 1), today=TODAY)
    # Mondays and Wednesdays up to Monday 23 November: 16, 18, 23 and 2, 4, 9, …, 23.
    assert november["group_sessions"] == 3 + 7
    assert november["evening_sessions"] == 3
    assert november["courses_started"] == 1 and november["courses_completed"] == 0
    december = month_figures(unit=beroende, month=datetime.date(2026, 12, 1), today=TODAY)
    assert december["group_sessions"] == december["evening_sessions"] == 0
    assert december["courses_started"] == december["courses_completed"] == 0
    # Without a date given, today is the day it is.
    assert month_figures(unit=beroende, month=datetime.date(2026, 12, 1)) == december
    client.force_login(boss)
    url = reverse("treatment:statement", kwargs={"unit": beroende.slug, "year": 2026, "month": 11})
    page = client.get(url).content.decode()
    assert "bara det som hänt till och med 2026-11-23 räknas som utfört" in page


def test_r23_every_wrong_measurement_field_is_shown_beside_what_was_typed(
    client, twelve_step, beroende, maria
) -> None:
    """A follow-up dated before the course began, half a day of alcohol and an AUDIT score
    out of range: all three are named at once and nothing typed is lost."""
    course = make_course(twelve_step, by=maria, start=TODAY - datetime.timedelta(days=14))
    membership, _ = course_join(
        course=course, participant=make_participant(beroende), on=course.start_date, by=maria
    )
    end = Stage.objects.get(name="Kursens slut")
    client.force_login(maria)
    url = reverse("treatment:measure", args=[membership.pk])
    response = client.post(
        url,
        {
            "stage": end.pk,
            "measured_on": (course.start_date - datetime.timedelta(days=1)).isoformat(),
            "audit": "41",
            "alcohol-days": "4,5",
            "health": "3",
        },
    )
    page = response.content.decode()
    assert f"Välj ett datum från och med {course.start_date.isoformat()}" in page
    assert "Dagar med alkohol senaste 30 dagarna räknas i hela tal" in page
    assert "AUDIT, totalpoäng ska vara mellan 0 och 40" in page
    assert 'value="4,5"' in page and 'value="41"' in page and 'value="3"' in page
    assert not Measurement.objects.exists()
    # A date that is no date is named too, and the values are still checked beside it.
    page = client.post(
        url, {"stage": end.pk, "measured_on": "31/11", "alcohol-days": "4,5"}
    ).content.decode()
    assert "Dagar med alkohol senaste 30 dagarna räknas i hela tal" in page
    assert 'value="31/11"' in page and 'value="4,5"' in page
    # A decimal is still fine where the measure allows it; the date from the start is too.
    Measure.objects.filter(slug="alcohol-days").update(whole_numbers=False)
    _measure(membership, Stage.objects.get(anchor="intake"), {"alcohol-days": "4,5"}, maria)
    for typed, message in [
        ("4,555", "Skriv högst två decimaler"),
        ("1e30", "Skriv ett tal under 100 000"),  # no column overflow, no crash
        ("123456", "Skriv ett tal under 100 000"),
    ]:
        with pytest.raises(ValidationError, match=message):
            measurement_record(
                membership=membership,
                stage=end,
                measured_on=TODAY,
                values={Measure.objects.get(slug="alcohol-days"): typed},
                today=TODAY,
                by=maria,
            )


def test_r18_an_average_group_below_the_agreed_minimum_is_said_in_words(
    client, twelve_step, beroende, boss, maria
) -> None:
    course = make_course(twelve_step, by=maria, start=datetime.date(2026, 10, 6), weekdays=[1])
    people = [make_participant(beroende) for _ in range(6)]
    for person in people:
        course_join(course=course, participant=person, on=course.start_date, by=maria)
    sessions = list(course.activity.sessions.filter(date__month=10))
    for session in sessions:
        for person in people[:4]:  # four of six came: 4,0 a group, the minimum is 6
            attendance_mark(session=session, participant=person, by=maria)
    url = reverse("treatment:statement", kwargs={"unit": beroende.slug, "year": 2026, "month": 10})
    client.force_login(boss)
    page = client.get(url).content.decode()
    assert "Genomsnittlig gruppstorlek" in page and "4,0" in page
    assert "under överenskommet minimum på 6 deltagare per grupp" in page
    pdf = client.get(url + "pdf/").content
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "under överenskommet minimum på 6" in " ".join(text.split())
    # A full group says nothing.
    for session in sessions:
        for person in people[4:]:
            attendance_mark(session=session, participant=person, by=maria)
    assert "under överenskommet minimum" not in client.get(url).content.decode()


def _confirm_url(unit: str, month: int = 10) -> str:
    return reverse(
        "treatment:statement_confirm", kwargs={"unit": unit, "year": 2026, "month": month}
    )


def test_r25_a_correction_from_a_stale_page_is_refused_with_the_newer_version_named(
    client, beroende, boss
) -> None:
    """Two tabs on version 1: a correction saved in one, then another in the other."""
    month = datetime.date(2026, 10, 1)
    statement_confirm(unit=beroende, month=month, reason="", today=TODAY, by=boss)
    colleague = make_staff("sara", beroende, Role.MANAGER, first_name="Sara", last_name="Berg")
    statement_confirm(
        unit=beroende, month=month, reason="Ett tillfälle saknades", today=TODAY, by=colleague
    )
    client.force_login(boss)
    response = client.post(
        _confirm_url(beroende.slug), {"reason": "Fel deltagare i gruppen", "version": 1}
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Någon annan har sparat en ny version medan du skrev" in page
    assert "Version 2 sparades av Sara Berg 2026-11-23" in page
    assert "Fel deltagare i gruppen" in page and 'name="version" value="2"' in page
    assert Statement.objects.filter(unit=beroende, month=month).count() == 2


def test_r25_a_first_confirmation_from_a_stale_page_is_refused(client, beroende, boss) -> None:
    statement_confirm(
        unit=beroende, month=datetime.date(2026, 10, 1), reason="", today=TODAY, by=boss
    )
    client.force_login(boss)
    response = client.post(_confirm_url(beroende.slug), {"version": 0})
    assert response.status_code == 409
    assert Statement.objects.filter(unit=beroende).count() == 1


def test_r25_a_correction_says_which_version_it_saved(client, beroende, boss) -> None:
    statement_confirm(
        unit=beroende, month=datetime.date(2026, 10, 1), reason="", today=TODAY, by=boss
    )
    client.force_login(boss)
    response = client.post(
        _confirm_url(beroende.slug), {"reason": "Ett tillfälle saknades", "version": 1}, follow=True
    )
    page = response.content.decode()
    assert "Rättelsen är sparad som version 2." in page
    assert "bekräftad och låst" not in page


def test_r25_a_month_not_yet_over_says_when_it_can_be_confirmed(client, beroende, boss) -> None:
    url = reverse("treatment:statement", kwargs={"unit": beroende.slug, "year": 2026, "month": 11})
    with time_machine.travel(datetime.datetime(2026, 11, 30, 15, tzinfo=STOCKHOLM), tick=False):
        client.force_login(boss)
        page = client.get(url).content.decode()
    assert "Kan bekräftas från den 1 december." in page
    assert "Bekräfta och lås" not in page
