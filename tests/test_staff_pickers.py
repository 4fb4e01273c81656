"""Every list that offers a unit's staff for the work (activity leaders, therapists, meeting
attendees, employment specialists) offers the same people in the same order: the units'
active staff by name, never a superuser or the administrator's account, even where such an
account is a member of every unit, as the demo's administrator is. The filters over what
was done (the journal's authors, the record log) name every account, in the same order.
Every list names a colleague without a name the same way."""

from __future__ import annotations

import datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from employment.models import EmploymentProgramme, EmploymentSpecialist
from employment.services import specialist_add
from lotsen.models import Role, Unit, User
from referrals.models import CollaborationMeeting
from tests.factories import make_entry, make_housing_unit, make_participant, make_place, make_staff

pytestmark = pytest.mark.django_db

# Who can do the work, by first name, then last name; the nameless colleague first, as the
# empty name sorts first. Created out of this order, so that an unordered list shows.
WORKING = ["kim", "anna.a", "anna", "olle"]
# The nameless colleague as every picker names them (User.display_name).
NAMELESS = "kim (användarnamn, inget namn angivet)"


class _Choices(HTMLParser):
    """The values offered by a form field: a select's options or a group of checkboxes."""

    def __init__(self, field: str) -> None:
        super().__init__()
        self.field = field
        self.in_select = False
        self.values: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "select":
            self.in_select = a.get("name") == self.field
            return
        option = tag == "option" and self.in_select and a.get("value")
        checkbox = tag == "input" and a.get("type") == "checkbox" and a.get("name") == self.field
        if option or checkbox:
            self.values.append(str(a["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.in_select = False


def _page(client, url: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _offered(page: str, field: str) -> list[str]:
    """The usernames of the staff the page's `field` offers, in the page's order."""
    parser = _Choices(field)
    parser.feed(page)
    assert parser.values, f"no {field} on the page"
    names = dict(User.objects.values_list("pk", "username"))
    return [names[int(pk)] for pk in parser.values]


@pytest.fixture
def crowd(lotsen: Unit, beroende: Unit, hantverkshuset: Unit) -> User:
    """Staff in all three units: the manager Olle (who logs in), two Annas, a nameless
    colleague, a former colleague, the demo's administrator (a superuser), a superuser who
    is not marked administrator, and an administrator who is not a superuser."""
    units = (lotsen, beroende, hantverkshuset)
    olle = make_staff("olle", lotsen, Role.MANAGER, first_name="Olle", last_name="Berg")
    make_staff("anna", lotsen, first_name="Anna", last_name="Lindqvist")
    make_staff("kim", lotsen)
    make_staff("anna.a", lotsen, first_name="Anna", last_name="Andersson")
    make_staff("lena", lotsen, first_name="Lena", is_active=False)
    User.objects.create_superuser("admin", "admin@lotsen.example", "x", role=Role.ADMINISTRATOR)
    User.objects.create_superuser("drift", "drift@lotsen.example", "x", first_name="Drift")
    make_staff("it", lotsen, Role.ADMINISTRATOR, first_name="Systemförvaltare")
    for user in User.objects.all():
        user.units.add(*units)
    return olle


def test_activity_leaders_are_the_working_staff(client, crowd, lotsen) -> None:
    client.force_login(crowd)
    url = reverse("activities:activity_create", args=[lotsen.slug])
    page = _page(client, url)
    assert _offered(page, "leaders") == WORKING
    assert NAMELESS in page


def test_course_therapists_are_the_working_staff(client, crowd, beroende) -> None:
    client.force_login(crowd)
    url = reverse("treatment:courses", args=[beroende.slug])
    page = _page(client, url)
    assert _offered(page, "leaders") == WORKING
    assert NAMELESS in page


def test_the_therapist_of_an_individual_session_is_one_of_the_working_staff(
    client, crowd, beroende
) -> None:
    client.force_login(crowd)
    url = reverse("treatment:individual_sessions", args=[beroende.slug])
    page = _page(client, url)
    assert _offered(page, "therapist") == WORKING
    assert NAMELESS in page


def test_a_new_collaboration_meeting_offers_the_working_staff(client, crowd) -> None:
    client.force_login(crowd)
    url = reverse("referrals:meeting_create")
    page = _page(client, url)
    assert _offered(page, "staff_attendees") == WORKING
    assert NAMELESS in page


def test_a_held_meeting_offers_the_working_staff(client, crowd, lotsen) -> None:
    meeting = CollaborationMeeting.objects.create(
        unit=lotsen,
        housing_support_unit=make_housing_unit(lotsen),
        planned_on=datetime.date(2026, 11, 10),
        created_by=crowd,
    )
    client.force_login(crowd)
    url = reverse("referrals:meeting", args=[meeting.pk])
    page = _page(client, url)
    assert _offered(page, "staff_attendees") == WORKING
    assert NAMELESS in page


def test_a_new_ips_case_offers_the_programmes_active_specialists_who_can_work(
    client, crowd, hantverkshuset
) -> None:
    """Deliberately narrower: only the programme's specialists, not the whole team; not one
    who has left, a superuser, or a specialist who takes no new cases."""
    ips = EmploymentProgramme.objects.get(programme__unit=hantverkshuset)
    for username in ("olle", "lena", "drift", "anna", "kim", "anna.a"):
        user = User.objects.get(username=username)
        specialist_add(programme=ips, user=user, shares=[(datetime.date(2026, 1, 1), Decimal(1))])
    EmploymentSpecialist.objects.filter(user__username="anna.a").update(active=False)
    place = make_place(make_participant(hantverkshuset), ips.programme, hours=None)
    client.force_login(crowd)
    url = reverse("employment:case_open", args=[place.pk])
    page = _page(client, url)
    assert _offered(page, "specialist") == ["kim", "anna", "olle"]
    assert NAMELESS in page


def test_the_journal_filter_names_every_author_by_name(client, crowd, lotsen) -> None:
    """Deliberately every author, also one who has left and the administrator: the filter
    is over what was written."""
    person = make_participant(lotsen)
    for username in ("olle", "lena", "anna", "admin", "anna.a", "kim"):
        make_entry(person, by=User.objects.get(username=username))
    client.force_login(crowd)
    url = reverse("journal:list", args=[person.pk])
    page = _page(client, url)
    assert _offered(page, "author") == ["admin", "kim", "anna.a", "anna", "lena", "olle"]
    assert NAMELESS in page


def test_the_record_log_filter_names_every_account_by_name(client, crowd) -> None:
    """Deliberately every account of the units: the log reviews them all."""
    client.force_login(crowd)
    page = _page(client, reverse("reporting:record_log"))
    assert _offered(page, "staff") == [
        "admin",
        "kim",
        "anna.a",
        "anna",
        "drift",
        "lena",
        "olle",
        "it",  # Systemförvaltare
    ]
    assert NAMELESS in page
