"""R21: a period's IPS targets use the FTE shares that applied in that period, not today's:
20–25 new cases per FTE-year, the caseload ceiling and six employer contacts a week per
full-time specialist. A share applies from its date until the next one."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from employment.figures import period_figures, table
from employment.models import ContactKind, FteShare, fte_days, fte_on
from employment.services import contact_record, specialist_add
from lotsen.models import User
from reporting.figures import annual_figures
from reporting.services import report_pdf
from tests.employment.factories import open_case
from tests.factories import TODAY, make_staff
from tests.test_annual_reports import RULE_CODE, pdf_text

pytestmark = pytest.mark.django_db
D = datetime.date


def _share(user: User, on: datetime.date, fte: str) -> None:
    FteShare.objects.create(
        specialist=user.employment_specialist.get(), valid_from=on, fte=Decimal(fte)
    )


def test_r21_fte_days_count_each_share_from_its_date() -> None:
    shares = [(D(2026, 1, 1), Decimal(1)), (D(2026, 10, 16), Decimal("0.5"))]
    assert fte_on(shares, D(2025, 12, 31)) == 0  # before the first share: none
    assert fte_on(shares, D(2026, 10, 15)) == 1
    assert fte_on(shares, D(2026, 10, 16)) == Decimal("0.5")
    # October: 15 days full time, 16 days half time.
    assert fte_days(shares, D(2026, 10, 1), D(2026, 10, 31)) == Decimal("23.0")
    # A period wholly before the first share, or after a share of 0, has no FTE-days.
    assert fte_days(shares, D(2025, 6, 1), D(2025, 6, 30)) == 0
    stopped = [*shares, (D(2026, 11, 1), Decimal(0))]
    assert fte_days(stopped, D(2026, 11, 1), D(2026, 11, 30)) == 0
    assert fte_days(stopped, D(2026, 10, 30), D(2026, 11, 2)) == Decimal("1.0")


def test_r21_a_past_month_keeps_its_own_fte_after_the_share_changes(ips, sofia) -> None:
    """sofia went from full to half time on 1 November: September is still judged as full
    time, and November as half time."""
    _share(sofia, D(2026, 11, 1), "0.5")
    september = period_figures(ips, start=D(2026, 9, 1), end=D(2026, 9, 30), today=TODAY)
    s = september.specialists[0]
    assert (s.fte, s.fte_at_end) == (1, 1)
    low, high = september.target_new(s)
    assert (round(low, 3), round(high, 3)) == (
        round(Decimal(20 * 30) / 365, 3),
        round(Decimal(25 * 30) / 365, 3),
    )
    assert september.max_caseload(s) == 20 and september.contacts_target(s) == 6
    november = period_figures(ips, start=D(2026, 11, 1), end=D(2026, 11, 30), today=TODAY)
    n = november.specialists[0]
    assert (n.fte, n.fte_at_end) == (Decimal("0.5"), Decimal("0.5"))
    assert november.max_caseload(n) == 10 and november.contacts_target(n) == 3
    assert round(november.target_new(n)[0], 3) == round(Decimal("0.5") * 20 * 30 / 365, 3)


def test_r21_a_share_changed_mid_period_is_averaged_over_its_days(ips, sofia) -> None:
    _share(sofia, D(2026, 10, 16), "0.5")
    f = period_figures(ips, start=D(2026, 10, 1), end=D(2026, 10, 31), today=TODAY)
    s = f.specialists[0]
    assert s.fte_days == Decimal("23.0") and round(s.fte, 4) == round(Decimal(23) / 31, 4)
    low, high = f.target_new(s)
    assert round(low, 4) == round(Decimal(23 * 20) / 365, 4)
    assert round(high, 4) == round(Decimal(23 * 25) / 365, 4)
    # The ceiling is for the active cases at the period's end: half time then.
    assert f.max_caseload(s) == 10
    assert round(f.contacts_target(s), 4) == round(Decimal(23 * 6) / 31, 4)
    _columns, rows = table(f, suppress=True)
    assert dict(rows)["Årsarbetare i perioden, genomsnitt"] == ["0,74", "0,74"]
    assert dict(rows)["Årsarbetare vid periodens slut"] == ["0,50", "0,50"]
    assert dict(rows)["Mål för nya ärenden i perioden"][0] == "1,3–1,6"


def test_r21_a_specialist_who_left_counts_in_the_periods_they_worked(
    ips, sofia, hantverkshuset
) -> None:
    """Before: a specialist no longer active counted 0 even for the months they worked, and
    one who joined counted in months before they started."""
    leaver = make_staff("lars", hantverkshuset, first_name="Lars", last_name="Lund")
    specialist = specialist_add(
        programme=ips,
        user=leaver,
        shares=[(D(2026, 1, 1), Decimal(1)), (D(2026, 10, 1), Decimal(0))],
    )
    specialist.active = False
    specialist.save()
    joiner = make_staff("nora", hantverkshuset, first_name="Nora", last_name="Ny")
    specialist_add(programme=ips, user=joiner, shares=[(D(2026, 10, 1), Decimal("0.5"))])
    september = period_figures(ips, start=D(2026, 9, 1), end=D(2026, 9, 30), today=TODAY)
    by_name = {r.name: r for r in september.specialists}
    assert by_name["Lars Lund"].fte == 1 and by_name["Nora Ny"].fte == 0
    assert september.team.fte == 2 and september.max_caseload(september.team) == 40
    october = period_figures(ips, start=D(2026, 10, 1), end=D(2026, 10, 31), today=TODAY)
    by_name = {r.name: r for r in october.specialists}
    assert by_name["Lars Lund"].fte == 0 and by_name["Nora Ny"].fte == Decimal("0.5")
    assert october.team.fte == Decimal("1.5")


def test_r21_the_team_fte_of_a_year_is_its_average(ips, sofia, jonas) -> None:
    """The year to date runs to today, but the intake target is for the whole year: the
    share in force today is taken to continue to the year's end."""
    _share(jonas, D(2026, 7, 1), "1")
    f = period_figures(ips, start=D(2026, 1, 1), end=D(2026, 12, 31), today=TODAY)
    # sofia 1.0 all year; jonas 0.5 for 181 days and 1.0 for 184.
    expected = 1 + (Decimal("0.5") * 181 + 184) / 365
    assert round(f.team.fte, 4) == round(expected, 4)
    assert round(f.target_new(f.team)[0], 3) == round(expected * 20, 3)
    assert f.team.fte_at_end == 2


def test_r21_follow_up_page_shows_the_periods_fte(client, ips, sofia) -> None:
    _share(sofia, D(2026, 11, 1), "0.5")
    client.force_login(sofia)
    page = client.get(
        reverse("employment:follow_up"),
        {"programme": ips.pk, "start": "2026-09-01", "end": "2026-09-30"},
    ).content.decode()
    row = page[page.index("Årsarbetare i perioden, genomsnitt") :]
    assert row[: row.index("</tr>")].count("1,00") == 2  # the team and sofia
    row = page[page.index("Högst aktiva ärenden") :]
    assert row[: row.index("</tr>")].count(">20<") == 2


def test_r21_home_target_uses_the_years_fte(client, ips, sofia, employer) -> None:
    """Half time from 1 July: the year's target is for 0.75 FTE-years, the caseload ceiling
    and this week's contact target for half time."""
    _share(sofia, D(2026, 7, 1), "0.5")
    open_case(ips, sofia, intake=D(2026, 3, 2))
    contact_record(employer=employer, on=TODAY, kind=ContactKind.MEETING, by=sofia, today=TODAY)
    client.force_login(sofia)
    page = client.get(reverse("home")).content.decode()
    # 181 days full time, 184 half time: 273/365 = 0.75 FTE-years, 15.0–18.7 cases.
    assert "Årsarbetare: 0,50 i dag, i snitt 0,75 över året" in page
    assert "Nya ärenden i år: 1 (mål 15,0–18,7)" in page
    assert "Aktiva ärenden: 1 (högst 10)" in page
    assert "Arbetsgivarkontakter denna vecka: 1 (mål 3)" in page


def test_r21_annual_report_uses_that_years_fte(world, hantverkshuset, jonas, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """jonas had no share in 2025 and half time in 2026; a full-time share from 2027 does
    not change 2026's report."""
    _share(jonas, D(2027, 1, 1), "1")
    f = annual_figures(unit=hantverkshuset, year=2026, today=TODAY)
    assert f.ips.fte == Decimal("1.5")
    # The year so far (327 days to TODAY), at 1.5 FTE.
    days = (TODAY - D(2026, 1, 1)).days + 1
    assert round(f.ips.target_new_low, 3) == round(Decimal("1.5") * 20 * days / 365, 3)
    earlier = annual_figures(unit=hantverkshuset, year=2025, today=TODAY)
    assert earlier.ips.fte == 0 and earlier.ips.target_new_low == 0
    text = pdf_text(report_pdf(unit=hantverkshuset, year=2026, today=TODAY, base_url="/"), tmp_path)
    line = next(x for x in text.splitlines() if "genomsnitt under året" in x)
    assert "1,5" in line
    assert not RULE_CODE.search(text)


def test_r21_administrator_adds_a_share_from_a_date(admin_client, ips, sofia) -> None:
    specialist = sofia.employment_specialist.get()
    url = reverse("admin:employment_employmentspecialist_change", args=[specialist.pk])
    page = admin_client.get(url).content.decode()
    assert "Gäller från" in page and "2026-01-01" in page
    response = admin_client.post(
        url,
        {
            "programme": ips.pk,
            "user": sofia.pk,
            "active": "on",
            "fte_shares-TOTAL_FORMS": "2",
            "fte_shares-INITIAL_FORMS": "1",
            "fte_shares-MIN_NUM_FORMS": "0",
            "fte_shares-MAX_NUM_FORMS": "1000",
            "fte_shares-0-id": specialist.fte_shares.get().pk,
            "fte_shares-0-specialist": specialist.pk,
            "fte_shares-0-valid_from": "2026-01-01",
            "fte_shares-0-fte": "1",
            "fte_shares-1-specialist": specialist.pk,
            "fte_shares-1-valid_from": "2026-12-01",
            "fte_shares-1-fte": "0,8",
        },
    )
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    assert specialist.fte_on(D(2026, 11, 30)) == 1
    assert specialist.fte_on(D(2026, 12, 1)) == Decimal("0.8")
    # Over full time is refused with a message, and nothing is saved.
    response = admin_client.post(
        url,
        {
            "programme": ips.pk,
            "user": sofia.pk,
            "active": "on",
            "fte_shares-TOTAL_FORMS": "1",
            "fte_shares-INITIAL_FORMS": "0",
            "fte_shares-MIN_NUM_FORMS": "0",
            "fte_shares-MAX_NUM_FORMS": "1000",
            "fte_shares-0-specialist": specialist.pk,
            "fte_shares-0-valid_from": "2027-01-01",
            "fte_shares-0-fte": "1,5",
        },
    )
    assert response.status_code == 200
    assert "mindre än eller lika med 1" in response.content.decode()
    assert specialist.fte_shares.count() == 2
