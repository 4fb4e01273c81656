"""On PostgreSQL the database refuses to rewrite history (L1, L2): plan versions,
follow-ups, the audit log and visits older than the correction window; only the two
deliberate paths set the triggers aside (decision 0016)."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, connection, transaction

from lotsen.history import attendance_correcting, retention_erasing
from participants.models import Visit
from plans.models import FollowUp, PlanVersion
from tests.factories import TODAY, make_participant, make_place, make_plan

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the triggers exist only on PostgreSQL (decisions 0012, 0016)",
    ),
]


def _refused(sql: str, params: list[object]) -> None:
    with (
        pytest.raises(DatabaseError, match="pgtrigger"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


@pytest.fixture
def plan(lotsen, training, anna):  # type: ignore[no-untyped-def]
    start = TODAY - datetime.timedelta(days=90)
    place = make_place(make_participant(lotsen), training, start=start)
    plan = make_plan(place, established_on=TODAY - datetime.timedelta(days=80), by=anna)
    plan.record_follow_up(on=TODAY - datetime.timedelta(days=10), by=anna, progress="Bra")
    PlanVersion.objects.create(
        plan=plan,
        revision=1,
        established_on=plan.established_on,
        goals="Gamla mål",
        summary="Gammal",
        replaced_by=anna,
    )
    return plan


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE plans_followup SET progress = 'Ändrad' WHERE plan_id = %s",
        "DELETE FROM plans_followup WHERE plan_id = %s",
        "UPDATE plans_planversion SET goals = 'Ändrad' WHERE plan_id = %s",
        "DELETE FROM plans_planversion WHERE plan_id = %s",
    ],
)
def test_l1_raw_sql_cannot_rewrite_a_plans_history(plan, sql) -> None:  # type: ignore[no-untyped-def]
    _refused(sql, [plan.pk])
    assert FollowUp.objects.get(plan=plan).progress == "Bra"
    assert PlanVersion.objects.get(plan=plan).goals == "Gamla mål"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE auditlog_logentry SET changes_text = 'x' WHERE id = %s",
        "DELETE FROM auditlog_logentry WHERE id = %s",
    ],
)
def test_l2_raw_sql_cannot_change_or_delete_the_audit_log(lotsen, sql) -> None:  # type: ignore[no-untyped-def]
    person = make_participant(lotsen)
    entry = LogEntry.objects.get_for_object(person).first() or LogEntry.objects.log_create(
        person, force_log=True, action=LogEntry.Action.ACCESS, changes={}
    )
    assert entry is not None
    _refused(sql, [entry.pk])
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_l1_a_visit_past_the_correction_window_cannot_be_changed(lotsen, drop_in, anna) -> None:
    person = make_participant(lotsen)
    old = Visit.objects.create(
        participant=person, programme=drop_in, date=TODAY - datetime.timedelta(days=60)
    )
    today = Visit.objects.create(participant=person, programme=drop_in, date=TODAY)
    _refused("UPDATE participants_visit SET hours = 3 WHERE id = %s", [old.pk])
    _refused("DELETE FROM participants_visit WHERE id = %s", [old.pk])
    # Within the window (today) a mistaken mark may still be taken back.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM participants_visit WHERE id = %s", [today.pk])
    assert list(Visit.objects.all()) == [old]


def test_the_deliberate_paths_pass_the_triggers_only_inside_them(plan, lotsen, drop_in) -> None:  # type: ignore[no-untyped-def]
    old = Visit.objects.create(
        participant=make_participant(lotsen),
        programme=drop_in,
        date=TODAY - datetime.timedelta(days=60),
    )
    with attendance_correcting():
        Visit.objects.filter(pk=old.pk).update(hours=2)
    # A correction may not touch plans; retention may.
    with pytest.raises(DatabaseError), transaction.atomic(), attendance_correcting():
        FollowUp.objects.filter(plan=plan).delete()
    with retention_erasing():
        PlanVersion.objects.filter(plan=plan).delete()
    assert not PlanVersion.objects.filter(plan=plan).exists()
    _refused("DELETE FROM participants_visit WHERE id = %s", [old.pk])
