"""R11, R16, R20, R22, R25: each unit's annual report, from a crafted past year.

The year is 2025, read on TODAY (2026-11-23): the waiting list and the opening hours have
changed since, and the yearly index rose at new year; the report shows 2025 as it was."""

from __future__ import annotations

import datetime
import re
import subprocess
from decimal import Decimal

import pytest

from activities.calendar import swedish_holidays
from activities.models import OpeningHours
from participants.models import Outcome
from participants.services import visit_record
from referrals.models import ReferralStep
from reporting.figures import annual_figures, waiting_on
from reporting.services import report_pdf
from tests.factories import TODAY, make_course, make_participant, make_place, make_referral
from treatment.models import Agreement, CourseOutcome, EarlyEndReason, PriceIndex
from treatment.services import course_join, course_leave

pytestmark = pytest.mark.django_db
D = datetime.date
RULE_CODE = re.compile(r"\b[RL]\d{1,2}\b")


def pdf_text(pdf: bytes, tmp_path, *, layout: bool = True) -> str:  # type: ignore[no-untyped-def]
    """The PDF's text; in reading order when not `layout` (a chart's label stays together
    rather than interleaved with the table beside it)."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    how = ["-layout"] if layout else []
    return subprocess.run(
        ["pdftotext", *how, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _referral_path(unit, received, steps):  # type: ignore[no-untyped-def]
    referral = make_referral(unit, received_on=received)
    last = "received"
    for to, on in steps:
        ReferralStep.objects.create(referral=referral, from_status=last, to_status=to, on=on)
        last = to
    referral.status = last
    referral.save(update_fields=["status"])
    return referral


@pytest.fixture
def lotsen_2025(lotsen, training, isa, drop_in, anna):  # type: ignore[no-untyped-def]
    """Three trainings ended in 2025 (work, handed over, ended early), one visitor with
    three visits, one referral on the list at new year and accepted since; Fridays closed
    from 2026; the index rose 2.5 % in 2025 and 3 % in 2026."""
    for outcome, end in (
        (Outcome.EMPLOYMENT, D(2025, 6, 30)),
        (Outcome.LABOUR_MARKET, D(2025, 9, 30)),
        (Outcome.ENDED_EARLY, D(2025, 10, 31)),
    ):
        place = make_place(
            make_participant(lotsen), training, contact_person=anna, start=D(2024, 9, 1), end=end
        )
        place.outcome = outcome
        place.save(update_fields=["outcome"])
    visitor = make_participant(lotsen)
    make_place(visitor, drop_in, hours=None, start=D(2025, 1, 1))
    for day in (D(2025, 2, 3), D(2025, 2, 4), D(2025, 5, 5), D(2026, 2, 2)):
        visit_record(participant=visitor, programme=drop_in, date=day, by=anna)
    _referral_path(
        lotsen, D(2025, 11, 1), [("waiting", D(2025, 11, 15)), ("accepted", D(2026, 2, 1))]
    )
    _referral_path(lotsen, D(2026, 1, 10), [("waiting", D(2026, 1, 20))])
    _referral_path(
        lotsen, D(2025, 3, 1), [("waiting", D(2025, 3, 2)), ("accepted", D(2025, 4, 10))]
    )
    OpeningHours.objects.filter(unit=lotsen, weekday=4).update(valid_until=D(2025, 12, 31))
    agreement = Agreement.objects.get(unit=lotsen)
    PriceIndex.objects.create(agreement=agreement, year=2025, percent=Decimal("2.5"))
    PriceIndex.objects.create(agreement=agreement, year=2026, percent=Decimal("3"))
    # Another unit's place and visit never show.
    return lotsen


def _weekdays(year: int, weekdays: set[int]) -> int:
    start, end = D(year, 1, 1), D(year, 12, 31)
    closed = swedish_holidays(start, end)
    days = (start + datetime.timedelta(n) for n in range((end - start).days + 1))
    return sum(1 for d in days if d.weekday() in weekdays and d not in closed)


def test_r11_r22_r25_r16_lotsen_2025_as_it_was(lotsen_2025) -> None:
    f = annual_figures(unit=lotsen_2025, year=2025, today=TODAY)
    assert f.kind == "day_activity"
    assert dict(f.outcomes) == {
        "anställning": 1,
        "överlämnad till arbetsmarknadsförvaltningen (IAF)": 1,
        "avslutad i förtid": 1,
    }
    assert f.handed_over == 1
    # R22: one person waited on 31 December 2025, 60 days; today's list is another.
    assert (f.waiting_at_end.count, f.waiting_at_end.longest_days) == (1, 60)
    assert waiting_on(lotsen_2025, TODAY).count == 1
    assert f.referrals.waited_in_year.median_days == 40
    # R16: 2025 had Fridays; 2026 has not.
    assert f.opening.open_days == _weekdays(2025, {0, 1, 2, 3, 4})
    later = annual_figures(unit=lotsen_2025, year=2026, today=TODAY)
    assert later.opening.open_days == _weekdays(2026, {0, 1, 2, 3})
    # R25: 3,000,000 kr in 2020 prices, raised 2.5 % for 2025 (the 2026 index is not yet).
    assert f.cost.amount == Decimal("3075000.00")
    assert later.cost.amount == Decimal("3167250.00")
    assert f.cost.missing_index_years == [2021, 2022, 2023, 2024]  # said in the report
    assert f.participants == 4 and f.cost.per_participant == Decimal(768750)
    assert f.cost.services == 3 and f.cost.per_service == Decimal(1025000)
    assert [m.visits for m in f.months][:5] == [0, 2, 0, 0, 1]
    assert len(f.months) == 12


def test_r20_lotsen_pdf_has_its_content_and_nothing_else(lotsen_2025, tmp_path) -> None:
    pdf = report_pdf(unit=lotsen_2025, year=2025, today=TODAY, base_url="/")
    text = pdf_text(pdf, tmp_path)
    assert "Verksamhetsberättelse 2025" in text and "Lotsen" in text
    pages = text.count("\f")  # pdftotext ends every page with a form feed
    assert pages > 1 and f"Sida 1 av {pages}" in text and f"Sida {pages} av {pages}" in text
    assert "Slussade till arbetsmarknadsförvaltningen" in text
    assert "Förstegsträning på Lotsen" in " ".join(pdf_text(pdf, tmp_path, layout=False).split())
    assert "3 075 000 kr" in text
    for other in ("Hantverkshuset", "Beroendemottagningen", "Support och arbetsteamet", "12-steg"):
        assert other not in text
    assert not RULE_CODE.search(text)


@pytest.fixture
def beroende_2025(beroende, twelve_step, maria):  # type: ignore[no-untyped-def]
    """One primary course in spring 2025 with three people: two completed, one left early."""
    course = make_course(twelve_step, by=maria, start=D(2025, 3, 3))
    people = [make_participant(beroende) for _ in range(3)]
    members = [
        course_join(course=course, participant=p, on=D(2025, 3, 3), by=maria)[0] for p in people
    ]
    for m in members[:2]:
        course_leave(membership=m, on=course.end_date, outcome=CourseOutcome.COMPLETED, by=maria)
    course_leave(
        membership=members[2],
        on=D(2025, 3, 20),
        outcome=CourseOutcome.ENDED_EARLY,
        early_reason=EarlyEndReason.RELAPSE,
        by=maria,
    )
    return beroende


def test_r20_beroendemottagningen_2025(beroende_2025, tmp_path) -> None:
    f = annual_figures(unit=beroende_2025, year=2025, today=TODAY)
    assert f.kind == "treatment"
    primary = next(r for r in f.treatment.rows if r.courses_started)
    assert (
        primary.courses_started,
        primary.participants,
        primary.completed,
        primary.ended_early,
    ) == (1, 3, 2, 1)
    assert f.treatment.completed_share == Decimal("66.7")
    assert dict(f.treatment.early_reasons) == {"återfall": 1}
    assert f.cost.price_year == 2021
    text = pdf_text(report_pdf(unit=beroende_2025, year=2025, today=TODAY, base_url="/"), tmp_path)
    assert "Utförda prestationer" in text and "Sammanfattning av insatser och resultat" in text
    assert "Årets kvalitetsarbete" in text
    for other in (
        "Lotsen",
        "Hantverkshuset",
        "förstegsträning",
        "Team ISA",
        "Support och arbetsteamet",
    ):
        assert other not in text
    assert not RULE_CODE.search(text)


LONG_GOAL = "Fler deltagare går vidare till arbete, studier eller praktik inom ett år"


def _chart_text(svg: bytes) -> str:
    """The text a chart draws, its lines joined with spaces."""
    return " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg.decode()))


def test_r20_chart_labels_are_whole_in_the_svg_and_the_pdf(lotsen_2025, training, tmp_path) -> None:
    from reporting.models import Goal, Indicator
    from reporting.services import report_context

    Goal.objects.create(
        unit=lotsen_2025, year=2025, title=LONG_GOAL, indicator=Indicator.OPEN_DAYS, target=230
    )
    handed_over = "Överlämnad till arbetsmarknadsförvaltningen (IAF)"
    for _ in range(4):  # five handed over: a count the report shows (L4)
        place = make_place(
            make_participant(lotsen_2025), training, start=D(2025, 1, 7), end=D(2025, 8, 29)
        )
        place.outcome = Outcome.LABOUR_MARKET
        place.save(update_fields=["outcome"])
    charts = {
        c.title: c for c in report_context(unit=lotsen_2025, year=2025, today=TODAY)["charts"]
    }
    assert handed_over in _chart_text(charts["Vart avslutade platser ledde"].svg)
    assert LONG_GOAL in _chart_text(charts["Effektmål: mål och utfall 2025"].svg)
    # The PDF draws a chart's text as text. Each label is whole three times: the outcome
    # in the figures, the chart and its table; the goal in the goals' table, the chart and
    # its table.
    pdf = report_pdf(unit=lotsen_2025, year=2025, today=TODAY, base_url="/")
    text = " ".join(pdf_text(pdf, tmp_path, layout=False).split())
    assert text.count(handed_over) == 3
    assert text.count(LONG_GOAL) == 3


@pytest.fixture
def training_2025(lotsen, training):  # type: ignore[no-untyped-def]
    """Two hours in week 3; week 29 closed for the summer (a closure every weekday) with
    nobody training; four hours noted on a day of the closed week 30 all the same."""
    from activities.models import ClosureDay
    from participants.models import Visit

    place = make_place(make_participant(lotsen), training, start=D(2025, 1, 1))
    for day, hours in ((D(2025, 1, 14), Decimal(2)), (D(2025, 7, 23), Decimal(4))):
        Visit.objects.create(
            participant=place.participant, programme=training, date=day, hours=hours
        )
    for n in range(14, 26):
        ClosureDay.objects.create(unit=lotsen, date=D(2025, 7, n), reason="Sommarstängt")
    return lotsen


def test_r5_training_hours_are_shown_for_every_open_week_of_the_year(training_2025) -> None:
    """Weeks 1-52 of 2025 and week 1 of 2026 (29-31 December), 0 where nobody trained; the
    closed week 29 is left out, the closed week 30 kept for its hours. The average is over
    the same 52 weeks: 6 / 52."""
    f = annual_figures(unit=training_2025, year=2025, today=TODAY)
    labels = [w for w, _h in f.weeks]
    assert labels == [f"{n:02d}" for n in range(1, 53) if n != 29] + ["01"]
    hours = dict(f.weeks[:-1])
    assert (hours["03"], hours["30"], hours["02"]) == (Decimal(2), Decimal(4), Decimal(0))
    assert f.training_hours_per_week == Decimal("0.12")


def test_r20_training_week_chart_names_every_fourth_week(training_2025) -> None:
    from reporting.services import report_context

    charts = {
        c.title: c for c in report_context(unit=training_2025, year=2025, today=TODAY)["charts"]
    }
    chart = charts["Närvarotimmar i förstegsträning per vecka"]
    weeks = [t for t in _chart_text(chart.svg).split() if len(t) == 2]  # not the hours axis
    assert weeks == ["01", "05", "09", "13", "17", "21", "25", "30", "34", "38", "42", "46", "50"]
    assert "i snitt 0,1 timmar" in chart.alt
    assert len(chart.rows) == 52  # the table beside it has every week


def _csv_lines(unit, year):  # type: ignore[no-untyped-def]
    """The annual CSV as (section, label) -> value, as the export writes it."""
    from reporting.exports import as_csv, lines
    from reporting.indicators import goal_rows

    f = annual_figures(unit=unit, year=year, today=TODAY)
    csv = as_csv(lines(f, goal_rows(unit=unit, year=year, today=TODAY))).decode("utf-8-sig")
    return {tuple(row.split(";")[:2]): row.split(";")[2] for row in csv.splitlines()}


def _row(text: str, label: str) -> str:
    """The PDF's line (pdftotext -layout) that starts with `label`."""
    return next(line for line in text.splitlines() if line.strip().startswith(label))


def test_l4_the_annual_pdf_hides_counts_under_five_as_the_csv_does(lotsen_2025, tmp_path) -> None:
    f = annual_figures(unit=lotsen_2025, year=2025, today=TODAY)
    assert dict(f.outcomes)["anställning"] == 1  # the figure stays exact
    csv = _csv_lines(lotsen_2025, 2025)
    assert csv[("Utfall vid avslut", "Anställning")] == "färre än 5"
    text = pdf_text(report_pdf(unit=lotsen_2025, year=2025, today=TODAY, base_url="/"), tmp_path)
    # The purchaser reads the PDF: the same words as the CSV for every count from 1 to 4.
    for label in ("Anställning", "Avslutad i förtid", "Personer med plats under året"):
        line = _row(text, label)
        assert line.rstrip().endswith("färre än 5") and not line.rstrip().endswith(" 1")
    assert "Mottagna anmälningar" in text and _row(text, "Mottagna anmälningar").endswith("5")
    assert "personen själv färre än 5" in text
    assert re.search(r"\bapr\s+40\s+färre än 5", text)  # the waiting chart's table
    # Nothing but hidden counts to draw: no outcome chart that would show a bar of 1.
    assert "Liggande stapeldiagram över avslutade platser" not in text
    assert 'visas från 1 till 4 som "färre än 5"' in " ".join(text.split())
    assert _row(text, "Dagar med kvällsöppet").split()[-1] == "50"  # not a count of people


def test_l4_the_treatment_pdf_hides_its_small_group(beroende_2025, tmp_path) -> None:
    pdf = report_pdf(unit=beroende_2025, year=2025, today=TODAY, base_url="/")
    text = pdf_text(pdf, tmp_path)
    flat = " ".join(pdf_text(pdf, tmp_path, layout=False).split())
    assert "Under året fick färre än 5 personer behandling" in flat
    # Two of three completed: neither the share nor the count of those who left shows.
    assert "Färre än 5 avslutade en behandling under året" in flat
    assert "66,7" not in flat and "66.7" not in flat and "dolt, färre än 5" in flat
    assert "återfall färre än 5" in flat
    assert re.search(r"12-steg primärbehandling\s+1\s+1\s+färre än 5\n", text)  # courses: 1
    assert re.search(r"12-steg\s+färre än 5\s+0\s+färre än 5\n", text)  # completed, early
