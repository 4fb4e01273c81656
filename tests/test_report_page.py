"""R19, R20, L2, L4: the manager writes the report's text, keeps the goals, marks it sent,
is reminded until then, makes PDF versions in the background and exports the figures."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from lotsen.models import Role
from participants.models import Outcome
from plans.services import reminder_digests_send
from reporting.exports import Line, as_csv
from reporting.indicators import goal_rows
from reporting.models import FileStatus, Goal, Indicator, ReportFile, ReportText
from reporting.services import report_file_build, report_reminders
from tests.factories import TODAY, make_participant, make_place, make_staff
from tests.test_annual_reports import RULE_CODE, pdf_text

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def sara(beroende):  # type: ignore[no-untyped-def]
    return make_staff("sara", beroende, Role.MANAGER, first_name="Sara")


def _page(eva, lotsen, year=2026):  # type: ignore[no-untyped-def]
    return reverse("reporting:report", args=[lotsen.pk, year])


def test_l2_report_page_walks_anonymous_staff_other_unit_manager(
    client, anna, eva, henrik, lotsen
) -> None:
    url = _page(eva, lotsen)
    assert client.get(url).status_code == 302
    client.force_login(anna)
    assert client.get(url).status_code == 403
    client.force_login(henrik)
    assert client.get(url).status_code == 404
    assert (
        client.post(reverse("reporting:text", args=[lotsen.pk, 2026]), {"revision": 0}).status_code
        == 404
    )
    client.force_login(eva)
    assert client.get(url).status_code == 200
    assert client.get(_page(eva, lotsen, 2999)).status_code == 404


def test_r20_text_is_saved_as_typed_and_each_change_keeps_the_earlier_version(
    client, eva, lotsen
) -> None:
    client.force_login(eva)
    url = reverse("reporting:text", args=[lotsen.pk, 2026])
    htmx = {"HTTP_HX_REQUEST": "true"}
    first = client.post(url, {"revision": 0, "introduction": "Ett år av förändring."}, **htmx)
    assert first.status_code == 200 and "Sparad" in first.content.decode()
    client.post(url, {"revision": 1, "introduction": "Ett år av förändring och växt."}, **htmx)
    text = ReportText.objects.get(unit=lotsen, year=2026)
    assert (text.revision, text.introduction) == (2, "Ett år av förändring och växt.")
    assert [v.introduction for v in text.versions.all()] == ["Ett år av förändring."]
    # The same text again is no new version.
    client.post(url, {"revision": 2, "introduction": "Ett år av förändring och växt."}, **htmx)
    assert text.versions.count() == 1
    page = client.get(_page(eva, lotsen)).content.decode()
    assert "Ett år av förändring." in page and "Tidigare version" in page


def test_r20_two_managers_saving_the_same_text_is_detected_and_nothing_is_lost(
    client, eva, lotsen
) -> None:
    other = make_staff("olle", lotsen, Role.MANAGER, first_name="Olle")
    url = reverse("reporting:text", args=[lotsen.pk, 2026])
    client.force_login(other)
    client.post(url, {"revision": 0, "analysis": "Olles analys."})
    client.force_login(eva)
    response = client.post(url, {"revision": 0, "analysis": "Evas analys."})
    assert response.status_code == 409
    assert "Evas analys." in response.content.decode()  # still in the form
    assert ReportText.objects.get(unit=lotsen, year=2026).analysis == "Olles analys."


def test_r20_reminded_from_1_march_until_marked_sent(client, beroende, sara, lotsen, eva) -> None:
    assert report_reminders(today=D(2027, 2, 28)) == []
    due = report_reminders(today=D(2027, 3, 1))
    assert [(r.unit_name, r.year, r.due) for r in due] == [
        ("Beroendemottagningen", 2026, D(2027, 3, 31))
    ]
    # The daily digest tells the manager, with no person named and no rule code.
    assert reminder_digests_send(today=D(2027, 3, 1)) == 1
    message = mail.outbox[-1]
    assert message.to == ["sara@lotsen.example"]
    assert "Verksamhetsberättelsen för 2026 ska lämnas senast 2027-03-31" in message.body
    assert not RULE_CODE.search(message.body + message.subject)
    client.force_login(sara)
    response = client.post(
        reverse("reporting:sent", args=[beroende.pk, 2026]), {"sent_on": "2026-11-20"}
    )
    assert response.status_code == 302
    assert ReportText.objects.get(unit=beroende, year=2026).sent_on == D(2026, 11, 20)
    assert report_reminders(today=D(2027, 3, 2)) == []
    # A date in the future is refused with a message.
    bad = client.post(
        reverse("reporting:sent", args=[beroende.pk, 2026]), {"sent_on": "2030-01-01"}
    )
    assert bad.status_code == 400 and "framtiden" in bad.content.decode()


def test_r20_the_home_page_shows_the_report_due(client, beroende, sara, time_machine) -> None:
    time_machine.move_to(datetime.datetime(2027, 3, 5, 10, 0))
    client.force_login(sara)
    page = client.get(reverse("home")).content.decode()
    assert "verksamhetsberättelsen för 2026 ska lämnas senast 2027-03-31" in page


@pytest.fixture
def goals(lotsen, training, anna):  # type: ignore[no-untyped-def]
    """Ended trainings: 2024 one of two to work; 2025 two of two to a next step; 2026 none."""
    for end, outcome in (
        (D(2024, 5, 1), Outcome.EMPLOYMENT),
        (D(2024, 6, 1), Outcome.ENDED_EARLY),
        (D(2025, 3, 1), Outcome.STUDIES),
        (D(2025, 4, 1), Outcome.LABOUR_MARKET),
    ):
        place = make_place(make_participant(lotsen), training, start=D(2023, 1, 2), end=end)
        place.outcome = outcome
        place.save(update_fields=["outcome"])
    for year, target in ((2024, 40), (2026, 60)):
        Goal.objects.create(
            unit=lotsen,
            year=year,
            title="Fler går vidare",
            indicator=Indicator.NEXT_STEP_SHARE,
            target=target,
        )
    Goal.objects.create(
        unit=lotsen,
        year=2026,
        title="Öppet som beställt",
        indicator=Indicator.OPEN_DAYS,
        target=230,
    )


def test_r19_goals_show_target_and_actual_for_the_year_and_two_before(goals, lotsen) -> None:
    rows = goal_rows(unit=lotsen, year=2026, today=TODAY)
    share = next(r for r in rows if r.indicator == Indicator.NEXT_STEP_SHARE)
    assert [(c.year, c.target, c.actual) for c in share.cells] == [
        (2024, Decimal(40), Decimal("50.0")),
        (2025, None, Decimal("100.0")),
        (2026, Decimal(60), None),
    ]
    days = next(r for r in rows if r.indicator == Indicator.OPEN_DAYS)
    assert days.cells[-1].actual > 200


def test_r19_manager_adds_a_goal_and_bad_input_gets_a_message(client, eva, lotsen) -> None:
    client.force_login(eva)
    url = reverse("reporting:goal_add", args=[lotsen.pk, 2026])
    bad = client.post(
        url, {"title": "Kortare kö", "indicator": Indicator.MEDIAN_WAIT, "target": "många"}
    )
    assert bad.status_code == 400 and "Kortare kö" in bad.content.decode()
    ok = client.post(
        url, {"title": "Kortare kö", "indicator": Indicator.MEDIAN_WAIT, "target": "30"}
    )
    assert ok.status_code == 302
    assert Goal.objects.get(unit=lotsen, year=2026).target == 30


def test_r19_a_unit_is_offered_only_the_indicators_of_its_own_programmes(
    client, eva, sara, lotsen, beroende
) -> None:
    client.force_login(eva)
    page = client.get(_page(eva, lotsen)).content.decode()
    assert "Förändring av boendestöd mellan start och avslut" in page
    assert "Median väntetid från anmälan till antagning" in page
    for other in (
        "Personer som fick arbete genom Supported Employment",
        "Nya ärenden under året",
        "Andel som fullföljde primärbehandlingen",
        "Deltagartillfällen i gruppbehandling",
    ):
        assert other not in page
    client.force_login(sara)
    page = client.get(_page(sara, beroende)).content.decode()
    assert "Andel som fullföljde primärbehandlingen" in page
    assert "Förändring av boendestöd" not in page and "Supported Employment" not in page


def test_r19_a_posted_indicator_of_another_units_programme_is_refused(client, eva, lotsen) -> None:
    client.force_login(eva)
    url = reverse("reporting:goal_add", args=[lotsen.pk, 2026])
    response = client.post(
        url, {"title": "Fler i arbete", "indicator": Indicator.IPS_GOT_WORK, "target": "5"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Indikatorn hör inte till enhetens verksamhet" in page and "Fler i arbete" in page
    assert not Goal.objects.filter(unit=lotsen).exists()


def test_r20_generating_makes_a_new_version_kept_with_its_time(
    client, goals, eva, henrik, lotsen, tmp_path, django_capture_on_commit_callbacks
) -> None:
    client.force_login(eva)
    with django_capture_on_commit_callbacks() as queued:
        client.post(reverse("reporting:generate", args=[lotsen.pk, 2026]))
        client.post(reverse("reporting:generate", args=[lotsen.pk, 2026]))
    assert len(queued) == 2  # a task each, run by the worker after the commit
    first, second = ReportFile.objects.filter(unit=lotsen, year=2026).order_by("version")
    assert (first.version, second.version, first.status) == (1, 2, FileStatus.QUEUED)
    status = client.get(reverse("reporting:file_status", args=[first.pk])).content.decode()
    assert "hx-trigger" in status and "Skapas" in status
    report_file_build(file_id=first.pk, today=TODAY, base_url="/")
    status = client.get(reverse("reporting:file_status", args=[first.pk])).content.decode()
    assert "Ladda ned PDF" in status and "hx-trigger" not in status
    pdf = client.get(reverse("reporting:file_pdf", args=[first.pk]))
    text = pdf_text(pdf.content, tmp_path)
    assert "Effektmål och indikatorer" in text and "Fler går vidare" in text
    assert "Besök per månad" not in text or "Månad" in text  # a chart comes with its table
    assert "Effektmål: mål och utfall 2026" in text
    assert not RULE_CODE.search(text)
    # Another unit's manager cannot fetch the file.
    client.force_login(henrik)
    assert client.get(reverse("reporting:file_pdf", args=[first.pk])).status_code == 404


def test_r20_the_annual_csv_writes_decimals_with_a_comma_as_the_other_exports() -> None:
    """ "2106335.27" in a ;-separated file is a date or text to a Swedish Excel."""
    body = as_csv(
        [
            Line("Kostnad", "Årsersättning (kr)", Decimal("2106335.27"), count=False),
            Line("Nyckeltal", "Besök med namn", 3),
        ]
    ).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert rows[1:] == [
        ["Kostnad", "Årsersättning (kr)", "2106335,27"],
        ["Nyckeltal", "Besök med namn", "färre än 5"],
    ]


def test_l4_a_typed_title_a_spreadsheet_would_run_is_exported_as_text(client, eva, lotsen) -> None:
    """A goal's title is typed by the manager; "=HYPERLINK(...)" would run in Excel when the
    administration opens the CSV. Numbers, a negative one too, stay numbers."""
    title = '=HYPERLINK("http://example.org";"Klicka")'
    Goal.objects.create(
        unit=lotsen, year=2026, title=title, indicator=Indicator.HOUSING_SUPPORT_CHANGE, target=-1
    )
    client.force_login(eva)
    response = client.get(reverse("reporting:export", args=[lotsen.pk, 2026, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    goal = [row for row in rows if row[0].endswith('HYPERLINK("http://example.org";"Klicka")')]
    assert goal and all(row[0] == "'" + title for row in goal)
    assert ["'" + title, "Mål 2026", "-1,0"] in goal  # a number, not text


def test_l4_a_typed_title_a_spreadsheet_would_run_is_text_in_the_xlsx_too(
    client, eva, lotsen
) -> None:
    """openpyxl stores a string starting with "=" as a formula; the title stays text."""
    title = '=HYPERLINK("http://example.org";"Klicka")'
    Goal.objects.create(
        unit=lotsen, year=2026, title=title, indicator=Indicator.HOUSING_SUPPORT_CHANGE, target=-1
    )
    client.force_login(eva)
    response = client.get(reverse("reporting:export", args=[lotsen.pk, 2026, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row[0] for row in sheet.iter_rows() if "HYPERLINK" in str(row[0].value)]
    assert cells and all(c.value == title and c.data_type == "s" for c in cells)
    goal_rows = [row for row in sheet.iter_rows(values_only=True) if row[0] == title]
    assert (title, "Mål 2026", -1) in goal_rows  # the target is still a number


def test_l4_exports_suppress_counts_under_five(client, eva, lotsen, drop_in, anna) -> None:
    for _ in range(3):
        make_place(
            make_participant(lotsen, protected_identity=True),
            drop_in,
            hours=None,
            start=D(2026, 2, 1),
        )
    client.force_login(eva)
    response = client.get(reverse("reporting:export", args=[lotsen.pk, 2026, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    values = {label: value for _section, label, value in rows[1:]}
    assert values["Personer med insats under året"] == "färre än 5"
    assert values["Besök med namn"] == "0"
    assert values["Öppna dagar"].isdigit()
    xlsx = client.get(reverse("reporting:export", args=[lotsen.pk, 2026, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = {row[1]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert cells["Personer med insats under året"] == "färre än 5"
    for p in ("Testsson", "protected"):
        assert p not in response.content.decode()


def test_report_page_queries_do_not_grow_with_data(
    client, goals, eva, lotsen, training, django_assert_max_num_queries
) -> None:
    client.force_login(eva)
    url = reverse("reporting:export", args=[lotsen.pk, 2026, "csv"])
    with django_assert_max_num_queries(80):
        client.get(url)
    for n in range(10):
        place = make_place(
            make_participant(lotsen), training, start=D(2026, 1, 5), end=D(2026, 6, n + 1)
        )
        place.outcome = Outcome.EMPLOYMENT
        place.save(update_fields=["outcome"])
    with django_assert_max_num_queries(80):
        client.get(url)
        client.get(_page(eva, lotsen))


def test_r20_a_conflict_while_typing_is_shown_in_the_status_line(client, eva, lotsen) -> None:
    client.force_login(eva)
    url = reverse("reporting:text", args=[lotsen.pk, 2026])
    client.post(url, {"revision": 0, "analysis": "Först."})
    response = client.post(url, {"revision": 0, "analysis": "Sedan."}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Inte sparat" in response.content.decode()
    assert ReportText.objects.get(unit=lotsen, year=2026).analysis == "Först."
