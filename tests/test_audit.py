"""L2: every change to personal data is in the audit trail with who, when, before and after."""

from __future__ import annotations

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry

from tests.factories import make_participant, make_place

pytestmark = pytest.mark.django_db


def test_l2_a_change_records_who_and_before_and_after(lotsen, anna) -> None:
    person = make_participant(lotsen, phone="013-111111")
    with set_actor(anna):
        person.phone = "013-222222"
        person.save()
    entry = LogEntry.objects.get_for_object(person).get(
        action=LogEntry.Action.UPDATE, changes__has_key="phone"
    )
    assert entry.actor == anna and entry.timestamp is not None
    assert entry.changes_dict["phone"] == ["013-111111", "013-222222"]


def test_l2_places_and_team_membership_are_audited(training, lotsen, anna, omar) -> None:
    person = make_participant(lotsen)
    with set_actor(anna):
        place = make_place(person, training, contact_person=anna)
        person.team.add(omar)
    assert LogEntry.objects.get_for_object(place).filter(action=LogEntry.Action.CREATE).exists()
    team_changes = [
        e.changes_dict["team"]
        for e in LogEntry.objects.get_for_object(person).filter(actor=anna)
        if "team" in e.changes_dict
    ]
    assert team_changes and team_changes[0]["operation"] == "add"
    assert team_changes[0]["objects"] == [str(omar)]
