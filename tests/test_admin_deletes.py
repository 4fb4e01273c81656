"""Deleting in the admin never cascades through records of people (L1)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from activities.models import Activity, ActivityKind, SessionAttendance
from activities.services import activity_create, attendance_mark
from lotsen.models import User
from tests.factories import TODAY, make_participant

pytestmark = pytest.mark.django_db


def test_l1_deleting_an_activity_with_attendance_in_the_admin_is_refused(
    client, lotsen, anna
) -> None:
    activity = activity_create(
        unit=lotsen,
        by=anna,
        kind=ActivityKind.ACTIVITY,
        title="Promenadgrupp",
        place="Entrén",
        first_date=TODAY,
        last_date=TODAY + datetime.timedelta(days=14),
        starts_at=datetime.time(10),
        ends_at=datetime.time(11),
        weekdays=[TODAY.weekday()],
        leaders=[anna],
    )
    session = activity.sessions.get(date=TODAY)
    attendance_mark(session=session, participant=make_participant(lotsen), by=anna)
    admin = User.objects.create_superuser("admin", "admin@lotsen.example", "x" * 16)
    client.force_login(admin)
    url = reverse("admin:activities_activity_delete", args=[activity.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert "skyddade" in response.content.decode()  # Django's "protected related objects"
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert SessionAttendance.objects.count() == 1
