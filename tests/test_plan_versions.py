"""Plans are never silently overwritten (L1): every change keeps the earlier version, a
renewal re-establishes the plan (R14), and two staff saving at once get a conflict."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from plans.models import Method, Plan, PlanVersion
from tests.factories import ACTIVITY, activities_post, make_participant, make_place, make_plan

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def plan(training, lotsen, anna):  # type: ignore[no-untyped-def]
    place = make_place(
        make_participant(lotsen), training, contact_person=anna, start=D(2025, 11, 1)
    )
    return make_plan(place, established_on=D(2025, 11, 10), by=anna)


def _edit(plan: Plan, **changes: object) -> dict[str, object]:
    rows = [{"id": a.pk, **a.as_row()} for a in plan.activities.all()]
    data: dict[str, object] = {
        **activities_post(rows, initial=len(rows)),
        "revision": plan.revision,
        "goals": plan.goals,
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


def test_r14_a_plan_dated_before_its_place_is_corrected_by_a_renewal_from_the_start(
    client, training, lotsen, anna
) -> None:
    place = make_place(
        make_participant(lotsen), training, contact_person=anna, start=D(2026, 11, 14)
    )
    plan = make_plan(place, established_on=D(2020, 1, 1), by=anna)
    client.force_login(anna)
    url = reverse("plans:edit", args=[plan.pk])
    early = client.post(url, _edit(plan, renew_on="2021-01-01"))
    assert "Datumet ligger före platsens start (2026-11-14)" in early.content.decode()
    assert not PlanVersion.objects.exists()
    assert client.post(url, _edit(plan, renew_on="2026-11-14")).status_code == 302
    plan.refresh_from_db()
    assert plan.established_on == D(2026, 11, 14)


def test_r12_activity_rows_change_in_a_new_version_and_the_old_rows_stay_readable(
    client, plan, anna
) -> None:
    client.force_login(anna)
    first = plan.activities.get()
    rows = [
        {"id": first.pk, **ACTIVITY, "goal": "Komma i tid fyra dagar"},
        {**ACTIVITY, "goal": "Pröva köket", "responsible": "Personen", "when": "Fredagar"},
    ]
    data = {**_edit(plan), **activities_post(rows, initial=1)}
    assert client.post(reverse("plans:edit", args=[plan.pk]), data).status_code == 302
    goals = list(plan.activities.values_list("pk", "goal", "responsible"))
    assert goals[0] == (first.pk, "Komma i tid fyra dagar", "Kontaktman")
    assert goals[1][1:] == ("Pröva köket", "Personen")
    version = PlanVersion.objects.get(plan=plan)
    assert [row["goal"] for row in version.activity_rows] == ["Komma i tid"]
    page = client.get(reverse("plans:version", args=[plan.pk, 1])).content.decode()
    assert "Komma i tid" in page and "Pröva köket" not in page

    # Removing a row is ticking its box; the plan keeps at least one activity.
    plan.refresh_from_db()
    rows = [{"id": a.pk, **a.as_row()} for a in plan.activities.all()]
    rows[0]["DELETE"] = "on"
    data = {**_edit(plan), **activities_post(rows, initial=2)}
    assert client.post(reverse("plans:edit", args=[plan.pk]), data).status_code == 302
    assert list(plan.activities.values_list("goal", flat=True)) == ["Pröva köket"]
    rows = [{"id": a.pk, **a.as_row(), "DELETE": "on"} for a in plan.activities.all()]
    emptied = client.post(
        reverse("plans:edit", args=[plan.pk]), {**_edit(plan), **activities_post(rows, initial=1)}
    )
    assert emptied.status_code == 200
    assert "minst en aktivitet" in emptied.content.decode()
    assert plan.activities.count() == 1


def test_r12_an_activity_row_needs_its_goal_who_and_when(client, plan, anna) -> None:
    client.force_login(anna)
    rows = [{"id": a.pk, **a.as_row()} for a in plan.activities.all()]
    rows.append({"goal": "Ett nytt delmål", "activity": "Något", "responsible": "", "when": ""})
    response = client.post(
        reverse("plans:edit", args=[plan.pk]), {**_edit(plan), **activities_post(rows, initial=1)}
    )
    content = response.content.decode()
    assert response.status_code == 200 and "Detta fält måste fyllas i" in content
    assert "Ett nytt delmål" in content  # nothing typed is lost
    assert plan.activities.count() == 1 and not PlanVersion.objects.exists()


def test_l1_a_conflict_keeps_my_activity_rows_even_if_the_other_save_removed_one(
    client, plan, anna, omar
) -> None:
    url = reverse("plans:edit", args=[plan.pk])
    first = plan.activities.get()
    opened = _edit(plan)
    client.force_login(anna)
    extra = {**ACTIVITY, "goal": "Annas delmål"}
    replace = [{"id": first.pk, **first.as_row(), "DELETE": "on"}, extra]
    assert client.post(url, {**opened, **activities_post(replace, initial=1)}).status_code == 302
    client.force_login(omar)
    mine = [{"id": first.pk, **first.as_row(), "goal": "Omars ändrade delmål"}]
    response = client.post(url, {**opened, **activities_post(mine, initial=1)})
    content = response.content.decode()
    assert response.status_code == 409
    assert "Annas delmål" in content and "Omars ändrade delmål" in content
    assert "Välj ett giltigt alternativ" not in content
    plan.refresh_from_db()
    assert list(plan.activities.values_list("goal", flat=True)) == ["Annas delmål"]
