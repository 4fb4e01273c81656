"""R20: the unit manager's annual report as a PDF with real figures, checked with pdftotext."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from participants.services import visit_record
from reporting.services import annual_figures, report_pdf
from tests.factories import TODAY, make_participant, make_place, make_plan

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def year_2026(training, isa, drop_in, lotsen, hantverkshuset, anna):  # type: ignore[no-untyped-def]
    """Lotsen in 2026: 2 trainees (one overdue plan), 1 Team ISA, 1 visitor with 3 visits."""
    t1 = make_place(
        make_participant(lotsen, has_housing_support=True),
        training,
        contact_person=anna,
        start=D(2026, 1, 1),
    )
    t2 = make_place(make_participant(lotsen), training, contact_person=anna, start=D(2026, 10, 1))
    make_plan(t1, established_on=D(2026, 1, 5), by=anna)  # due 2026-04-05: overdue
    make_plan(t2, established_on=D(2026, 10, 5), by=anna)  # due 2027-01-05: on time
    make_place(make_participant(lotsen, young=True), isa, contact_person=anna, start=D(2026, 3, 1))
    visitor = make_participant(lotsen)
    make_place(visitor, drop_in, hours=None, start=D(2025, 1, 1))
    for day in (D(2026, 2, 2), D(2026, 2, 3), D(2026, 5, 4), D(2025, 12, 30)):
        visit_record(participant=visitor, programme=drop_in, date=day, by=anna)
    # Someone else's unit and a place that ended before the year do not count.
    make_place(
        make_participant(hantverkshuset), hantverkshuset.programmes.first(), start=D(2026, 2, 1)
    )
    make_place(
        make_participant(lotsen), drop_in, hours=None, start=D(2024, 1, 1), end=D(2025, 6, 30)
    )


def test_r20_figures_come_from_the_records(year_2026, lotsen) -> None:
    f = annual_figures(unit=lotsen, year=2026, today=D(2026, 11, 23))
    assert (f.participants, f.new_places, f.in_work_training) == (4, 3, 3)
    assert (f.visits, f.visitors, f.with_housing_support, f.plans_overdue) == (3, 1, 1, 1)
    rows = {row.name: row for row in f.programmes}
    assert rows["Förstegsträning på Lotsen"].participants == 2
    assert rows["Basverksamhet (social samvaro)"].visits == 3


def test_r13_overdue_count_for_a_past_date_uses_the_follow_ups_then(training, lotsen, anna) -> None:
    place = make_place(make_participant(lotsen), training, contact_person=anna, start=D(2025, 1, 1))
    plan = make_plan(place, established_on=D(2025, 1, 10), by=anna)
    plan.record_follow_up(on=D(2025, 11, 1), by=anna, progress="ok")
    assert annual_figures(unit=lotsen, year=2025, today=D(2026, 11, 23)).plans_overdue == 0
    assert annual_figures(unit=lotsen, year=2026, today=D(2026, 11, 23)).plans_overdue == 1


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
def test_r20_manager_downloads_the_pdf(client, year_2026, eva, lotsen, tmp_path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(report_pdf(unit=lotsen, year=2026, today=TODAY, base_url="/"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Verksamhetsberättelse 2026" in text and "Lotsen" in text
    # L4: the report leaves the unit; these counts are under 5 (exact in the figures).
    flat = " ".join(text.split())
    assert "Personer med plats under året färre än 5" in flat
    assert "Personer i förstegsträning och Team ISA färre än 5" in flat
    assert "Besök med namn färre än 5" in flat
    assert re.search(r"Planer med försenad uppföljning den [^0-9]*\d+ \w+ \d{4} färre än 5", flat)


def test_report_form_is_for_managers_only(client, anna, eva) -> None:
    url = reverse("reporting:annual")
    assert client.get(url).status_code == 302
    client.force_login(anna)
    assert client.get(url).status_code == 403
    client.force_login(eva)
    assert client.get(url).status_code == 200
    response = client.get(url, {"unit": eva.units.get().pk, "year": 2026})
    assert response.status_code == 302 and response["Location"].endswith("/2026/")


def test_l2_another_units_report_is_404(client, henrik, lotsen) -> None:
    client.force_login(henrik)
    assert (
        client.get(reverse("reporting:annual"), {"unit": lotsen.pk, "year": 2026}).status_code
        == 404
    )


def test_a_future_year_gets_a_message(client, eva, lotsen) -> None:
    client.force_login(eva)
    response = client.get(reverse("reporting:annual"), {"unit": lotsen.pk, "year": 2999})
    assert response.status_code == 200
    assert "mindre än eller lika med" in response.content.decode()


def test_r11_r20_only_places_really_ended_count_and_future_starts_do_not(
    training, lotsen, anna
) -> None:
    from participants.models import Outcome

    ended = make_place(
        make_participant(lotsen),
        training,
        contact_person=anna,
        start=D(2026, 1, 1),
        end=D(2026, 6, 30),
    )
    ended.outcome = Outcome.EMPLOYMENT
    ended.save()
    make_place(
        make_participant(lotsen),
        training,
        contact_person=anna,
        start=D(2026, 2, 1),
        end=D(2026, 12, 20),
    )
    make_place(make_participant(lotsen), training, contact_person=anna, start=D(2026, 12, 1))
    f = annual_figures(unit=lotsen, year=2026, today=D(2026, 11, 23))
    assert (f.ended_places, f.participants, f.new_places) == (1, 2, 2)


@pytest.fixture
def attendance_2026(year_2026, lotsen, training, drop_in, anna):  # type: ignore[no-untyped-def]
    """Anonymous visitors, trainee hours, a series with one cancelled session and a closure."""
    import uuid
    from decimal import Decimal

    from activities.attendance import anonymous_visit_add, visit_mark
    from activities.models import ActivityKind, ClosureDay, ExtraOpening
    from activities.services import activity_create, attendance_mark, session_cancel

    today = D(2026, 11, 23)
    for day in (D(2026, 3, 2), D(2026, 3, 2), D(2026, 3, 3)):
        anonymous_visit_add(
            programme=drop_in, day=day, delta=1, token=str(uuid.uuid4()), by=anna, today=today
        )
    trainee = training.enrolments.order_by("start_date").first().participant
    for day, hours in ((D(2026, 3, 3), "2.5"), (D(2026, 3, 4), "4")):
        visit_mark(
            participant=trainee,
            programme=training,
            day=day,
            hours=Decimal(hours),
            by=anna,
            today=today,
        )
    activity = activity_create(
        unit=lotsen,
        by=anna,
        leaders=[anna],
        weekdays=[1],
        kind=ActivityKind.ESL_GROUP,
        title="ESL",
        place="Rum 1",
        first_date=D(2026, 11, 1),
        last_date=D(2026, 11, 30),
        starts_at=datetime.time(10),
        ends_at=datetime.time(11),
    )
    sessions = list(activity.sessions.all())  # Tuesdays 3, 10, 17, 24 November
    session_cancel(session=sessions[1], reason="Sjuk", by=anna)
    attendance_mark(session=sessions[0], participant=trainee, by=anna)
    attendance_mark(session=sessions[2], participant=trainee, by=anna)
    ClosureDay.objects.create(unit=lotsen, date=D(2026, 7, 6), reason="Sommar")
    ExtraOpening.objects.create(
        unit=lotsen, date=D(2026, 9, 12), opens=datetime.time(11), closes=datetime.time(15)
    )


def test_r16_l7_report_counts_attendance_and_open_days(attendance_2026, lotsen) -> None:
    f = annual_figures(unit=lotsen, year=2026, today=D(2026, 11, 23))
    a = f.attendance
    assert (a.anonymous_visits, a.training_hours) == (3, 6.5)
    # The session on 24 November has not happened yet on 23 November.
    assert (a.sessions_held, a.sessions_cancelled) == (2, 1)
    assert (a.session_attendances, a.session_attendees) == (2, 1)
    # L8, 2026: 261 weekdays - 7 public holidays on weekdays (National Day and Boxing Day
    # fall on Saturdays) - 3 eves = 251; then one closure day and one Saturday opening.
    assert f.opening.holidays_on_weekdays == 10
    assert f.opening.open_days == 251 - 1 + 1
    assert f.opening.commissioned_open_days == 230
    assert f.opening.weekend_openings == 1
    rows = {row.name: row for row in f.programmes}
    assert rows["Basverksamhet (social samvaro)"].anonymous_visits == 3


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
def test_r16_the_pdf_shows_attendance_and_open_days(
    client, attendance_2026, eva, lotsen, tmp_path
) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(report_pdf(unit=lotsen, year=2026, today=TODAY, base_url="/"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = {
        " ".join(line.split()[:-1]): line.split()[-1] for line in text.splitlines() if line.strip()
    }
    assert "Besök utan namn färre än 5" in " ".join(text.split())  # 3, hidden (L4)
    assert lines["Närvarotimmar i förstegsträning"] == "6,5"
    assert lines["Öppna dagar 2026"] == "251"
    assert lines["Beställda öppna dagar"] == "230"
    assert lines["Dagar med helgöppet"] == "1"
    assert lines["Genomförda gruppaktiviteter"] == "2"


@pytest.fixture
def intake_2026(lotsen, training, anna):  # type: ignore[no-untyped-def]
    """Referrals in 2026: two from psychiatry (one accepted after 30 days), one from the web
    waiting since 2026-11-03; one outreach study visit to Boendestöd Öst."""
    from referrals.models import IsaPresented, ReferralStep
    from referrals.services import outreach_record
    from tests.factories import make_housing_unit, make_referral

    east = make_housing_unit(lotsen)
    activity = outreach_record(
        by=anna,
        participants=[],
        unit=lotsen,
        date=D(2026, 2, 1),
        housing_support_unit=east,
        kind="study_visit",
        people_reached=7,
        isa_presented=IsaPresented.YES,
    )
    accepted = make_referral(
        lotsen,
        programme=training,
        initiator="psychiatry",
        status="accepted",
        received_on=D(2026, 3, 1),
        outreach=activity,
        housing_support_unit=east,
    )
    ReferralStep.objects.create(
        referral=accepted, from_status="intake", to_status="accepted", on=D(2026, 3, 31)
    )
    make_referral(lotsen, initiator="psychiatry", received_on=D(2026, 5, 1))
    make_referral(
        lotsen,
        programme=training,
        initiator="self_web",
        status="waiting",
        received_on=D(2026, 11, 3),
    )
    make_referral(lotsen, initiator="relative", received_on=D(2025, 5, 1))  # last year


def test_r2_r22_r4_the_report_has_referrals_waiting_times_and_outreach(intake_2026, lotsen) -> None:
    f = annual_figures(unit=lotsen, year=2026, today=D(2026, 11, 23))
    assert (f.referrals.received, f.referrals.accepted) == (3, 1)
    assert f.referrals.by_initiator == [
        ("personen själv, via webben", 1),
        ("psykiatrisk klinik", 2),
    ]
    assert f.referrals.waited_in_year.longest_days == 30
    assert (f.referrals.waiting_now.count, f.referrals.waiting_now.longest_days) == (1, 20)
    assert (f.collaboration.outreach_activities, f.collaboration.people_reached) == (1, 7)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
def test_r20_the_pdf_shows_referrals_and_outreach_on_one_page(
    client, year_2026, intake_2026, eva, lotsen, tmp_path
) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(report_pdf(unit=lotsen, year=2026, today=TODAY, base_url="/"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "Mottagna anmälningar färre än 5" in flat  # 3, hidden (L4)
    assert "Längsta väntetid (dagar) 30" in flat
    assert "Personer som nåddes 7" in flat
