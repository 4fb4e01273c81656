"""R22: a median waiting time of whole days can end in a half (55 and 56 days: 55.5). Every
page shows it the same way, in whole days with a half rounded up: the waiting lists, the
manager's home, the annual report page and its PDF, charts and exports."""

from __future__ import annotations

import csv
import datetime
import io
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lotsen.days import days_text, whole_days
from referrals.models import ReferralStep, Status
from reporting.models import Goal, Indicator
from reporting.services import report_context, report_pdf
from tests.factories import TODAY, make_referral

pytestmark = pytest.mark.django_db
D = datetime.date


def test_r22_one_rounding_whole_days_a_half_up() -> None:
    assert [whole_days(d) for d in (55.5, 16.5, 55, 55.4, None)] == [56, 17, 55, 55, None]
    assert days_text(55.5) == "56" and days_text(None) == "–"
    assert days_text(1234.5) == "1235"  # no group separator, as floatformat:"0" shows it


@pytest.fixture
def waits_of_55_and_56(lotsen, training):  # type: ignore[no-untyped-def]
    """Two people waiting now for 55 and 56 days; two accepted in October 2026 after 55 and
    56 days, measured by the same median."""
    for days in (55, 56):
        make_referral(
            lotsen,
            programme=training,
            status=Status.WAITING,
            received_on=TODAY - datetime.timedelta(days=days),
        )
        received = D(2026, 8, 10)
        referral = make_referral(
            lotsen, programme=training, status=Status.ACCEPTED, received_on=received
        )
        ReferralStep.objects.create(
            referral=referral,
            from_status="waiting",
            to_status="accepted",
            on=received + datetime.timedelta(days=days),
        )
    Goal.objects.create(
        unit=lotsen, year=2026, title="Kort väntetid", indicator=Indicator.MEDIAN_WAIT, target=30
    )
    return lotsen


def _page(client, url: str) -> str:  # type: ignore[no-untyped-def]
    return " ".join(client.get(url).content.decode().split())


def test_r22_waiting_lists_and_the_managers_home_say_56(
    client, waits_of_55_and_56, training, eva
) -> None:
    client.force_login(eva)
    listed = _page(client, reverse("referrals:waiting"))
    assert "2 personer väntar. Median 56 dagar, längst 56 dagar." in listed
    assert "<td>2026-10</td><td>2</td><td>56</td><td>56</td>" in listed  # by month
    assert "55,5" not in listed
    one = _page(client, reverse("referrals:waiting_programme", args=[training.pk]))
    assert "Median 56 dagar" in one and "55,5" not in one
    assert "median 56 dagar" in _page(client, reverse("home"))


def test_r22_the_annual_report_page_pdf_chart_and_export_say_56(
    client, waits_of_55_and_56, eva, tmp_path
) -> None:
    unit = waits_of_55_and_56
    client.force_login(eva)
    page = _page(client, reverse("reporting:report", args=[unit.pk, 2026]))
    assert "utfall 56" in page and "55,5" not in page
    path = tmp_path / "report.pdf"
    path.write_bytes(report_pdf(unit=unit, year=2026, today=TODAY, base_url="/"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    row = next(line for line in text.splitlines() if "Median väntetid från anmälan" in line)
    assert row.split()[-1] == "56"
    assert "55,5" not in text
    charts = report_context(unit=unit, year=2026, today=TODAY)["charts"]
    waits = next(c for c in charts if c.title == "Väntetid per månad")
    assert ["okt", "56", "färre än 5"] in waits.rows  # two accepted: a count under five
    export = client.get(reverse("reporting:export", args=[unit.pk, 2026, "csv"]))
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert ["Väntetid", "Median väntetid (dagar)", "56"] in rows


def test_r22_with_no_waits_in_the_year_the_export_says_what_the_pdf_says(
    client, lotsen, eva, tmp_path
) -> None:
    """Nobody accepted in the year: the median is "–" in the PDF and in both exports, never
    an empty cell that reads as a figure left out."""
    client.force_login(eva)
    path = tmp_path / "report.pdf"
    path.write_bytes(report_pdf(unit=lotsen, year=2026, today=TODAY, base_url="/"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    row = next(line for line in text.splitlines() if "Median väntetid från anmälan" in line)
    assert row.split()[-1] == "–"
    export = client.get(reverse("reporting:export", args=[lotsen.pk, 2026, "csv"]))
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert ["Väntetid", "Median väntetid (dagar)", "–"] in rows
    xlsx = client.get(reverse("reporting:export", args=[lotsen.pk, 2026, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert ("Väntetid", "Median väntetid (dagar)", "–") in sheet.iter_rows(values_only=True)
