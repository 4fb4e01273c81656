"""R20, R21: Hantverkshuset's annual report carries the IPS figures and nothing of Lotsen's."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal

import pytest

from reporting.exports import as_csv, lines
from reporting.figures import annual_figures
from reporting.indicators import goal_rows
from reporting.models import Goal, Indicator
from reporting.services import report_pdf
from tests.factories import TODAY
from tests.test_annual_reports import RULE_CODE, pdf_text

pytestmark = pytest.mark.django_db


def test_r21_hantverkshuset_report(world, hantverkshuset, tmp_path) -> None:  # type: ignore[no-untyped-def]
    f = annual_figures(unit=hantverkshuset, year=2026, today=TODAY)
    assert f.kind == "ips"
    assert (f.ips.new_cases, f.ips.got_work, f.ips.started_studies) == (6, 2, 1)
    assert f.ips.fte == 1.5
    # R25: 2,085,000 kr a year in 2018 prices, with no index recorded; six cases.
    assert f.cost.amount == 2085000 and f.cost.per_service == 2085000 / f.ips.new_cases
    text = pdf_text(report_pdf(unit=hantverkshuset, year=2026, today=TODAY, base_url="/"), tmp_path)
    assert "Personer som fick arbete" in text and "Personer som började studera" in text
    for other in ("Lotsen", "förstegsträning", "Team ISA", "Beroendemottagningen", "Öppethållande"):
        assert other not in text
    assert not RULE_CODE.search(text)


def test_r21_r25_cost_per_case_divides_by_the_years_new_cases_and_says_so(
    world, hantverkshuset, sofia, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """The commission counts the cases the team takes on ("20–25 enskilda ärenden per år"
    per FTE): the cost per case is the year's amount over its new cases. The cases still
    open at the period's end are another figure, labelled as such, not "under året"."""
    import datetime

    from employment.models import CaseOutcome
    from employment.services import case_end
    from reporting.exports import as_csv, lines

    case_end(
        case=world["a"],
        outcome=CaseOutcome.OTHER_MEASURE,
        on=datetime.date(2026, 11, 2),
        by=sofia,
        revision=None,
        today=TODAY,
    )
    f = annual_figures(unit=hantverkshuset, year=2026, today=TODAY)
    assert (f.ips.new_cases, f.ips.caseload) == (6, 5)
    assert f.cost.services == 6 and f.cost.per_service == round(Decimal(2085000) / 6)
    text = pdf_text(report_pdf(unit=hantverkshuset, year=2026, today=TODAY, base_url="/"), tmp_path)
    assert "Ärenden under året" not in text
    active = next(x for x in text.splitlines() if "Aktiva ärenden vid periodens slut" in x)
    assert active.split()[-1] == "5"
    assert "Kostnad per utförd prestation (nytt ärende)" in text
    csv = as_csv(lines(f, [])).decode("utf-8-sig")
    assert "Aktiva ärenden vid periodens slut;5" in csv and "Ärenden under året" not in csv


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
def test_l4_r21_the_ips_annual_pdf_hides_counts_under_five(
    hantverkshuset, sofia, world, tmp_path
) -> None:
    Goal.objects.create(
        unit=hantverkshuset,
        year=2026,
        title="Fler får arbete",
        indicator=Indicator.IPS_GOT_WORK,
        target=10,
    )
    f = annual_figures(unit=hantverkshuset, year=2026, today=TODAY)
    assert (f.ips.got_work, f.ips.started_studies, f.ips.new_cases) == (2, 1, 6)
    goals = goal_rows(unit=hantverkshuset, year=2026, today=TODAY)
    csv = as_csv(lines(f, goals)).decode("utf-8-sig")
    assert "Nyckeltal;Personer som fick arbete;färre än 5" in csv
    assert "Fler får arbete;Utfall 2026;färre än 5" in csv  # a goal counting people
    pdf = report_pdf(unit=hantverkshuset, year=2026, today=TODAY, base_url="/")
    text = pdf_text(pdf, tmp_path)
    flat = " ".join(pdf_text(pdf, tmp_path, layout=False).split())
    assert "Personer som fick arbete färre än 5" in flat
    assert "inom 30 dagar färre än 5 av 6" in flat
    assert "(en person kan ha flera starter) färre än 5" in flat
    assert "Personer som började studera färre än 5" in flat
    assert re.search(r"Nya ärenden under året\s+6\n", text)  # five or more: shown
    assert "6 färre än 5 färre än 5 personer med insats" in flat  # the key figures
    assert "10 / färre än 5" in flat  # the goal's target and actual
    assert not re.search(r"Personer som fick arbete\s+2\b", text)
