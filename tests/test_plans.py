"""R13: follow-up intervals from the programme; writing a plan and recording follow-ups."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from participants.models import Enrolment
from plans.models import FollowUp, Plan
from tests.factories import (
    ACTIVITY,
    TODAY,
    activities_post,
    make_participant,
    make_place,
    make_plan,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize(
    ("established", "due"),
    [
        (D(2026, 1, 10), D(2026, 4, 10)),
        (D(2026, 11, 30), D(2027, 2, 28)),  # month-end clamps
        (D(2027, 11, 30), D(2028, 2, 29)),  # ... to the 29th in a leap year
        (D(2026, 8, 31), D(2026, 11, 30)),
    ],
)
def test_r13_forstegstraning_follows_up_three_months_later(
    training, lotsen, anna, established, due
) -> None:
    place = make_place(make_participant(lotsen), training, contact_person=anna, start=established)
    assert make_plan(place, established_on=established, by=anna).follow_up_due == due


def test_r13_team_isa_follows_up_six_weeks_later(isa, lotsen, anna) -> None:
    place = make_place(make_participant(lotsen, young=True), isa, contact_person=anna)
    plan = make_plan(place, established_on=D(2026, 11, 2), by=anna)
    assert plan.follow_up_due == D(2026, 12, 14)


def test_r13_interval_comes_from_the_programme(training, lotsen, anna) -> None:
    training.follow_up_interval = 2
    training.save()
    place = make_place(make_participant(lotsen), training, contact_person=anna)
    assert make_plan(place, established_on=D(2026, 1, 31), by=anna).follow_up_due == D(2026, 3, 31)


def test_r13_a_follow_up_moves_the_next_due_date(training, lotsen, anna) -> None:
    place = make_place(make_participant(lotsen), training, contact_person=anna, start=D(2026, 1, 1))
    plan = make_plan(place, established_on=D(2026, 1, 5), by=anna)
    plan.record_follow_up(on=D(2026, 4, 20), by=anna, progress="Går bra")
    assert plan.follow_up_due == D(2026, 7, 20)
    # A late-entered earlier follow-up does not move the date back.
    plan.record_follow_up(on=D(2026, 3, 1), by=anna, progress="Efterregistrerad")
    assert Plan.objects.get().follow_up_due == D(2026, 7, 20)


def test_r13_overdue_means_due_date_passed_in_a_running_place(training, lotsen, anna) -> None:
    running = make_place(
        make_participant(lotsen), training, contact_person=anna, start=D(2026, 1, 1)
    )
    ended = make_place(
        make_participant(lotsen),
        training,
        contact_person=anna,
        start=D(2026, 1, 1),
        end=D(2026, 6, 30),
    )
    make_plan(running, established_on=D(2026, 1, 5), by=anna)
    make_plan(ended, established_on=D(2026, 1, 5), by=anna)

    def overdue(on: datetime.date) -> list[int]:
        return list(Enrolment.objects.plan_overdue(on=on).values_list("pk", flat=True))

    assert overdue(TODAY) == [running.pk]
    assert overdue(D(2026, 4, 5)) == []
    assert sorted(overdue(D(2026, 4, 6))) == sorted([running.pk, ended.pk])


def test_r13_the_plan_page_says_overdue_only_while_the_place_runs(
    client, training, lotsen, anna
) -> None:
    """The plan page uses the place's plan status: a plan of an ended place is not late."""
    place = make_place(make_participant(lotsen), training, contact_person=anna, start=D(2026, 1, 1))
    plan = make_plan(place, established_on=D(2026, 1, 5), by=anna)
    client.force_login(anna)
    url = reverse("plans:detail", args=[plan.pk])
    assert "(försenad)" in client.get(url).content.decode()
    Enrolment.objects.filter(pk=place.pk).update(end_date=D(2026, 6, 30))
    assert "(försenad)" not in client.get(url).content.decode()


def test_write_a_plan_through_the_page(client, training, lotsen, anna) -> None:
    place = make_place(
        make_participant(lotsen), training, contact_person=anna, start=D(2026, 11, 1)
    )
    client.force_login(anna)
    response = client.post(
        reverse("plans:create", args=[place.pk]),
        {
            "established_on": "2026-11-03",
            "goals": "Arbeta i caféet",
            "participation": "Egna ord",
            "summary": "Kort",
            **activities_post([ACTIVITY, {**ACTIVITY, "goal": "Pröva kassan"}, {}]),
        },
    )
    plan = Plan.objects.get()
    assert response.status_code == 302
    # R12: each activity keeps its own goal, who is responsible, when and how; the empty
    # spare row is not saved.
    assert [a.as_row() for a in plan.activities.all()] == [
        ACTIVITY,
        {**ACTIVITY, "goal": "Pröva kassan"},
    ]
    assert plan.created_by == anna and plan.follow_up_due == D(2027, 2, 3)
    # A double submit lands on the saved plan and saves nothing new.
    again = client.post(reverse("plans:create", args=[place.pk]), {"established_on": "2026-11-03"})
    assert again["Location"] == reverse("plans:detail", args=[plan.pk])
    assert Plan.objects.count() == 1


def test_plan_missing_fields_are_explained(client, training, lotsen, anna) -> None:
    place = make_place(make_participant(lotsen), training, contact_person=anna)
    client.force_login(anna)
    response = client.post(
        reverse("plans:create", args=[place.pk]),
        {"established_on": "2026-11-03", "goals": "Mål", **activities_post([{}, {}])},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Detta fält måste fyllas i" in content and "minst en aktivitet" in content
    assert "Mål" in content and not Plan.objects.exists()


def test_a_plan_dated_in_the_future_is_refused_and_keeps_the_input(
    client, training, lotsen, anna
) -> None:
    place = make_place(make_participant(lotsen), training, contact_person=anna)
    client.force_login(anna)
    response = client.post(
        reverse("plans:create", args=[place.pk]),
        {
            "established_on": "2027-03-01",
            "goals": "Arbeta i caféet",
            **activities_post([ACTIVITY, {}]),
        },
    )
    content = response.content.decode()
    assert response.status_code == 200 and not Plan.objects.exists()
    assert "Datumet ligger i framtiden" in content and "Arbeta i caféet" in content


def test_r13_a_plan_dated_before_the_place_began_is_refused_and_keeps_the_input(
    client, training, lotsen, anna
) -> None:
    place = make_place(
        make_participant(lotsen), training, contact_person=anna, start=D(2026, 11, 14)
    )
    client.force_login(anna)
    response = client.post(
        reverse("plans:create", args=[place.pk]),
        {
            "established_on": "2020-01-01",
            "goals": "Arbeta i caféet",
            "participation": "Egna ord",
            "summary": "Kort",
            **activities_post([ACTIVITY, {}]),
        },
    )
    content = response.content.decode()
    assert response.status_code == 200 and not Plan.objects.exists()
    assert "Datumet ligger före platsens start (2026-11-14)" in content
    assert "2020-01-01" in content and "Arbeta i caféet" in content


def test_record_a_follow_up_through_the_page(client, training, lotsen, anna) -> None:
    place = make_place(make_participant(lotsen), training, contact_person=anna, start=D(2026, 1, 1))
    plan = make_plan(place, established_on=D(2026, 1, 5), by=anna)
    client.force_login(anna)
    url = reverse("plans:follow_up", args=[plan.pk])
    data = {
        "date": "2026-11-20",
        "attendees": "Personen och kontaktman",
        "goal-0-status": "on_the_way",
        "goal-1-status": "achieved",
        "goal-1-comment": "Kommer i tid varje dag",
        "progress": "Har kommit alla dagar",
        "next_steps": "Pröva köket",
    }
    assert client.post(url, data).status_code == 302
    plan.refresh_from_db()
    assert plan.follow_up_due == D(2027, 2, 20)
    # Progress on each goal: the overall goals first, then each activity's goal.
    follow_up = FollowUp.objects.get()
    assert follow_up.attendees == "Personen och kontaktman"
    assert [(g.goal, g.status, g.comment) for g in follow_up.goals.all()] == [
        ("Mål", "on_the_way", ""),
        ("Komma i tid", "achieved", "Kommer i tid varje dag"),
    ]
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Kommer i tid varje dag" in page and "Uppnått" in page
    # The same follow-up sent twice is saved once, with a message.
    response = client.post(url, data)
    assert response.status_code == 400
    assert "redan en uppföljning" in response.content.decode()
    assert FollowUp.objects.count() == 1


def test_r13_a_follow_up_needs_progress_on_every_goal_and_loses_nothing(
    client, training, lotsen, anna
) -> None:
    place = make_place(make_participant(lotsen), training, contact_person=anna, start=D(2026, 1, 1))
    plan = make_plan(place, established_on=D(2026, 1, 5), by=anna)
    client.force_login(anna)
    data = {"date": "2026-11-20", "goal-0-status": "achieved", "progress": "Mina anteckningar"}
    response = client.post(reverse("plans:follow_up", args=[plan.pk]), data)
    content = response.content.decode()
    assert response.status_code == 400
    assert "Detta fält måste fyllas i" in content and "Mina anteckningar" in content
    assert not FollowUp.objects.exists()
    plan.refresh_from_db()
    assert plan.follow_up_due == D(2026, 4, 5)


def test_l1_a_follow_up_reads_the_same_after_the_goal_is_rewritten(training, lotsen, anna) -> None:
    from plans.services import plan_update

    place = make_place(make_participant(lotsen), training, contact_person=anna, start=D(2026, 1, 1))
    plan = make_plan(place, established_on=D(2026, 1, 5), by=anna)
    activity = plan.activities.get()
    goals = [{"activity": activity, "goal": activity.goal, "status": "achieved", "comment": ""}]
    follow_up = plan.record_follow_up(on=D(2026, 3, 1), by=anna, goals=goals)
    plan_update(
        plan=plan,
        expected_revision=1,
        fields={},
        by=anna,
        activities=[{"id": activity.pk, **ACTIVITY, "goal": "Ett nytt mål"}],
    )
    assert follow_up.goals.get().goal == "Komma i tid"
    assert plan.activities.get().goal == "Ett nytt mål"


def test_follow_up_before_the_plan_or_in_the_future_is_rejected(
    client, training, lotsen, anna
) -> None:
    place = make_place(make_participant(lotsen), training, contact_person=anna, start=D(2026, 1, 1))
    plan = make_plan(place, established_on=D(2026, 6, 1), by=anna)
    client.force_login(anna)
    url = reverse("plans:follow_up", args=[plan.pk])
    early = client.post(url, {"date": "2026-05-01", "goal-0-status": "achieved"})
    assert "före planens datum" in early.content.decode()
    future = client.post(url, {"date": "2099-01-01", "goal-0-status": "achieved"})
    assert "framtiden" in future.content.decode()
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize("name", ["plans:detail", "plans:follow_up", "plans:create"])
def test_l2_plans_are_404_for_another_unit_and_need_login(
    client, training, lotsen, anna, henrik, name
) -> None:
    place = make_place(make_participant(lotsen), training, contact_person=anna)
    plan = make_plan(place, established_on=D(2026, 11, 1), by=anna)
    url = reverse(name, args=[place.pk if name == "plans:create" else plan.pk])
    assert client.get(url).status_code == 302
    client.force_login(henrik)
    assert client.get(url).status_code in (404, 405) and client.post(url, {}).status_code == 404


@pytest.mark.skipif(__import__("shutil").which("pdftotext") is None, reason="needs pdftotext")
def test_r14_the_plan_prints_as_a_pdf_to_hand_to_the_person(
    client, training, lotsen, anna, henrik, tmp_path
) -> None:
    import subprocess

    person = make_participant(lotsen, first_name="Sara", last_name="Nordin")
    place = make_place(person, training, contact_person=anna, start=D(2026, 1, 1))
    plan = make_plan(place, established_on=D(2026, 1, 5), by=anna)
    activity = plan.activities.get()
    plan.record_follow_up(
        on=D(2026, 4, 1),
        by=anna,
        progress="Kommer tre dagar i veckan",
        goals=[{"activity": activity, "goal": activity.goal, "status": "achieved", "comment": ""}],
    )
    url = reverse("plans:pdf", args=[plan.pk])
    client.force_login(anna)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "Nordin" not in response["Content-Disposition"]
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Genomförandeplan" in text and "Sara Nordin" in text
    assert "Sida 1 av 1" in text  # every PDF numbers its pages the same way
    assert "Kommer tre dagar i veckan" in text and person.identity_number not in text
    # R12/R13: the activity rows and the progress on each goal are in the handout.
    assert "Tisdagar 9–12" in text and "Komma i tid" in text and "Uppnått" in text
    client.force_login(henrik)
    assert client.get(url).status_code == 404
