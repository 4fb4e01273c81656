"""Journals, fetched only for people the user may see (L2, L4); every read is logged."""

from __future__ import annotations

import uuid

from auditlog.models import LogEntry
from auditlog.signals import accessed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from journal.models import Draft, Entry
from lotsen.access import user_of
from participants.access import get_participant_for_user
from participants.models import Participant
from participants.record_log import record_audit_entry


def log_journal_read(participant: Participant, what: str) -> None:
    """A read of the person's journal, apart from their page, so that "who read X's journal"
    has an answer (L2). `what` says which view: list, entry, pdf, session.

    Written straight to the audit log, which sends no post_log signal: the record log's
    row is added here, named after the journal's view rather than the person's record."""
    log_entry = LogEntry.objects.log_create(
        participant,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        additional_data={"journal": what},
    )
    record_audit_entry(Participant, participant, LogEntry.Action.ACCESS, log_entry=log_entry)


def get_journal_for_user(request: HttpRequest, pk: int, what: str = "list") -> Participant:
    participant = get_participant_for_user(request, pk)
    log_journal_read(participant, what)
    return participant


def get_participant_for_autosave(request: HttpRequest, pk: int) -> Participant:
    """The same scope, without a read in the log: a save every few seconds while typing
    reads nothing, and would bury the real reads (L2)."""
    return get_object_or_404(Participant.objects.visible_to(user_of(request)), pk=pk)


def get_entry_for_user(request: HttpRequest, pk: int) -> Entry:
    visible = Participant.objects.visible_to(user_of(request))
    queryset = Entry.objects.filter(participant__in=visible).select_related(
        "participant__unit", "kind", "author", "place__programme", "plan", "session__activity"
    )
    entry = get_object_or_404(queryset, pk=pk)
    accessed.send(sender=Participant, instance=entry.participant)
    accessed.send(sender=Entry, instance=entry)
    log_journal_read(entry.participant, "entry")
    return entry


def get_own_draft(participant: Participant, request: HttpRequest, key: uuid.UUID) -> Draft:
    """A draft is seen by its author only."""
    queryset = Draft.objects.filter(participant=participant, author=user_of(request))
    return get_object_or_404(queryset, key=key)
