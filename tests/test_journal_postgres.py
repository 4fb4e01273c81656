"""On PostgreSQL the database itself refuses to change a signed entry (L1); retention (L3)
goes through the one path that sets the trigger aside. Two signings at once make one entry."""

from __future__ import annotations

import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from journal.models import Entry, EntryCorrection, EntryKind, EntryNote
from journal.services import entry_sign, journal_erase
from tests.factories import make_entry, make_participant
from tests.race import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the triggers and row locks exist only on PostgreSQL (decision 0012)",
    ),
]


@pytest.fixture
def kinds(db: None) -> None:
    """The seeded kinds; a transactional test's flush removed the migration's rows."""
    for position, name in enumerate(["Samtal", "Telefonsamtal"]):
        EntryKind.objects.get_or_create(name=name, defaults={"position": position})


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE journal_entry SET text = 'Ändrad' WHERE id = %s",
        "DELETE FROM journal_entry WHERE id = %s",
        "UPDATE journal_entrycorrection SET text = 'Ändrad' WHERE entry_id = %s",
        "DELETE FROM journal_entrycorrection WHERE entry_id = %s",
        "UPDATE journal_entrynote SET text = 'Ändrad' WHERE entry_id = %s",
        "DELETE FROM journal_entrynote WHERE entry_id = %s",
    ],
)
def test_l1_raw_sql_cannot_change_a_signed_entry(kinds, lotsen, anna, sql) -> None:
    entry = make_entry(make_participant(lotsen), by=anna, text="Första texten")
    entry.correct(text="Rättad", reason="Fel", by=anna)
    entry.note_persons_view(text="Synpunkt", by=anna)
    with (
        pytest.raises(DatabaseError, match="pgtrigger"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])
    assert Entry.objects.get(pk=entry.pk).text == "Första texten"
    assert (
        EntryCorrection.objects.get().text == "Rättad"
        and EntryNote.objects.get().text == "Synpunkt"
    )


def test_l3_erasure_passes_the_trigger_and_nothing_else_does(kinds, lotsen, anna, eva) -> None:
    person = make_participant(lotsen)
    entry = make_entry(person, by=anna)
    entry.correct(text="Ny", reason="Fel", by=anna)
    kept = make_entry(make_participant(lotsen), by=anna)
    assert journal_erase(participant=person, by=eva, reason="Gallring") == 1
    assert list(Entry.objects.all()) == [kept]
    # The trigger is back on at once, for this connection too.
    with (
        pytest.raises(DatabaseError, match="pgtrigger"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM journal_entry WHERE id = %s", [kept.pk])


def test_two_signings_of_one_draft_at_once_make_one_entry(kinds, lotsen, anna) -> None:
    person = make_participant(lotsen)
    key = uuid.uuid4()
    fields = {
        "occurred_at": timezone.now(),
        "kind": EntryKind.objects.get(name="Samtal"),
        "text": "Samtal",
        "place": None,
        "plan": None,
        "session": None,
        "referral": None,
    }
    outcomes = race(
        [lambda: entry_sign(participant=person, key=key, by=anna, fields=fields) for _ in range(3)]
    )
    assert outcomes == ["ok", "ok", "ok"]
    assert Entry.objects.filter(key=key).count() == 1
