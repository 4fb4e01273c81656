"""Every role lands on its own work (issue 15): the unit manager's dashboard, the
occupational therapist's assessments to do, the header's unit switch and person finder, and
numbers typed the Swedish way."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from journal.models import Entry
from lotsen.models import Role
from participants.forms import HoursChangeForm
from participants.models import Assessment, AssessmentInstrument
from participants.services import free_capacity_text
from referrals.models import Status
from tests.factories import (
    TODAY,
    make_entry,
    make_participant,
    make_place,
    make_plan,
    make_referral,
    make_staff,
)
from tests.test_activities import _series
from tests.test_query_counts import _queries

pytestmark = pytest.mark.django_db
D = datetime.date


def _page(client, url: str = "/") -> str:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- the unit manager's dashboard -------------------------------------------------------


def test_r13_dashboard_counts_overdue_and_missing_plans_per_contact_person(
    client, lotsen, training, eva, anna, omar
) -> None:
    for _ in range(3):  # overdue: a plan from January, follow-up every 3 months
        place = make_place(
            make_participant(lotsen), training, contact_person=anna, start=D(2026, 1, 1)
        )
        make_plan(place, established_on=D(2026, 1, 5), by=anna)
    make_place(make_participant(lotsen), training, contact_person=omar, start=D(2026, 9, 1))
    client.force_login(eva)
    page = _page(client)
    assert "Försenade planer per kontaktman" in page
    line = page[page.index(f"?contact_person={anna.pk}") :]
    assert 'Anna Lindqvist</a></td><td class="text-end">3</td><td class="text-end">0</td>' in line
    line = page[page.index(f"?contact_person={omar.pk}") :]
    assert '</a></td><td class="text-end">0</td><td class="text-end">1</td>' in line
    # The number links to the unit's plans, filtered to the contact person.
    listed = _page(client, f"{reverse('plans:unit')}?contact_person={anna.pk}")
    assert listed.count("Testsson") == 3


def test_r5_r22_r16_dashboard_figures_link_to_their_lists(
    client, lotsen, training, eva, anna
) -> None:
    make_place(make_participant(lotsen), training, hours=100)
    make_referral(lotsen, status=Status.WAITING, received_on=TODAY - datetime.timedelta(days=40))
    make_referral(lotsen, status=Status.WAITING, received_on=TODAY - datetime.timedelta(days=10))
    person = make_participant(lotsen)
    make_entry(person, by=anna, occurred_at=timezone.now() - datetime.timedelta(days=20))
    assert Entry.objects.get().late  # L1: written long after it happened
    client.force_login(eva)
    page = _page(client)
    # R5: 105 hours a week shared; 100 planned leaves 5, said in words.
    capacity = reverse("participants:capacity", args=[training.pk])
    free = "100 av 105 timmar/vecka, 5 timmar/vecka lediga"
    assert f'{capacity}">Förstegsträning på Lotsen</a>: {free}' in page
    assert f'{reverse("referrals:waiting")}">2 personer väntar</a>' in page
    assert "längst 40 dagar" in page and "median 25 dagar" in page
    assert reverse("activities:calendar", kwargs={"unit": "lotsen", "year": 2026}) in page
    assert "mål 230" in page
    assert f'{reverse("journal:unit")}">1 sen av 1 anteckningar' in page


def test_dashboard_shows_only_what_the_units_programmes_run(
    client, hantverkshuset, beroende, lotsen
) -> None:
    lena = make_staff("lena", hantverkshuset, Role.MANAGER, first_name="Lena")
    client.force_login(lena)
    page = _page(client)
    assert "Väntelista" in page
    # IPS has neither plan follow-ups, hours nor a commission of open days.
    assert "Försenade planer" not in page and "Öppetdagar" not in page
    assert "timmar/vecka" not in page
    sara = make_staff("sara", beroende, Role.MANAGER, first_name="Sara")
    client.force_login(sara)
    page = _page(client)
    assert "Kapacitet denna vecka" not in page and "Öppetdagar" not in page


def test_r20_dashboard_lists_statements_to_confirm_and_the_report_deadline(
    client, beroende, lotsen, eva
) -> None:
    from treatment.models import Agreement

    Agreement.objects.get_or_create(
        unit=beroende, defaults={"yearly_amount": Decimal(1827000), "price_year": 2021}
    )
    sara = make_staff("sara", beroende, Role.MANAGER, first_name="Sara")
    client.force_login(sara)
    page = _page(client)
    # TODAY is in November 2026: January to October have ended unconfirmed.
    assert "10 månadsredovisningar att bekräfta" in page
    assert reverse("treatment:statements", kwargs={"unit": beroende.slug}) in page
    assert '<span class="date">2027-03-31</span>' in page
    # Lotsen has a yearly agreement too, but no courses: no statements to confirm.
    Agreement.objects.get_or_create(
        unit=lotsen, defaults={"yearly_amount": Decimal(3000000), "price_year": 2020}
    )
    client.force_login(eva)
    assert "att bekräfta" not in _page(client)


def test_dashboard_only_for_managers(client, lotsen, anna) -> None:
    client.force_login(anna)
    assert "Försenade planer per kontaktman" not in _page(client)


def test_dashboard_queries_do_not_grow_with_data(client, lotsen, training, eva, anna) -> None:
    client.force_login(eva)

    def more(n: int) -> None:
        for _ in range(n):
            person = make_participant(lotsen)
            place = make_place(person, training, contact_person=anna, start=D(2026, 1, 1), hours=1)
            make_plan(place, established_on=D(2026, 1, 5), by=anna)
            make_referral(lotsen, status=Status.WAITING)
            make_entry(person, by=anna)

    more(2)
    few = _queries(client, reverse("home"))
    more(15)
    assert _queries(client, reverse("home")) == few


# --- the occupational therapist ---------------------------------------------------------


def test_r10_ot_home_lists_people_in_training_without_an_assessment(
    client, lotsen, training, drop_in, omar
) -> None:
    waiting = make_participant(lotsen, last_name="Obedömd")
    make_place(waiting, training)
    done = make_participant(lotsen, last_name="Bedömd")
    make_place(done, training)
    Assessment.objects.create(
        participant=done,
        unit=lotsen,
        instrument=AssessmentInstrument.objects.first(),
        date=TODAY,
        assessor=omar,
        conclusions="Klar.",
    )
    make_place(make_participant(lotsen, last_name="Bara-besök"), drop_in, hours=None)
    client.force_login(omar)
    page = _page(client)
    section = page[page.index("Bedömningar att göra") :]
    assert "Obedömd" in section
    assert "Bedömd<" not in section and "Bara-besök" not in section
    assert reverse("participants:assessment", args=[waiting.pk]) in section


# --- the header: unit, switch, menu, finder ---------------------------------------------


def test_header_names_the_unit_and_switches_between_the_users_units(
    client, lotsen, hantverkshuset, beroende
) -> None:
    both = make_staff("kim", lotsen, first_name="Kim")
    both.units.add(hantverkshuset)
    client.force_login(both)
    page = _page(client)
    assert "Enhet: Hantverkshuset" in page  # the first by name
    response = client.post(reverse("switch_unit"), {"unit": "lotsen", "next": "/deltagare/"})
    assert response.status_code == 302 and response["Location"] == "/deltagare/"
    page = _page(client)
    assert "Enhet: Lotsen" in page
    assert reverse("activities:training_hours", kwargs={"unit": "lotsen"}) in page
    # Another unit is a 404, and an outside address is not followed.
    assert client.post(reverse("switch_unit"), {"unit": beroende.slug}).status_code == 404
    response = client.post(
        reverse("switch_unit"), {"unit": "lotsen", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_switch_needs_a_login_and_a_post(client, lotsen, anna) -> None:
    assert client.post(reverse("switch_unit"), {"unit": "lotsen"}).status_code == 302
    client.force_login(anna)
    assert client.get(reverse("switch_unit")).status_code == 405


def test_menu_shows_each_unit_its_own_pages(
    client, beroende, hantverkshuset, lotsen, maria, anna
) -> None:
    client.force_login(maria)
    page = _page(client)
    for name in ("courses", "results", "statements"):
        assert reverse(f"treatment:{name}", kwargs={"unit": beroende.slug}) in page
    assert "Träningstimmar" not in page and "Team ISA" not in page and "Samverkan" not in page
    sofia = make_staff("sofia", hantverkshuset, first_name="Sofia")
    client.force_login(sofia)
    page = _page(client)
    assert reverse("employment:overview") in page and reverse("employment:employers") in page
    assert "Träningstimmar" not in page and "Samverkan" not in page
    assert "Dokumentera gruppaktivitet" not in page  # IPS runs no groups
    # The IPS pages keep the menu (their own context must not hide it).
    overview = client.get(reverse("employment:overview")).content.decode()
    assert reverse("employment:employers") in overview and hantverkshuset.name in overview
    client.force_login(anna)
    page = _page(client)
    assert "Träningstimmar" in page and reverse("employment:overview") not in page
    assert "Logga ut" in page and "Dokumentera gruppaktivitet" in page


def test_finder_keeps_the_search_out_of_the_url_and_shows_only_visible_people(
    client, lotsen, hantverkshuset, anna
) -> None:
    make_participant(lotsen, last_name="Sökbar")
    make_participant(hantverkshuset, last_name="Sökbarsson")
    client.force_login(anna)
    assert 'action="/deltagare/"' in _page(client)
    response = client.post(reverse("participants:list"), {"q": "Sökbar"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("participants:list") + "?"
    page = response.content.decode()
    assert "Sökbar, " in page and "Sökbarsson" not in page


# --- Swedish input ----------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "value"), [("3,5", "3.5"), ("3.5", "3.5"), (" 12 ", "12")])
def test_decimal_comma_is_accepted(typed: str, value: str) -> None:
    form = HoursChangeForm({"from_date": "2026-11-23", "hours_per_week": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["hours_per_week"] == Decimal(value)


def test_a_bad_number_gets_a_swedish_message_and_keeps_what_was_typed() -> None:
    form = HoursChangeForm({"from_date": "2026-11-23", "hours_per_week": "tre"})
    assert not form.is_valid()
    assert form.errors["hours_per_week"] == ["Skriv ett tal, till exempel 3,5."]
    assert 'value="tre"' in str(form["hours_per_week"])
    assert 'inputmode="decimal"' in str(form["hours_per_week"])


def test_r5_place_with_decimal_comma_hours(client, lotsen, training, anna) -> None:
    person = make_participant(lotsen)
    client.force_login(anna)
    response = client.post(
        reverse("participants:enrol", args=[person.pk]),
        {
            "programme": training.pk,
            "start_date": "2026-11-23",
            "hours_per_week": "7,5",
            "contact_person": anna.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert person.enrolments.get().hours_per_week == Decimal("7.5")


def test_r5_free_capacity_in_words_with_the_right_number(training, isa) -> None:
    assert free_capacity_text(training, Decimal(1)) == "1 timme/vecka ledig"
    assert free_capacity_text(training, Decimal("2.5")) == "2,5 timmar/vecka lediga"
    assert free_capacity_text(training, Decimal(0)) == "inga timmar lediga"
    assert free_capacity_text(isa, Decimal(1)) == "1 plats ledig"
    assert free_capacity_text(isa, Decimal(2)) == "2 platser lediga"


def test_r5_a_full_programme_says_how_much_is_free(client, lotsen, training, anna) -> None:
    make_place(make_participant(lotsen), training, hours=100)
    person = make_participant(lotsen)
    client.force_login(anna)
    page = client.post(
        reverse("participants:enrol", args=[person.pk]),
        {"programme": training.pk, "start_date": "2026-11-23", "hours_per_week": "10"},
    ).content.decode()
    assert "100,0 av 105 timmar per vecka" in page and "5 timmar/vecka lediga" in page


def test_r8_place_form_offers_only_fitting_programmes_and_staff_in_swedish(
    client, lotsen, isa, training, anna
) -> None:
    older = make_participant(lotsen, birth_date=D(1960, 1, 1))
    admin = make_staff("root", lotsen, Role.ADMINISTRATOR, is_superuser=True)
    client.force_login(anna)
    page = _page(client, reverse("participants:enrol", args=[older.pk]))
    assert re.search(r'<label\s+for="id_programme"[^>]*>\s*Program\b', page)
    assert "Programme" not in page
    assert f'value="{training.pk}"' in page and f'value="{isa.pk}"' not in page  # 18-35
    assert f'value="{anna.pk}"' in page and f'value="{admin.pk}"' not in page


def test_activity_leaders_exclude_the_administrator(client, lotsen, anna) -> None:
    admin = make_staff("root", lotsen, Role.ADMINISTRATOR, is_superuser=True)
    client.force_login(anna)
    page = _page(client, reverse("activities:activity_create", kwargs={"unit": "lotsen"}))
    # The leaders' checkboxes only: another field's option may have the same number.
    leaders = re.findall(r'<input[^>]*name="leaders"[^>]*>', page)
    values = {re.search(r'value="(\d+)"', box).group(1) for box in leaders}  # type: ignore[union-attr]
    assert str(anna.pk) in values and str(admin.pk) not in values


def test_r17_member_picker_offers_only_people_of_the_activitys_age(
    client, lotsen, young_adults, anna
) -> None:
    activity = _series(lotsen, anna, programme=young_adults)
    young = make_participant(lotsen, young=True, last_name="Ung")
    old = make_participant(lotsen, birth_date=D(1960, 1, 1), last_name="Äldre")
    client.force_login(anna)
    page = _page(client, reverse("activities:activity", args=[activity.pk]))
    assert f'value="{young.pk}"' in page and f'value="{old.pk}"' not in page


def test_attendance_sheet_has_a_filter_and_jumps_per_programme(
    client, lotsen, training, drop_in, anna
) -> None:
    make_place(make_participant(lotsen), training, start=D(2026, 1, 1))
    client.force_login(anna)
    page = _page(client, reverse("activities:sheet", kwargs={"unit": "lotsen", "day": TODAY}))
    assert '<label for="sheet-filter-input"' in page and "js/sheet-filter.js" in page
    assert f'href="#s-{training.pk}"' in page


def test_referral_dates_do_not_break(client, lotsen, anna) -> None:
    make_referral(lotsen)
    client.force_login(anna)
    assert '<td class="date">2026-11-23</td>' in _page(client, reverse("referrals:list"))


def test_r22_waiting_list_of_a_programme_says_what_is_free(client, lotsen, training, anna) -> None:
    make_place(make_participant(lotsen), training, hours=104)
    client.force_login(anna)
    page = _page(client, reverse("referrals:waiting_programme", args=[training.pk]))
    assert "1 timme/vecka ledig" in page
