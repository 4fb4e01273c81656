"""L1: after the correction window a visit or a session mark is never silently removed or
changed; a correction needs a reason and the old mark stays readable with who and why."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from activities.attendance import past_correction_window, visit_unmark
from activities.models import (
    Activity,
    ActivityKind,
    AttendanceCorrection,
    Session,
    SessionAttendance,
)
from participants.models import Visit
from tests.factories import TODAY, make_participant, make_place

pytestmark = pytest.mark.django_db
PAST = TODAY - datetime.timedelta(days=7)


@pytest.fixture
def trainee(lotsen, training):  # type: ignore[no-untyped-def]
    person = make_participant(lotsen, first_name="Tina", last_name="Trainee")
    make_place(person, training, start=TODAY - datetime.timedelta(days=60))
    return person


def test_l1_the_window_is_a_setting(settings) -> None:
    settings.ATTENDANCE_CORRECTION_DAYS = 0
    assert past_correction_window(TODAY - datetime.timedelta(days=1), TODAY)
    assert not past_correction_window(TODAY, TODAY)
    settings.ATTENDANCE_CORRECTION_DAYS = 3
    assert not past_correction_window(TODAY - datetime.timedelta(days=3), TODAY)
    assert past_correction_window(TODAY - datetime.timedelta(days=4), TODAY)


def test_l1_undoing_a_past_visit_on_the_sheet_is_refused(client, lotsen, drop_in, anna) -> None:
    person = make_participant(lotsen)
    Visit.objects.create(participant=person, programme=drop_in, date=PAST, recorded_by=anna)
    client.force_login(anna)
    url = reverse("activities:sheet_mark", args=["lotsen", PAST])
    data = {"participant": person.pk, "programme": drop_in.pk, "action": "absent"}
    response = client.post(url, data, follow=True)
    assert "Dagen är passerad" in response.content.decode()
    assert Visit.objects.filter(participant=person, date=PAST).exists()
    # The past sheet offers a correction instead of "Ångra".
    page = client.get(reverse("activities:sheet", args=["lotsen", PAST])).content.decode()
    assert reverse("activities:visit_correct", args=["lotsen", PAST, person.pk, drop_in.pk]) in page


def test_l1_today_a_mistaken_mark_is_still_undone_without_a_reason(lotsen, drop_in, anna) -> None:
    person = make_participant(lotsen)
    Visit.objects.create(participant=person, programme=drop_in, date=TODAY)
    assert visit_unmark(participant=person, programme=drop_in, day=TODAY, today=TODAY)
    assert not AttendanceCorrection.objects.exists()


def test_l1_a_correction_needs_a_reason_and_keeps_the_old_hours_visible(
    client, lotsen, training, trainee, anna
) -> None:
    Visit.objects.create(participant=trainee, programme=training, date=PAST, hours=Decimal(3))
    client.force_login(anna)
    url = reverse("activities:visit_correct", args=["lotsen", PAST, trainee.pk, training.pk])
    response = client.post(url, {"hours": "2,5", "reason": "  "})
    assert response.status_code == 200
    assert Visit.objects.get(participant=trainee).hours == Decimal(3)
    response = client.post(url, {"hours": "2,5", "reason": "Gick hem tidigare"}, follow=True)
    assert Visit.objects.get(participant=trainee).hours == Decimal("2.5")
    correction = AttendanceCorrection.objects.get()
    assert (correction.old_hours, correction.new_hours, correction.created_by) == (
        Decimal(3),
        Decimal("2.5"),
        anna,
    )
    page = response.content.decode()
    assert "<del>närvarande 3 tim</del>" in page
    assert "Gick hem tidigare" in page and "Anna Lindqvist" in page


def test_l1_removing_a_past_visit_keeps_it_readable_on_the_sheet(
    client, lotsen, drop_in, anna
) -> None:
    person = make_participant(lotsen, first_name="Walter", last_name="Walkin")
    Visit.objects.create(participant=person, programme=drop_in, date=PAST)
    client.force_login(anna)
    url = reverse("activities:visit_correct", args=["lotsen", PAST, person.pk, drop_in.pk])
    client.post(url, {"reason": "Fel person markerad"})
    assert not Visit.objects.filter(participant=person).exists()
    page = client.get(reverse("activities:sheet", args=["lotsen", PAST])).content.decode()
    assert "Walter Walkin" in page and "inte närvarande" in page
    assert "Fel person markerad" in page


def test_l1_a_past_session_mark_is_removed_only_with_a_reason(
    client, lotsen, drop_in, anna
) -> None:
    activity = Activity.objects.create(
        unit=lotsen,
        programme=drop_in,
        kind=ActivityKind.ACTIVITY,
        title="Promenad",
        place="Entrén",
        weekdays=str(PAST.weekday()),
        first_date=PAST,
        last_date=PAST,
        starts_at=datetime.time(10),
        ends_at=datetime.time(11),
    )
    session = Session.objects.create(
        activity=activity,
        original_date=PAST,
        date=PAST,
        starts_at=datetime.time(10),
        ends_at=datetime.time(11),
        place="Entrén",
    )
    person = make_participant(lotsen, first_name="Sara", last_name="Session")
    SessionAttendance.objects.create(session=session, participant=person, recorded_by=anna)
    Visit.objects.create(participant=person, programme=drop_in, date=PAST)
    client.force_login(anna)
    mark = reverse("activities:session_mark", args=[session.pk])
    client.post(mark, {"participant": person.pk, "action": "absent"})
    assert SessionAttendance.objects.filter(session=session).exists()
    correct = reverse("activities:session_correct", args=[session.pk, person.pk])
    assert client.post(correct, {"reason": ""}).status_code == 200
    response = client.post(correct, {"reason": "Var sjuk"}, follow=True)
    assert not SessionAttendance.objects.filter(session=session).exists()
    assert not Visit.objects.filter(participant=person).exists()
    page = response.content.decode()
    assert "Var sjuk" in page and "<del>närvarande</del>" in page


def test_l2_another_units_staff_cannot_correct(client, lotsen, drop_in, henrik) -> None:
    person = make_participant(lotsen)
    Visit.objects.create(participant=person, programme=drop_in, date=PAST)
    client.force_login(henrik)
    url = reverse("activities:visit_correct", args=["lotsen", PAST, person.pk, drop_in.pk])
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert Visit.objects.filter(participant=person).exists()
