"""Journal workflows: save a draft, sign it, document a group session, erase (L3)."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pgtrigger
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from journal.models import Draft, Entry, EntryCorrection, EntryNote, UnitJournalRules
from participants.models import Participant

if TYPE_CHECKING:
    from lotsen.models import User

ENTRY_FIELDS = ("occurred_at", "kind", "text", "place", "plan", "session", "referral")


class DraftConflict(Exception):
    """The draft was saved from another tab since this one last saved."""

    def __init__(self, current: Draft) -> None:
        super().__init__()
        self.current = current


class DraftAlreadySigned(Exception):
    def __init__(self, entry: Entry) -> None:
        super().__init__()
        self.entry = entry


def draft_save(
    *,
    participant: Participant,
    key: uuid.UUID,
    by: User,
    revision: int | None,
    tab: uuid.UUID | None,
    fields: dict[str, Any],
    overwrite: bool = False,
) -> Draft:
    """Create or update the author's draft under `key`; a stale revision is a conflict unless
    the author chose to overwrite."""
    signed = Entry.objects.filter(key=key).first()
    if signed is not None:
        raise DraftAlreadySigned(signed)
    with transaction.atomic():
        draft = Draft.objects.select_for_update().filter(key=key).first()
        if draft is None:
            try:
                with transaction.atomic():
                    return Draft.objects.create(
                        key=key, participant=participant, author=by, saved_from=tab, **fields
                    )
            except IntegrityError:
                # Two saves of a new draft at once: the other one created it.
                draft = Draft.objects.select_for_update().get(key=key)
        if draft.author_id != by.pk or draft.participant_id != participant.pk:
            raise Draft.DoesNotExist
        stale = revision is not None and revision != draft.revision
        if stale and tab != draft.saved_from and not overwrite:
            raise DraftConflict(draft)
        for name, value in fields.items():
            setattr(draft, name, value)
        draft.revision += 1
        draft.saved_from = tab
        draft.saved_at = timezone.now()
        draft.save()
    return draft


def _is_late(participant: Participant, occurred_at: datetime.datetime, signed_at: Any) -> bool:
    days = UnitJournalRules.late_after(participant.unit)
    written = timezone.localdate(signed_at)
    return (written - timezone.localdate(occurred_at)).days > days


def entry_sign(
    *, participant: Participant, key: uuid.UUID, by: User, fields: dict[str, Any]
) -> tuple[Entry, bool]:
    """Sign the entry under `key` (from the draft, if any) and drop the draft; signing the
    same key again returns the entry already signed. Returns (entry, created)."""
    existing = Entry.objects.filter(key=key).first()
    if existing is not None:
        return existing, False
    now = timezone.now()
    try:
        with transaction.atomic():
            draft = Draft.objects.select_for_update().filter(key=key).first()
            if draft is not None and (
                draft.author_id != by.pk or draft.participant_id != participant.pk
            ):
                raise Draft.DoesNotExist
            entry = Entry.objects.create(
                key=key,
                participant=participant,
                author=by,
                author_role=by.role,
                signed_at=now,
                late=_is_late(participant, fields["occurred_at"], now),
                **fields,
            )
            if draft is not None:
                Draft.objects.filter(pk=draft.pk).delete()
    except IntegrityError:
        # A double submit signed it a moment ago.
        return Entry.objects.get(key=key), False
    return entry, True


def draft_discard(*, draft: Draft) -> None:
    Draft.objects.filter(pk=draft.pk).delete()


@dataclass
class GroupEntryInput:
    participant: Participant
    key: uuid.UUID
    text: str


def session_document(
    *, attendees: Sequence[GroupEntryInput], by: User, fields: dict[str, Any]
) -> list[Entry]:
    """One entry per attendee, each in that person's own journal, all or none."""
    with transaction.atomic():
        return [
            entry_sign(
                participant=item.participant,
                key=item.key,
                by=by,
                fields={**fields, "text": item.text},
            )[0]
            for item in attendees
        ]


def entry_correct(*, entry: Entry, text: str, reason: str, by: User) -> EntryCorrection:
    return entry.correct(text=text, reason=reason, by=by)


def entry_note(*, entry: Entry, text: str, by: User) -> EntryNote:
    return entry.note_persons_view(text=text, by=by)


JOURNAL_TRIGGERS = (
    "journal.Entry:signed_entry_never_changes",
    "journal.EntryCorrection:correction_never_changes",
    "journal.EntryNote:note_never_changes",
)


def journal_erase(*, participant: Participant, by: User, reason: str) -> int:
    """Retention (L3): the one path that deletes a person's whole journal. The database
    triggers are set aside for this transaction only; every row deleted is in the audit log,
    and the erasure itself with who and why on the person."""
    entries = Entry.objects.filter(participant=participant)
    with transaction.atomic(), set_actor(by), pgtrigger.ignore(*JOURNAL_TRIGGERS):
        count = entries.count()
        # The models refuse deletes; these calls are the deliberate exception.
        models.QuerySet.delete(EntryNote.objects.filter(entry__participant=participant))
        models.QuerySet.delete(EntryCorrection.objects.filter(entry__participant=participant))
        models.QuerySet.delete(entries)
        Draft.objects.filter(participant=participant).delete()
        LogEntry.objects.log_create(
            participant,
            force_log=True,
            action=LogEntry.Action.UPDATE,
            changes={"journal": [f"{count} entries", "erased"]},
            additional_data={"journal_erased": count, "reason": reason},
        )
    return count
