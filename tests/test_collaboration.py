"""Outreach to boendestöd and the governed collaboration (R4), Team ISA at meetings (R8),
and the figures per unit and year (R4, R19)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from referrals.models import (
    CollaborationAction,
    CollaborationMeeting,
    IsaPresented,
    MeetingStatus,
    OutreachActivity,
    OutreachKind,
    Status,
)
from referrals.services import action_follow_up, outreach_record
from referrals.statistics import collaboration_figures
from tests.factories import (
    TODAY,
    make_housing_unit,
    make_participant,
    make_place,
    make_referral,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def _outreach_post(unit, housing, **extra):  # type: ignore[no-untyped-def]
    return {
        "unit": unit.pk,
        "date": "2026-11-20",
        "housing_support_unit": housing.pk,
        "kind": OutreachKind.HOME_VISIT,
        "people_reached": "2",
        "isa_presented": IsaPresented.YES,
        "notes": "",
        **extra,
    }


def test_r4_staff_record_an_outreach_activity(client, anna, lotsen) -> None:
    housing = make_housing_unit(lotsen)
    person = make_participant(lotsen)
    client.force_login(anna)
    response = client.post(
        reverse("referrals:outreach_create"),
        _outreach_post(lotsen, housing, participants=[person.pk]),
    )
    assert response.status_code == 302
    activity = OutreachActivity.objects.get()
    assert (activity.people_reached, activity.created_by) == (2, anna)
    assert list(activity.participants.all()) == [person]


def test_r8_team_isa_must_be_answered_when_a_young_adult_was_there(client, anna, lotsen) -> None:
    housing = make_housing_unit(lotsen)
    young = make_participant(lotsen, young=True)
    client.force_login(anna)
    response = client.post(
        reverse("referrals:outreach_create"),
        _outreach_post(
            lotsen, housing, participants=[young.pk], isa_presented=IsaPresented.NOBODY_YOUNG
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "i åldern för Team ISA (18–35 år). Svara ja eller nej." in page
    assert "(R8)" not in page
    assert not OutreachActivity.objects.exists()


def test_more_registered_people_than_reached_is_refused(client, anna, lotsen) -> None:
    housing = make_housing_unit(lotsen)
    people = [make_participant(lotsen).pk for _ in range(3)]
    client.force_login(anna)
    response = client.post(
        reverse("referrals:outreach_create"),
        _outreach_post(lotsen, housing, participants=people),
    )
    assert "Fler registrerade personer är valda" in response.content.decode()


def test_l2_another_units_boendestod_and_people_cannot_be_chosen(
    client, anna, lotsen, hantverkshuset
) -> None:
    theirs = make_housing_unit(hantverkshuset, "Deras boendestöd")
    stranger = make_participant(hantverkshuset)
    client.force_login(anna)
    response = client.post(
        reverse("referrals:outreach_create"),
        _outreach_post(lotsen, theirs, participants=[stranger.pk]),
    )
    form = response.context["form"]
    assert "housing_support_unit" in form.errors and "participants" in form.errors
    assert not OutreachActivity.objects.exists()


def test_r4_a_meeting_is_planned_held_with_attendees_and_actions_followed_up(
    client, anna, omar, lotsen
) -> None:
    housing = make_housing_unit(lotsen)
    client.force_login(anna)
    client.post(
        reverse("referrals:meeting_create"),
        {
            "unit": lotsen.pk,
            "housing_support_unit": housing.pk,
            "planned_on": "2026-11-10",
            "agenda": "Hur når vi fler?",
            "staff_attendees": [anna.pk],
        },
    )
    meeting = CollaborationMeeting.objects.get()
    held = client.post(
        reverse("referrals:meeting_held", args=[meeting.pk]),
        {
            "held_on": "2026-11-12",
            "staff_attendees": [anna.pk, omar.pk],
            "other_attendees": "Kim, boendestödjare",
            "minutes": "Vi bjuder in till studiebesök.",
        },
    )
    assert held.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.held_on) == (MeetingStatus.HELD, D(2026, 11, 12))
    assert set(meeting.staff_attendees.all()) == {anna, omar}
    client.post(
        reverse("referrals:action_create", args=[meeting.pk]),
        {"description": "Bjud in till studiebesök", "owner": "Anna", "due_on": "2026-11-20"},
    )
    action = CollaborationAction.objects.get()
    assert action.is_overdue(TODAY)
    client.post(
        reverse("referrals:action_follow_up", args=[action.pk]),
        {"done_on": "2026-11-21", "note": "Fyra kom på studiebesök."},
    )
    action.refresh_from_db()
    assert (action.done_on, action.follow_ups.get().created_by) == (D(2026, 11, 21), anna)
    assert not action.is_overdue(TODAY)


def test_a_meeting_cannot_be_held_in_the_future_or_twice(client, anna, lotsen) -> None:
    housing = make_housing_unit(lotsen)
    meeting = CollaborationMeeting.objects.create(
        unit=lotsen, housing_support_unit=housing, planned_on=D(2026, 11, 1), created_by=anna
    )
    client.force_login(anna)
    url = reverse("referrals:meeting_held", args=[meeting.pk])
    future = client.post(url, {"held_on": "2026-11-30", "minutes": "x"})
    assert future.status_code == 400 and "när det har hållits" in future.content.decode()
    client.post(url, {"held_on": "2026-11-02", "minutes": "x"})
    again = client.post(url, {"held_on": "2026-11-03", "minutes": "y"})
    assert again.status_code == 400 and "redan registrerat" in again.content.decode()


def test_an_action_done_before_its_meeting_is_refused(anna, lotsen) -> None:
    meeting = CollaborationMeeting.objects.create(
        unit=lotsen,
        housing_support_unit=make_housing_unit(lotsen),
        planned_on=D(2026, 11, 10),
        created_by=anna,
    )
    action = CollaborationAction.objects.create(
        meeting=meeting, description="x", owner="y", due_on=D(2026, 11, 20), created_by=anna
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="före mötet"):
        action_follow_up(action=action, done_on=D(2026, 11, 1), note="klar", by=anna)


def test_r4_r19_boendestod_and_outreach_per_unit_and_year(
    anna, lotsen, hantverkshuset, training, drop_in
) -> None:
    east, west = make_housing_unit(lotsen, "Öst"), make_housing_unit(lotsen, "Väst")
    reached = make_participant(lotsen, has_housing_support=True)
    activity = outreach_record(
        by=anna,
        participants=[reached],
        unit=lotsen,
        date=D(2026, 3, 1),
        housing_support_unit=east,
        kind=OutreachKind.STUDY_VISIT,
        people_reached=5,
        isa_presented=IsaPresented.YES,
    )
    outreach_record(
        by=anna,
        participants=[],
        unit=lotsen,
        date=D(2025, 3, 1),  # last year: not counted
        housing_support_unit=east,
        kind=OutreachKind.HOME_VISIT,
        people_reached=9,
        isa_presented=IsaPresented.NO,
    )
    CollaborationMeeting.objects.create(
        unit=lotsen,
        housing_support_unit=east,
        planned_on=D(2026, 4, 1),
        held_on=D(2026, 4, 1),
        status=MeetingStatus.HELD,
        created_by=anna,
    )
    make_referral(
        lotsen,
        participant=reached,
        outreach=activity,
        housing_support_unit=east,
        status=Status.ACCEPTED,
        received_on=D(2026, 3, 5),
    )
    make_place(reached, drop_in, hours=None, start=D(2026, 4, 1))
    make_place(make_participant(lotsen, has_housing_support=True), drop_in, hours=None)
    make_place(make_participant(lotsen), drop_in, hours=None)
    make_place(
        make_participant(hantverkshuset, has_housing_support=True),
        hantverkshuset.programmes.first(),
        hours=None,
    )
    f = collaboration_figures(unit=lotsen, year=2026, today=TODAY)
    assert (f.participants, f.with_housing_support, f.via_outreach) == (3, 2, 1)
    assert (f.outreach_activities, f.people_reached, f.isa_presented) == (1, 5, 1)
    rows = {r.name: r for r in f.rows}
    assert (rows["Öst"].activities, rows["Öst"].people_reached) == (1, 5)
    assert (rows["Öst"].referrals, rows["Öst"].accepted, rows["Öst"].meetings_held) == (1, 1, 1)
    assert (rows["Väst"].activities, rows["Väst"].referrals) == (0, 0)
    assert west.pk  # listed even without activity


def test_figures_page_per_unit_and_year(client, eva, lotsen) -> None:
    client.force_login(eva)
    page = client.get(reverse("referrals:figures"), {"year": 2026}).content.decode()
    assert "Lotsen 2026" in page and "varav kom genom uppsökande" in page


def test_l1_a_second_follow_up_of_an_action_is_added_not_written_over(
    client, anna, omar, lotsen
) -> None:
    meeting = CollaborationMeeting.objects.create(
        unit=lotsen,
        housing_support_unit=make_housing_unit(lotsen),
        planned_on=D(2026, 11, 10),
        created_by=anna,
    )
    action = CollaborationAction.objects.create(
        meeting=meeting, description="Ring", owner="Anna", due_on=D(2026, 11, 30), created_by=anna
    )
    url = reverse("referrals:action_follow_up", args=[action.pk])
    client.force_login(anna)
    client.post(url, {"done_on": "", "note": "Ingen svarade."})
    client.force_login(omar)
    client.post(url, {"done_on": "", "note": "Fick svar, möte bokat."})
    notes = [(f.note, f.created_by) for f in action.follow_ups.all()]
    assert notes == [("Ingen svarade.", anna), ("Fick svar, möte bokat.", omar)]
    page = client.get(reverse("referrals:meeting", args=[meeting.pk])).content.decode()
    assert "Ingen svarade." in page and "Fick svar, möte bokat." in page
