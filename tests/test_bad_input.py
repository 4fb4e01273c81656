"""Malformed ids, dates and formset counts from a request: a 400 or 404 or a Swedish message,
quickly, never a 500 (decision 0015). tests/test_fuzz.py does the same for every page."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from activities.services import activity_create
from plans.forms import MAX_ACTIVITIES
from plans.models import Plan
from tests.factories import ACTIVITY, TODAY, activities_post, make_participant, make_place

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client: Client, anna):  # type: ignore[no-untyped-def]
    client.raise_request_exception = False
    client.force_login(anna)
    return client


@pytest.mark.parametrize("bad", ["abc", "", "1.5", "99999999999999999999", "-3", "٣"])
def test_a_malformed_participant_id_in_the_marks_is_refused(
    staff, lotsen, anna, drop_in, bad
) -> None:
    activity = activity_create(
        unit=lotsen,
        by=anna,
        leaders=[anna],
        weekdays=[],
        kind="activity",
        title="Promenad",
        place="Entrén",
        first_date=TODAY,
        last_date=TODAY,
        starts_at=datetime.time(10),
        ends_at=datetime.time(11),
    )
    session = activity.sessions.get()
    sheet = reverse("activities:sheet_mark", kwargs={"unit": "lotsen", "day": TODAY})
    for url, data in [
        (reverse("activities:session_mark", args=[session.pk]), {"participant": bad}),
        (reverse("activities:activity_member_remove", args=[activity.pk]), {"participant": bad}),
        (sheet, {"participant": bad, "programme": drop_in.pk}),
        (sheet, {"participant": "1", "programme": bad}),
    ]:
        assert staff.post(url, data).status_code in (400, 404), url


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01"])
def test_dates_outside_any_use_are_404_on_day_and_week_pages(staff, lotsen, day) -> None:
    for name in ("sheet", "week", "sheet_mark", "sheet_search", "sheet_count"):
        url = reverse(f"activities:{name}", kwargs={"unit": "lotsen", "day": TODAY})
        url = url.replace(TODAY.isoformat(), day)
        assert staff.get(url).status_code == 404, url
    today = reverse("activities:sheet_today", kwargs={"unit": "lotsen"})
    assert staff.get(today, {"dag": day}, follow=True).status_code == 404


def test_a_huge_formset_count_builds_a_bounded_form(staff, anna, lotsen, training) -> None:
    place = make_place(make_participant(lotsen), training, contact_person=anna)
    data = {
        "established_on": TODAY.isoformat(),
        "overall_goal": "Arbeta",
        **activities_post([ACTIVITY]),
        "activities-TOTAL_FORMS": "99999999999999999999",
    }
    response = staff.post(reverse("plans:create", args=[place.pk]), data)
    assert response.status_code == 200
    assert len(response.context["activities"].forms) == MAX_ACTIVITIES
    assert "Skicka som mest" in response.content.decode()
    assert not Plan.objects.filter(enrolment=place).exists()


def test_a_year_far_outside_any_use_falls_back_to_this_year(client, beroende, domain) -> None:
    from lotsen.models import Role
    from tests.factories import make_staff

    boss = make_staff("boss", beroende, Role.MANAGER)
    client.force_login(boss)
    for year in ("99999", "0", "²"):
        response = client.get(reverse("treatment:statements", args=[beroende.slug]), {"ar": year})
        assert response.status_code == 200
