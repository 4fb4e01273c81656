"""The IPS pages (R21, R22, L2): the specialist's home, a case's steps with bad input, the
employer register, and the monthly follow-up as page, PDF (read with pdftotext) and CSV."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from employment.models import Case, ContactKind, Employer, JobKind, Step
from employment.services import case_move, contact_record, job_start_record
from lotsen.models import User
from tests.employment.factories import open_case
from tests.factories import TODAY

pytestmark = pytest.mark.django_db
D = datetime.date
RULE_CODE = re.compile(r"\b[RL]\d{1,2}\b")


def test_r21_specialist_home_shows_cases_next_step_and_contacts(
    client, ips, sofia, employer
) -> None:
    late = open_case(ips, sofia, intake=D(2026, 10, 1))
    recent = open_case(ips, sofia, intake=D(2026, 11, 16))
    contact_record(
        employer=employer,
        on=D(2026, 11, 20),
        kind=ContactKind.FIRST,
        by=sofia,
        today=TODAY,
        case=recent,
    )
    client.force_login(sofia)
    page = client.get(reverse("home")).content.decode()
    assert late.enrolment.participant.full_name in page
    assert "ingen ännu, 53 dagar sedan inskrivning" in page
    assert "3 dagar sedan" in page
    assert "Gör yrkesprofilen tillsammans med personen" in page
    assert "Nya ärenden i år: 2 (mål 20–25)" in page
    assert "Arbetsgivarkontakter denna vecka: 0 (mål 6)" in page
    assert "Inget att göra just nu" not in page
    assert not RULE_CODE.search(page)


def test_r21_home_query_count_does_not_grow(
    client, ips, sofia, employer, django_assert_max_num_queries
) -> None:
    client.force_login(sofia)
    open_case(ips, sofia, intake=D(2026, 10, 1))
    with django_assert_max_num_queries(40) as before:
        client.get(reverse("home"))
    for _ in range(5):
        case = open_case(ips, sofia, intake=D(2026, 10, 1))
        contact_record(
            employer=employer, on=TODAY, kind=ContactKind.MEETING, by=sofia, today=TODAY, case=case
        )
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(reverse("home"))


def test_r21_case_page_logs_the_read_and_moves_a_step(client, ips, sofia) -> None:
    case = open_case(ips, sofia, intake=D(2026, 11, 2))
    client.force_login(sofia)
    assert client.get(reverse("employment:case", args=[case.pk])).status_code == 200
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()
    url = reverse("employment:case_step", args=[case.pk])
    bad = client.post(url, {"to": Step.PROFILE, "on": "2026-11-01", "revision": 1})
    assert bad.status_code == 400
    assert "Datumet ligger före föregående steg (2026-11-02)" in bad.content.decode()
    good = client.post(url, {"to": Step.PROFILE, "on": "2026-11-10", "revision": 1})
    assert good.status_code == 302
    stale = client.post(url, {"to": Step.JOB_SEARCH, "on": "2026-11-20", "revision": 1})
    assert stale.status_code == 409
    assert "Någon annan har ändrat ärendet medan du skrev" in stale.content.decode()
    case.refresh_from_db()
    assert case.step == Step.PROFILE


def test_a_step_from_a_stale_case_page_names_the_colleagues_step_and_keeps_the_note(
    client, ips, sofia, henrik
) -> None:
    """Two tabs: the specialist registers the profile, then the other page offers it again."""
    case = open_case(ips, sofia, intake=D(2026, 11, 2))
    stale = case.revision
    case_move(case=case, to=Step.PROFILE, on=TODAY, by=sofia, revision=stale, today=TODAY)
    client.force_login(henrik)
    response = client.post(
        reverse("employment:case_step", args=[case.pk]),
        {"to": Step.PROFILE, "on": "2026-11-23", "note": "Profil klar i dag.", "revision": stale},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Någon annan har ändrat ärendet medan du skrev" in page
    assert "står nu i steget ”yrkesprofil”, registrerat av Sofia Holm" in page
    assert "Profil klar i dag." in page
    assert "finns inte bland" not in page and "profile finns" not in page
    case.refresh_from_db()
    assert f'name="revision" value="{case.revision}"' in page
    assert case.steps.count() == 2


def test_a_note_from_a_stale_page_on_an_ended_case_is_shown_unsaved(
    client, ips, sofia, henrik
) -> None:
    from employment.models import CaseOutcome
    from employment.services import case_end

    case = open_case(ips, sofia, intake=D(2026, 11, 2))
    stale = case.revision
    case_end(
        case=case,
        outcome=CaseOutcome.NONE,
        on=TODAY,
        by=sofia,
        revision=stale,
        today=TODAY,
        note="Flyttade från kommunen.",
    )
    client.force_login(henrik)
    response = client.post(
        reverse("employment:case_step", args=[case.pk]),
        {"to": Step.PROFILE, "on": "2026-11-23", "note": "Profil klar i dag.", "revision": stale},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Din anteckning, som inte är sparad" in page and "Profil klar i dag." in page
    assert case.steps.count() == 2


def test_r21_job_start_accepts_a_decimal_comma(client, ips, sofia, employer) -> None:
    case = open_case(ips, sofia, intake=D(2026, 11, 2))
    client.force_login(sofia)
    url = reverse("employment:job_start", args=[case.pk])
    response = client.post(
        url,
        {
            "kind": JobKind.JOB,
            "employer": employer.pk,
            "start_date": "2026-11-20",
            "hours_per_week": "12,5",
            "end_date": "2026-11-19",
            "revision": 1,
        },
    )
    assert response.status_code == 400
    assert "Slutdatumet ligger före startdatumet" in response.content.decode()
    response = client.post(
        url,
        {
            "kind": JobKind.JOB,
            "employer": employer.pk,
            "start_date": "2026-11-20",
            "hours_per_week": "12,5",
            "revision": 1,
        },
    )
    assert response.status_code == 302
    assert str(case.job_starts.get().hours_per_week) == "12.5"


def test_r21_open_a_case_from_a_place_and_register_an_employer(
    client, ips, sofia, hantverkshuset
) -> None:
    from tests.factories import make_participant, make_place

    place = make_place(
        make_participant(hantverkshuset), ips.programme, hours=None, start=D(2026, 11, 2)
    )
    client.force_login(sofia)
    assert place.participant.full_name in client.get(reverse("employment:cases")).content.decode()
    response = client.post(
        reverse("employment:case_open", args=[place.pk]),
        {"specialist": sofia.pk, "intake_on": "2026-11-03"},
    )
    assert response.status_code == 302
    assert Case.objects.get().specialist == sofia
    response = client.post(reverse("employment:employers"), {"name": "Caféet AB"})
    assert response.status_code == 302
    again = client.post(reverse("employment:employers"), {"name": "caféet ab"})
    assert again.status_code == 400 and "finns redan" in again.content.decode()
    assert Employer.objects.get().unit == hantverkshuset


def test_r21_contact_double_submit_is_saved_once(client, ips, sofia, employer) -> None:
    client.force_login(sofia)
    data = {
        "employer": employer.pk,
        "on": "2026-11-20",
        "kind": ContactKind.FIRST,
        "submission_key": "abc",
    }
    client.post(reverse("employment:contact_create"), data)
    second = client.post(reverse("employment:contact_create"), data, follow=True)
    assert "sparades inte två gånger" in second.content.decode()
    assert employer.contacts.count() == 1


def test_r21_follow_up_dates_in_wrong_order(client, ips, sofia) -> None:
    client.force_login(sofia)
    response = client.get(
        reverse("employment:follow_up"),
        {"programme": ips.pk, "start": "2026-10-31", "end": "2026-10-01"},
    )
    assert response.status_code == 400
    assert "Slutdatumet ligger före startdatumet" in response.content.decode()


def test_r21_follow_up_page_shows_exact_counts(client, ips, sofia, world) -> None:
    client.force_login(sofia)
    response = client.get(
        reverse("employment:follow_up"),
        {"programme": ips.pk, "start": "2026-10-01", "end": "2026-10-31"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sofia Holm" in page and "Jonas Ek" in page
    new_cases = re.search(r"Nya ärenden</th><td[^>]*>(\w+)<", page)
    assert new_cases is not None and new_cases.group(1) == "2"
    assert "Personer som började studera" in page
    assert not RULE_CODE.search(page)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
def test_r21_monthly_pdf_suppresses_small_counts(client, ips, sofia, world, tmp_path) -> None:
    client.force_login(sofia)
    response = client.get(
        reverse("employment:follow_up"),
        {"programme": ips.pk, "start": "2026-10-01", "end": "2026-10-31", "format": "pdf"},
    )
    assert response["Content-Type"] == "application/pdf"
    assert "2026-10-01" in response["Content-Disposition"]
    pdf = tmp_path / "f.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Månadsuppföljning" in text and "Period 2026-10-01–2026-10-31" in text
    new_cases = next(line for line in text.splitlines() if line.strip().startswith("Nya ärenden "))
    assert "färre än 5" in new_cases and " 2 " not in new_cases
    assert "Årsarbetare" in text and "1,50" in text
    assert not RULE_CODE.search(text)


def test_r21_csv_suppresses_small_counts(client, ips, sofia, world) -> None:
    client.force_login(sofia)
    response = client.get(
        reverse("employment:follow_up"),
        {"programme": ips.pk, "start": "2026-10-01", "end": "2026-10-31", "format": "csv"},
    )
    assert response.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    month, year_to_date, _queue = response.content.decode("utf-8-sig").split("\r\n\r\n", 2)
    assert month.startswith("2026-10-01–2026-10-31")
    assert year_to_date.startswith("2026-01-01–2026-10-31")
    rows = {line.split(";")[0]: line.split(";")[1:] for line in month.splitlines()}
    assert rows["Nya ärenden"][0] == "färre än 5"  # the words of the annual report's CSV
    assert rows["Mått"] == ["Teamet", "Jonas Ek", "Sofia Holm"]
    rows = {line.split(";")[0]: line.split(";")[1:] for line in year_to_date.splitlines()}
    assert rows["Nya ärenden"][0] == "6"  # five or more: shown


def test_r21_follow_up_query_count_does_not_grow(
    client, ips, sofia, world, django_assert_max_num_queries
) -> None:
    client.force_login(sofia)
    params = {"programme": ips.pk, "start": "2026-01-01", "end": "2026-11-30"}
    with django_assert_max_num_queries(40) as before:
        client.get(reverse("employment:follow_up"), params)
    for _ in range(5):
        job_start_record(
            case=open_case(ips, sofia, intake=D(2026, 10, 1)),
            kind=JobKind.STUDIES,
            start_date=TODAY,
            by=sofia,
            today=TODAY,
            revision=None,
        )
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(reverse("employment:follow_up"), params)


def test_issue15_capacity_page_at_an_ips_unit(client, ips, sofia) -> None:
    client.force_login(sofia)
    page = client.get(reverse("participants:capacity_list")).content.decode()
    assert "inga program med begränsat antal platser" not in page
    assert "nya ärenden i år" in page.lower()


def test_issue15_ips_only_unit_has_no_lotsen_tabs(client, ips, sofia, anna) -> None:
    client.force_login(sofia)
    page = client.get(reverse("employment:overview")).content.decode()
    assert "Arbete" in page and "Samverkan" not in page and "Närvaro" not in page
    client.force_login(anna)
    page = client.get(reverse("home")).content.decode()
    assert "Samverkan" in page and reverse("employment:overview") not in page


def test_demo_shows_ips_work_in_every_step(domain) -> None:
    from employment.models import EmployerContact, JobStart
    from lotsen.demo import load_demo

    assert load_demo(today=TODAY)
    henrik = User.objects.get(username="henrik")
    assert Case.objects.count() == 70
    assert set(Case.objects.values_list("step", flat=True)) == set(Step.values)
    assert Case.objects.filter(specialist=henrik, ended_on__isnull=True).exists()
    assert EmployerContact.objects.filter(case__isnull=True).count() > 50
    assert JobStart.objects.filter(end_date__isnull=False).exists()
    assert User.objects.get(username="lena").is_manager


def test_l4_employer_page_hides_a_protected_persons_name(
    client, ips, sofia, jonas, employer
) -> None:
    case = open_case(ips, jonas, intake=D(2026, 11, 2))
    person = case.enrolment.participant
    person.protected_identity = True
    person.save()
    case.enrolment.contact_person = jonas
    case.enrolment.save()
    contact_record(
        employer=employer, on=TODAY, kind=ContactKind.FIRST, by=jonas, today=TODAY, case=case
    )
    client.force_login(sofia)
    page = client.get(reverse("employment:employer", args=[employer.pk])).content.decode()
    assert person.last_name not in page and "en person" in page
    client.force_login(jonas)
    page = client.get(reverse("employment:employer", args=[employer.pk])).content.decode()
    assert person.last_name in page


def test_r21_a_case_changes_specialist(client, ips, sofia, jonas, henrik) -> None:
    case = open_case(ips, sofia, intake=D(2026, 11, 2))
    client.force_login(sofia)
    url = reverse("employment:case_reassign", args=[case.pk])
    assert client.post(url, {"specialist": henrik.pk, "revision": 1}).status_code == 400
    assert client.post(url, {"specialist": jonas.pk, "revision": 1}).status_code == 302
    case.refresh_from_db()
    assert case.specialist == jonas and case.revision == 2
    assert LogEntry.objects.get_for_object(case).filter(changes__icontains="specialist").exists()


@pytest.mark.parametrize(
    "name", ["employment:cases", "employment:employers", "employment:overview"]
)
def test_list_pages_query_count_does_not_grow(
    client, ips, sofia, employer, django_assert_max_num_queries, name
) -> None:
    client.force_login(sofia)
    open_case(ips, sofia, intake=D(2026, 10, 1))
    with django_assert_max_num_queries(40) as before:
        assert client.get(reverse(name)).status_code == 200
    for index in range(5):
        case = open_case(ips, sofia, intake=D(2026, 10, 1))
        contact_record(
            employer=employer, on=TODAY, kind=ContactKind.MEETING, by=sofia, today=TODAY, case=case
        )
        Employer.objects.create(unit=employer.unit, name=f"Firma {index}", created_by=sofia)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(reverse(name))


def test_employer_page_query_count_does_not_grow(
    client, ips, sofia, employer, django_assert_max_num_queries
) -> None:
    client.force_login(sofia)
    url = reverse("employment:employer", args=[employer.pk])
    with django_assert_max_num_queries(40) as before:
        client.get(url)
    for _ in range(5):
        case = open_case(ips, sofia, intake=D(2026, 10, 1))
        contact_record(
            employer=employer, on=TODAY, kind=ContactKind.MEETING, by=sofia, today=TODAY, case=case
        )
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)


def test_r21_period_links_work_without_choosing_the_programme(client, ips, sofia) -> None:
    client.force_login(sofia)
    response = client.get(
        reverse("employment:follow_up"), {"start": "2026-10-01", "end": "2026-10-31"}
    )
    assert response.status_code == 200
    assert "2026-01-01–2026-10-31" in response.content.decode()


def test_r21_administrator_edits_the_numbers_and_specialists(admin_client, ips, sofia) -> None:
    url = reverse("admin:employment_employmentprogramme_change", args=[ips.pk])
    page = admin_client.get(url).content.decode()
    assert "Sofia Holm" in page and 'name="max_caseload_per_fte"' in page


WITHHELD = "dolt, färre än 5"


def test_r21_exports_hide_medians_and_shares_of_small_groups_with_words_not_a_count(
    client, ips, sofia, world, tmp_path
) -> None:
    """October: the team's one evaluated first contact (10 days). The page shows the median
    and the share; the CSV and the PDF hide both with other words than a count's "färre än 5" (which
    reads as a count), and all three say so in the same note."""
    client.force_login(sofia)
    params = {"programme": ips.pk, "start": "2026-10-01", "end": "2026-10-31"}
    page = client.get(reverse("employment:follow_up"), params).content.decode()
    median = "Dagar från inskrivning till första arbetsgivarkontakt, median"
    within = "Första arbetsgivarkontakt inom 30 dagar"
    assert re.search(median + r"</th><td[^>]*>10,0<", page)
    assert re.search(within + r"</th><td[^>]*>100 %<", page)
    assert WITHHELD in page  # the note says what the exports show instead
    response = client.get(reverse("employment:follow_up"), {**params, "format": "csv"})
    month = response.content.decode("utf-8-sig").split("\r\n\r\n", 1)[0]
    rows = {line.split(";")[0]: line.split(";")[1:] for line in month.splitlines()}
    assert rows[median][0] == WITHHELD and rows[within][0] == WITHHELD
    assert rows["Nya ärenden"][0] == "färre än 5"  # a count stays a count
    assert WITHHELD in response.content.decode("utf-8-sig").rsplit("\r\n\r\n", 1)[1]
    if shutil.which("pdftotext") is None:
        return
    pdf = tmp_path / "f.pdf"
    pdf.write_bytes(
        client.get(reverse("employment:follow_up"), {**params, "format": "pdf"}).content
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    line = next(x for x in text.splitlines() if x.strip().startswith("Första arbetsgivarkontakt"))
    assert "dolt" in line and not re.search(r"(?<!dolt, )färre än 5", line)
    assert not RULE_CODE.search(text)


def test_r22_queue_median_of_a_small_month_is_withheld_not_a_count(ips, hantverkshuset, sofia):  # type: ignore[no-untyped-def]
    from employment.figures import period_figures, queue_rows
    from referrals.models import ReferralStep
    from tests.factories import make_referral

    referral = make_referral(
        hantverkshuset, programme=ips.programme, status="accepted", received_on=D(2026, 9, 1)
    )
    ReferralStep.objects.create(
        referral=referral, from_status="waiting", to_status="accepted", on=D(2026, 9, 21), by=sofia
    )
    f = period_figures(ips, start=D(2026, 9, 1), end=D(2026, 9, 30), today=TODAY)
    assert queue_rows(f, suppress=False)[0][2:] == ("20,0", "1")
    assert queue_rows(f, suppress=True)[0][2:] == (WITHHELD, "färre än 5")


def test_r11_closing_a_case_starts_with_no_outcome_chosen(client, ips, sofia) -> None:
    case = open_case(ips, sofia, intake=D(2026, 11, 2))
    client.force_login(sofia)
    page = client.get(reverse("employment:case", args=[case.pk])).content.decode()
    select = re.search(r'<select name="outcome".*?</select>', page, re.S)
    assert select is not None
    options = re.findall(r"<option[^>]*>", select.group(0))
    assert 'value=""' in options[0] and "selected" in options[0]
    assert not any("selected" in o for o in options[1:])
    url = reverse("employment:case_end", args=[case.pk])
    response = client.post(url, {"outcome": "", "on": "2026-11-20", "note": "", "revision": 1})
    assert response.status_code == 400
    assert "Välj vad ärendet ledde till." in response.content.decode()
    case.refresh_from_db()
    assert case.ended_on is None and case.outcome == ""


def test_r21_new_cases_this_year_is_one_count_everywhere(
    client, ips, sofia, world, hantverkshuset
) -> None:
    """A place accepted from the waiting list with no case opened yet is not a new case:
    the capacity page, the manager's home, the follow-up and the annual report all say 6."""
    from reporting.figures import annual_figures
    from tests.factories import make_participant, make_place, make_staff

    make_place(make_participant(hantverkshuset), ips.programme, start=D(2026, 11, 2), hours=None)
    client.force_login(sofia)
    capacity = client.get(reverse("participants:capacity_list")).content.decode()
    row = re.search(r"<td>Support och arbetsteamet[^<]*</td><td>(\d+)</td>", capacity)
    assert row is not None and row.group(1) == "6"
    client.force_login(make_staff("lena2", hantverkshuset, role="manager"))
    home = client.get(reverse("home")).content.decode()
    assert re.search(r"Support och arbetsteamet[^<]*</a>: 6 nya i år av 75", home)
    params = {"programme": ips.pk, "start": "2026-01-01", "end": "2026-11-23"}
    follow_up = client.get(reverse("employment:follow_up"), params).content.decode()
    new_cases = re.search(r"Nya ärenden</th><td[^>]*>(\d+)<", follow_up)
    assert new_cases is not None and new_cases.group(1) == "6"
    assert annual_figures(unit=hantverkshuset, year=2026, today=TODAY).ips.new_cases == 6


def test_r21_a_double_click_on_register_start_saves_one_start_quietly(
    client, ips, sofia, employer
) -> None:
    case = open_case(ips, sofia, intake=D(2026, 11, 2))
    client.force_login(sofia)
    page = client.get(reverse("employment:case", args=[case.pk])).content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page)
    assert key is not None
    data = {
        "kind": JobKind.JOB,
        "employer": employer.pk,
        "start_date": "2026-11-20",
        "revision": 1,
        "submission_key": key.group(1),
    }
    url = reverse("employment:job_start", args=[case.pk])
    first = client.post(url, data)
    second = client.post(url, data, follow=True)  # the same form, sent again
    assert first.status_code == 302 and second.status_code == 200
    shown = second.content.decode()
    assert "Någon annan ändrade ärendet samtidigt" not in shown
    assert "Starten är registrerad." in shown
    assert case.job_starts.count() == 1
    case.refresh_from_db()
    assert case.step == Step.STARTED and case.revision == 2
    # A new form (a new key) on a stale revision is still a conflict.
    again = client.post(url, {**data, "submission_key": "another"}, follow=True)
    assert "Någon annan ändrade ärendet samtidigt" in again.content.decode()
    assert case.job_starts.count() == 1


@pytest.mark.django_db(transaction=True)
def test_r21_two_clicks_at_the_same_moment_save_one_start(ips, sofia, employer) -> None:
    from django.db import connection

    from employment.services import CaseConflict
    from tests.race import race

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    case = open_case(ips, sofia, intake=D(2026, 11, 2))

    def click() -> object:
        return job_start_record(
            case=case,
            kind=JobKind.JOB,
            employer=employer,
            start_date=D(2026, 11, 20),
            by=sofia,
            today=TODAY,
            revision=1,
            submission_key="same-form",
        )

    assert race([click, click], conflicts=(CaseConflict,)) == ["ok", "ok"]
    assert case.job_starts.count() == 1


def test_l2_staff_of_a_unit_without_ips_get_404_on_the_ips_pages(client, ips, maria) -> None:
    """Beroendemottagningen runs no IPS programme: its staff reach no IPS page, so no page
    of theirs offers a link (such as "Månadsuppföljning") that leads nowhere."""
    client.force_login(maria)
    for name in ("overview", "cases", "employers", "contact_create", "follow_up"):
        assert client.get(reverse(f"employment:{name}")).status_code == 404, name
    assert client.post(reverse("employment:employers"), {"name": "X"}).status_code == 404
    assert "/arbete/" not in client.get(reverse("home")).content.decode()


def test_r21_home_flags_cases_longer_than_the_limit_without_an_employer_contact(
    client, ips, sofia, employer
) -> None:
    """The fidelity scale's 30 days to a first employer contact is also how long a case may
    go without one: those past it are flagged and come first, longest without at the top."""

    def contact(case: Case, on: datetime.date) -> None:
        contact_record(
            employer=employer, on=on, kind=ContactKind.MEETING, by=sofia, today=TODAY, case=case
        )

    recent = open_case(ips, sofia, intake=D(2026, 8, 1))
    contact(recent, D(2026, 11, 20))  # 3 days ago
    lapsed = open_case(ips, sofia, intake=D(2026, 9, 1))
    contact(lapsed, D(2026, 9, 10))  # a first contact in time ...
    contact(lapsed, D(2026, 10, 13))  # ... and none for the last 41 days
    never = open_case(ips, sofia, intake=D(2026, 10, 1))  # 53 days, no contact
    new = open_case(ips, sofia, intake=D(2026, 11, 16))  # 7 days, no contact yet: in time
    client.force_login(sofia)
    page = client.get(reverse("home")).content.decode()
    rows = re.findall(r"<tr>\s*<td><a href=\"/arbete/arenden/(\d+)/\">.*?</tr>", page, re.S)
    assert [int(pk) for pk in rows] == [never.pk, lapsed.pk, recent.pk, new.pk]
    flagged = "(mer än 30 dagar utan arbetsgivarkontakt)"
    cells = dict(
        (int(pk), row) for pk, row in re.findall(r"/arbete/arenden/(\d+)/\">(.*?)</tr>", page, re.S)
    )
    assert flagged in cells[never.pk] and flagged in cells[lapsed.pk]
    assert "41 dagar sedan" in cells[lapsed.pk]
    assert flagged not in cells[recent.pk] and flagged not in cells[new.pk]


FLAGGED = "(mer än 30 dagar utan arbetsgivarkontakt)"


def _rows(page: str) -> dict[int, str]:
    """The case rows of a page, in page order: case id → the row's cells."""
    return {
        int(pk): row
        for pk, row in re.findall(
            r"<tr>\s*<td><a href=\"/arbete/arenden/(\d+)/\">(.*?)</tr>", page, re.S
        )
    }


def test_r21_team_list_flags_and_orders_cases_like_the_specialists_list(
    client, ips, sofia, jonas, henrik, employer
) -> None:
    """The manager's view of the whole team: the cases past the limit first, the longest
    without an employer contact at the top, with the specialist's list's words; the rest
    by specialist and intake as before."""

    def contact(case: Case, on: datetime.date, by: User) -> None:
        contact_record(
            employer=employer, on=on, kind=ContactKind.MEETING, by=by, today=TODAY, case=case
        )

    recent = open_case(ips, sofia, intake=D(2026, 8, 1))
    contact(recent, D(2026, 11, 20), sofia)  # 3 days ago
    lapsed = open_case(ips, sofia, intake=D(2026, 9, 1))
    contact(lapsed, D(2026, 10, 13), sofia)  # 41 days ago
    never = open_case(ips, jonas, intake=D(2026, 10, 1))  # 53 days, no contact
    new = open_case(ips, jonas, intake=D(2026, 11, 16))  # 7 days, in time
    url = reverse("employment:cases")
    assert client.get(url).status_code == 302  # anonymous: to log in
    client.force_login(henrik)
    rows = _rows(client.get(url).content.decode())
    assert list(rows) == [never.pk, lapsed.pk, new.pk, recent.pk]
    assert FLAGGED in rows[never.pk] and FLAGGED in rows[lapsed.pk]
    assert FLAGGED not in rows[recent.pk] and FLAGGED not in rows[new.pk]
    assert "2026-10-13" in rows[lapsed.pk]


def test_r21_no_employer_contact_flag_once_a_job_or_studies_have_started(
    client, ips, sofia, henrik
) -> None:
    """The 30 days are job development's: a case in job search is flagged, a person in work
    (started, or in follow-along support) is not, however long since an employer contact;
    on the specialist's list and the team's alike."""
    seeking = open_case(ips, sofia, intake=D(2026, 9, 1))
    case_move(
        case=seeking, to=Step.PROFILE, on=D(2026, 9, 10), by=sofia, today=TODAY, revision=None
    )
    case_move(
        case=seeking, to=Step.JOB_SEARCH, on=D(2026, 9, 20), by=sofia, today=TODAY, revision=None
    )
    started = open_case(ips, sofia, intake=D(2026, 6, 1))
    job_start_record(
        case=started,
        kind=JobKind.JOB,
        start_date=D(2026, 7, 1),
        by=sofia,
        today=TODAY,
        revision=None,
    )
    supported = open_case(ips, sofia, intake=D(2026, 5, 1))
    job_start_record(
        case=supported,
        kind=JobKind.STUDIES,
        start_date=D(2026, 6, 1),
        by=sofia,
        today=TODAY,
        revision=None,
    )
    supported.refresh_from_db()
    case_move(
        case=supported, to=Step.FOLLOW_ALONG, on=D(2026, 8, 1), by=sofia, today=TODAY, revision=None
    )
    client.force_login(sofia)
    home = _rows(client.get(reverse("home")).content.decode())
    client.force_login(henrik)
    team = _rows(client.get(reverse("employment:cases")).content.decode())
    for rows in (home, team):
        assert next(iter(rows)) == seeking.pk
        assert FLAGGED in rows[seeking.pk]
        assert FLAGGED not in rows[started.pk] and FLAGGED not in rows[supported.pk]


def test_r21_the_employer_contact_clock_starts_anew_when_a_job_ends(
    client, ips, sofia, employer
) -> None:
    """A job that ends sends the case back to job search: its 30 days of job development
    count from that day, not from the last contact before the job (or from intake)."""

    def back_to_search(case: Case, *, job_ended: datetime.date) -> None:
        case_move(
            case=case, to=Step.PROFILE, on=D(2026, 6, 10), by=sofia, today=TODAY, revision=None
        )
        case_move(
            case=case, to=Step.JOB_SEARCH, on=D(2026, 6, 20), by=sofia, today=TODAY, revision=None
        )
        contact_record(
            employer=employer,
            on=D(2026, 6, 25),
            kind=ContactKind.MEETING,
            by=sofia,
            today=TODAY,
            case=case,
        )
        job_start_record(
            case=case,
            kind=JobKind.JOB,
            start_date=D(2026, 7, 1),
            by=sofia,
            today=TODAY,
            revision=None,
        )
        case.refresh_from_db()
        case_move(case=case, to=Step.JOB_SEARCH, on=job_ended, by=sofia, today=TODAY, revision=None)

    just_back = open_case(ips, sofia, intake=D(2026, 6, 1))
    back_to_search(just_back, job_ended=TODAY - datetime.timedelta(days=5))
    long_back = open_case(ips, sofia, intake=D(2026, 6, 1))
    back_to_search(long_back, job_ended=TODAY - datetime.timedelta(days=31))
    client.force_login(sofia)
    rows = _rows(client.get(reverse("home")).content.decode())
    assert FLAGGED not in rows[just_back.pk]
    assert FLAGGED in rows[long_back.pk]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
def test_r21_starts_are_labelled_as_more_than_one_a_person(
    client, ips, sofia, world, tmp_path
) -> None:
    """Two jobs for one person: two people got work, but there were four starts."""
    job_start_record(
        case=world["b"],
        kind=JobKind.JOB,
        start_date=D(2026, 10, 19),
        by=sofia,
        today=TODAY,
        revision=None,
    )
    label = "Starter av arbete, studier och praktik (en person kan ha flera starter)"
    client.force_login(sofia)
    params = {"programme": ips.pk, "start": "2026-01-01", "end": "2026-11-23"}
    page = client.get(reverse("employment:follow_up"), params).content.decode()
    got_work = re.search(r"Personer som fick arbete</th><td[^>]*>(\d+)<", page)
    starts = re.search(re.escape(label) + r"</th><td[^>]*>(\d+)<", page)
    assert got_work is not None and got_work.group(1) == "2"
    assert starts is not None and starts.group(1) == "4"
    csv = client.get(reverse("employment:follow_up"), {**params, "format": "csv"})
    assert label in csv.content.decode("utf-8-sig")
    pdf = tmp_path / "f.pdf"
    pdf.write_bytes(
        client.get(reverse("employment:follow_up"), {**params, "format": "pdf"}).content
    )
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "en person kan ha flera starter" in " ".join(text.split())


def test_r11_ending_a_case_against_its_open_start_is_refused_on_the_page(
    client, ips, sofia, employer
) -> None:
    case = open_case(ips, sofia, intake=D(2026, 9, 1))
    job_start_record(
        case=case,
        kind=JobKind.JOB,
        start_date=D(2026, 10, 5),
        employer=employer,
        by=sofia,
        today=TODAY,
        revision=1,
    )
    url = reverse("employment:case_end", args=[case.pk])
    data = {"outcome": "studies", "on": "2026-11-20", "note": "", "revision": 2}
    client.force_login(sofia)
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Utfallet studier kräver en registrerad start av det slaget" in page
    assert "pågår fortfarande" in page
    case.refresh_from_db()
    assert not case.is_ended
    assert client.post(url, {**data, "outcome": "job"}).status_code == 302
    page = client.get(reverse("employment:case", args=[case.pk])).content.decode()
    assert "pågår efter att ärendet avslutades" in page


def test_r21_the_place_page_opens_a_case_or_leads_to_it(client, ips, sofia, hantverkshuset) -> None:
    from tests.factories import make_participant, make_place

    place = make_place(
        make_participant(hantverkshuset), ips.programme, hours=None, start=D(2026, 11, 2)
    )
    client.force_login(sofia)
    page = client.get(reverse("participants:place", args=[place.pk])).content.decode()
    assert reverse("employment:case_open", args=[place.pk]) in page
    case = open_case(ips, sofia, intake=D(2026, 11, 3))
    page = client.get(reverse("participants:place", args=[case.enrolment.pk])).content.decode()
    assert reverse("employment:case", args=[case.pk]) in page
    assert reverse("employment:case_open", args=[case.enrolment.pk]) not in page


def test_a_place_outside_ips_offers_no_case(client, anna, lotsen) -> None:
    from tests.factories import make_participant, make_place

    place = make_place(make_participant(lotsen), lotsen.programmes.first(), hours=10)
    client.force_login(anna)
    page = client.get(reverse("participants:place", args=[place.pk])).content.decode()
    assert "/arbete/" not in page


def test_r21_an_employer_contact_from_the_case_page_is_for_the_case_and_returns_to_it(
    client, ips, sofia, employer
) -> None:
    case = open_case(ips, sofia, intake=D(2026, 11, 3))
    client.force_login(sofia)
    page = client.get(reverse("employment:case", args=[case.pk])).content.decode()
    link = f"{reverse('employment:contact_create')}?arende={case.pk}"
    assert page.count(link) == 2  # the button, and the menu's link on this page
    form = client.get(link).content.decode()
    assert f'<option value="{case.pk}" selected>' in form
    saved = client.post(
        link,
        {
            "employer": employer.pk,
            "on": "2026-11-20",
            "kind": ContactKind.FIRST,
            "case": case.pk,
            "submission_key": "k1",
        },
    )
    assert saved["Location"] == reverse("employment:case", args=[case.pk])
    assert case.employer_contacts.count() == 1
    general = client.post(
        link,
        {
            "employer": employer.pk,
            "on": "2026-11-20",
            "kind": ContactKind.FIRST,
            "submission_key": "k2",
        },
    )
    assert general["Location"] == reverse("employment:employer", args=[employer.pk])


def test_r21_an_intake_before_the_place_starts_says_so_at_the_intake_date(
    client, ips, sofia, hantverkshuset
) -> None:
    from tests.factories import make_participant, make_place

    place = make_place(
        make_participant(hantverkshuset), ips.programme, hours=None, start=D(2026, 10, 5)
    )
    client.force_login(sofia)
    bad = client.post(
        reverse("employment:case_open", args=[place.pk]),
        {"specialist": sofia.pk, "intake_on": "2026-10-01"},
    )
    assert bad.status_code == 400
    assert bad.context["form"].errors["intake_on"] == [
        "Datumet ligger före platsens start (2026-10-05). Välj 2026-10-05 eller senare."
    ]
    assert "föregående steg" not in bad.content.decode()
    assert not Case.objects.exists()


def test_l2_the_team_case_list_logs_each_person_it_showed(client, ips, sofia, henrik) -> None:
    """The names on the team's list, cases and places without one, are reads of records."""
    from participants.models import RecordEvent, RecordEventKind
    from tests.factories import make_participant, make_place

    with_case = open_case(ips, sofia, intake=D(2026, 10, 1)).enrolment.participant
    waiting = make_participant(ips.programme.unit)
    make_place(waiting, ips.programme, start=D(2026, 11, 2), hours=None)
    client.force_login(henrik)
    assert client.get(reverse("employment:cases")).status_code == 200
    listed = RecordEvent.objects.filter(kind=RecordEventKind.LISTED, user=henrik)
    assert set(listed.values_list("participant_id", flat=True)) == {with_case.pk, waiting.pk}
