"""The unit manager's work list: every plan of the unit with its status (R13), filterable."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.factories import make_participant, make_place, make_plan

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def unit_plans(training, isa, lotsen, anna, omar):  # type: ignore[no-untyped-def]
    late = make_place(
        make_participant(lotsen, last_name="Sen"),
        training,
        contact_person=anna,
        start=D(2026, 1, 1),
    )
    make_plan(late, established_on=D(2026, 1, 5), by=anna)
    fine = make_place(
        make_participant(lotsen, last_name="Itid"),
        training,
        contact_person=omar,
        start=D(2026, 11, 1),
    )
    make_plan(fine, established_on=D(2026, 11, 2), by=omar)
    make_place(
        make_participant(lotsen, last_name="Saknas"),
        training,
        contact_person=omar,
        start=D(2026, 9, 1),
    )


def _names(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [place.participant.last_name for place, _status in response.context["rows"]]


def test_r13_every_plan_with_status_and_filters(client, unit_plans, eva, omar, training) -> None:
    client.force_login(eva)
    url = reverse("plans:unit")
    response = client.get(url)
    assert sorted(_names(response)) == ["Itid", "Saknas", "Sen"]
    assert dict((p.participant.last_name, s) for p, s in response.context["rows"]) == {
        "Sen": "overdue",
        "Itid": "on_time",
        "Saknas": "missing",
    }
    assert _names(client.get(url, {"status": "overdue"})) == ["Sen"]
    assert _names(client.get(url, {"status": "missing"})) == ["Saknas"]
    assert sorted(_names(client.get(url, {"contact_person": omar.pk}))) == ["Itid", "Saknas"]
    assert len(_names(client.get(url, {"programme": training.pk}))) == 3


def test_the_work_list_is_for_managers_and_shows_only_their_units(
    client, unit_plans, anna, henrik
) -> None:
    url = reverse("plans:unit")
    assert client.get(url).status_code == 302
    client.force_login(anna)
    assert client.get(url).status_code == 403
    client.force_login(henrik)
    assert _names(client.get(url)) == []
