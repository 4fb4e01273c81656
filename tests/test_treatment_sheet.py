"""The day sheet at Beroendemottagningen: a course's people are expected on the days their
group meets, and a day in a confirmed month says that the statement is confirmed."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from activities.services import session_cancel
from lotsen.models import Role
from tests.factories import TODAY, make_course, make_participant, make_place, make_staff
from treatment.models import CourseOutcome
from treatment.services import course_join, course_leave
from treatment.statement import statement_confirm

pytestmark = pytest.mark.django_db

MONDAY = TODAY - datetime.timedelta(days=7)  # 16 November: group A meets, group B does not
TUESDAY = MONDAY + datetime.timedelta(days=1)
CONFIRMED = "Månadsredovisningen för den här månaden är bekräftad"


def _sheet(client, unit, day: datetime.date) -> str:  # type: ignore[no-untyped-def]
    return client.get(
        reverse("activities:sheet", kwargs={"unit": unit.slug, "day": day})
    ).content.decode()


def _join(course, maria, first_name: str):  # type: ignore[no-untyped-def]
    person = make_participant(course.programme.unit, first_name=first_name)
    return course_join(course=course, participant=person, on=course.start_date, by=maria)[0]


@pytest.fixture
def groups(twelve_step, maria):  # type: ignore[no-untyped-def]
    """Group A meets on Mondays and Wednesdays, group B on Tuesdays and Thursdays."""
    start = datetime.date(2026, 11, 9)
    a = make_course(twelve_step, by=maria, start=start, name="Grupp A")
    b = make_course(twelve_step, by=maria, start=start, name="Grupp B", weekdays=[1, 3])
    return a, b


def test_r18_the_sheet_expects_only_the_groups_that_meet_that_day(
    client, groups, beroende, lotsen, drop_in, maria, anna
) -> None:
    a, b = groups
    _join(a, maria, "Alva")
    _join(a, maria, "Axel")
    _join(b, maria, "Bodil")
    client.force_login(maria)
    monday = _sheet(client, beroende, MONDAY)
    assert "2 väntas." in monday and "Alva" in monday and "Bodil" not in monday
    tuesday = _sheet(client, beroende, TUESDAY)
    assert "1 väntas." in tuesday and "Bodil" in tuesday and "Alva" not in tuesday
    # Lotsen's day is open to everyone with a place, whether or not a group meets.
    make_place(make_participant(lotsen, first_name="Love"), drop_in, start=MONDAY, hours=None)
    client.force_login(anna)
    assert "1 väntas." in _sheet(client, lotsen, TUESDAY)


def test_r18_no_one_is_expected_at_a_cancelled_session_or_after_leaving(
    client, groups, beroende, maria
) -> None:
    a, _b = groups
    staying = _join(a, maria, "Alva")
    leaving = _join(a, maria, "Axel")
    course_leave(membership=leaving, on=MONDAY, outcome=CourseOutcome.COMPLETED, by=maria)
    wednesday = MONDAY + datetime.timedelta(days=2)
    session_cancel(session=a.activity.sessions.get(date=wednesday), reason="Sjuk", by=maria)
    client.force_login(maria)
    monday = _sheet(client, beroende, MONDAY)  # Axel's last day: still expected
    assert "2 väntas." in monday and "Axel" in monday
    assert "0 väntas." in _sheet(client, beroende, wednesday)
    assert (
        "1 väntas." in _sheet(client, beroende, TODAY) and staying.participant.first_name == "Alva"
    )
    assert "Axel" not in _sheet(client, beroende, TODAY)


def test_r18_marking_someone_whose_group_does_not_meet_shows_them_as_unexpected(
    client, groups, beroende, maria
) -> None:
    _a, b = groups
    person = _join(b, maria, "Bodil").participant
    client.force_login(maria)
    url = reverse("activities:sheet_mark", kwargs={"unit": beroende.slug, "day": MONDAY})
    row = client.post(
        url,
        {"participant": person.pk, "programme": b.programme.pk},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "Bodil" in row and "kom utan att väntas" in row
    assert "kom utan att väntas" in _sheet(client, beroende, MONDAY)


def test_r25_a_day_in_a_confirmed_month_says_a_change_needs_a_correction(
    client, groups, beroende, maria
) -> None:
    boss = make_staff("lena", beroende, Role.MANAGER, first_name="Lena")
    october = datetime.date(2026, 10, 14)
    client.force_login(maria)
    assert CONFIRMED not in _sheet(client, beroende, october)
    statement_confirm(unit=beroende, month=october, reason="", today=TODAY, by=boss)
    assert CONFIRMED in _sheet(client, beroende, october)
    assert CONFIRMED not in _sheet(client, beroende, MONDAY)  # November is not confirmed
