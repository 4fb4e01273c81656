"""Plans are never silently overwritten (L1): every change keeps the earlier version, a
renewal re-establishes the plan (R14), and two staff saving at once get a conflict."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from plans.models import Method, Plan, PlanVersion
from tests.factories import make_participant, make_place, make_plan

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def plan(training, lotsen, anna):  # type: ignore[no-untyped-def]
    place = make_place(
        make_participant(lotsen), training, contact_person=anna, start=D(2025, 11, 1)
    )
    return make_plan(place, established_on=D(2025, 11, 10), by=anna)


def _edit(plan: Plan, **changes: str) -> dict[str, object]:
    data: dict[str, object] = {
        "revision": plan.revision,
        "goals": plan.goals,
        "activities": plan.activities,
        "participation": plan.participation,
        "collaboration": plan.collaboration,
        "summary": plan.summary,
        "renew_on": "",
    }
    return {**data, **changes}


def test_l1_an_edit_keeps_the_earlier_version_unchanged(client, plan, anna, omar) -> None:
    client.force_login(omar)
    esl = Method.objects.get(name__startswith="ESL")
    response = client.post(
        reverse("plans:edit", args=[plan.pk]), _edit(plan, goals="Nya mål", methods=[esl.pk])
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.goals, plan.revision, plan.updated_by) == ("Nya mål", 2, omar)
    assert list(plan.methods.all()) == [esl]
    old = PlanVersion.objects.get(plan=plan)
    assert (old.revision, old.goals, old.written_by, old.replaced_by) == (1, "Mål", anna, omar)
    page = client.get(reverse("plans:version", args=[plan.pk, 1])).content.decode()
    assert "Mål" in page and "kan inte ändras" in page


def test_r14_renewal_re_establishes_the_plan_and_moves_the_dates(client, plan, anna) -> None:
    client.force_login(anna)
    client.post(
        reverse("plans:edit", args=[plan.pk]), _edit(plan, summary="Förnyad", renew_on="2026-11-20")
    )
    plan.refresh_from_db()
    assert plan.established_on == D(2026, 11, 20)
    assert plan.follow_up_due == D(2027, 2, 20) and plan.renewal_due == D(2027, 11, 20)
    assert PlanVersion.objects.get(plan=plan).renewed


def test_l1_two_staff_saving_at_once_get_a_conflict_showing_both_and_nothing_is_lost(
    client, plan, anna, omar
) -> None:
    url = reverse("plans:edit", args=[plan.pk])
    opened = _edit(plan)  # both open the same revision
    client.force_login(anna)
    assert client.post(url, {**opened, "goals": "Annas mål"}).status_code == 302
    client.force_login(omar)
    response = client.post(url, {**opened, "goals": "Omars mål"})
    content = response.content.decode()
    assert response.status_code == 409
    assert "Annas mål" in content and "Omars mål" in content
    plan.refresh_from_db()
    assert plan.goals == "Annas mål"
    # Saving again from the conflict page is a deliberate choice and goes through.
    again = client.post(url, {**opened, "revision": plan.revision, "goals": "Annas och Omars mål"})
    assert again.status_code == 302
    assert list(PlanVersion.objects.filter(plan=plan).values_list("goals", flat=True)) == [
        "Annas mål",
        "Mål",
    ]


def test_renewal_before_the_plan_or_in_the_future_is_rejected(client, plan, anna) -> None:
    client.force_login(anna)
    url = reverse("plans:edit", args=[plan.pk])
    early = client.post(url, _edit(plan, renew_on="2025-01-01"))
    assert "före planens datum" in early.content.decode()
    future = client.post(url, _edit(plan, renew_on="2099-01-01"))
    assert "framtiden" in future.content.decode()
    assert not PlanVersion.objects.exists()
