"""Writing the record log (L2): list pages log every person they showed in one bulk
insert; every audit-log entry about a person's record (a read or a change) adds a row."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from auditlog.models import LogEntry
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from lotsen.access import user_of
from participants.models import Participant, RecordEvent, RecordEventKind


def _page(request: HttpRequest) -> str:
    match = request.resolver_match
    return match.view_name if match else request.path[:100]


def log_shown(request: HttpRequest, people: Iterable[Participant]) -> None:
    """One bulk insert for the people a list page showed (each once)."""
    log_shown_ids(request, ((p.pk, p.unit_id) for p in people))


def log_shown_ids(request: HttpRequest, people: Iterable[tuple[int, int]]) -> None:
    """The same for (participant id, unit id) pairs, for lists built without the rows."""
    seen: dict[int, int] = dict(people)
    if not seen:
        return
    user, page = user_of(request), _page(request)
    if connection.vendor == "postgresql":
        _insert_listed(user.pk, page, seen)
        return
    RecordEvent.objects.bulk_create(
        RecordEvent(
            user=user, unit_id=unit, kind=RecordEventKind.LISTED, page=page, participant_id=pk
        )
        for pk, unit in seen.items()
    )


def _insert_listed(user_id: int, page: str, seen: dict[int, int]) -> None:
    """bulk_create's rows as one statement on PostgreSQL: without its transaction (two more
    round trips) and a model instance per row, which cost a list page more than its query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO participants_recordevent"
            " (at, user_id, unit_id, kind, page, participant_id)"
            " SELECT %s, %s, unit, %s, %s, person"
            " FROM unnest(%s::bigint[], %s::bigint[]) AS shown(person, unit)",
            [
                timezone.now(),
                user_id,
                RecordEventKind.LISTED.value,
                page,
                list(seen),
                list(seen.values()),
            ],
        )


def log_event(
    request: HttpRequest, *, kind: str, participant: Participant | None = None, page: str = ""
) -> RecordEvent:
    """A single event: a register extract, or the manager reading or exporting the log."""
    user = user_of(request)
    return RecordEvent.objects.create(
        user=user,
        unit_id=participant.unit_id if participant else None,
        kind=kind,
        page=page or _page(request),
        participant_id=participant.pk if participant else None,
    )


def _person_of(instance: Any, depth: int = 0) -> Participant | None:
    """The person a record belongs to, following participant, place, plan, entry …"""
    if isinstance(instance, Participant):
        return instance
    if depth > 3 or instance is None:
        return None
    related = ("participant", "enrolment", "place", "plan", "entry", "follow_up", "case")
    for name in (*related, "membership", "referral", "measurement"):
        if hasattr(instance, f"{name}_id") and getattr(instance, f"{name}_id", None):
            return _person_of(getattr(instance, name), depth + 1)
    return None


def record_audit_entry(
    sender: type, instance: Any, action: int, log_entry: LogEntry | None = None, **kwargs: Any
) -> None:
    """post_log receiver: an audit-log entry about a person's record becomes a log row."""
    if log_entry is None:
        return
    person = _person_of(instance)
    if person is None:
        return
    RecordEvent.objects.create(
        user_id=log_entry.actor_id,
        unit_id=person.unit_id,
        kind=AUDIT_KINDS.get(action, RecordEventKind.CHANGED),
        page=_audit_page(instance, log_entry),
        participant_id=person.pk,
    )


AUDIT_KINDS = {
    LogEntry.Action.ACCESS: RecordEventKind.READ,
    LogEntry.Action.CREATE: RecordEventKind.CREATED,
}


def _audit_page(instance: Any, log_entry: LogEntry) -> str:
    """The record's model, or for a read of the journal the journal's view (`journal:pdf`),
    so that a journal read is told apart from opening the person's page."""
    extra = log_entry.additional_data
    view = extra.get("journal") if isinstance(extra, dict) else None
    return f"journal:{view}"[:100] if view else instance._meta.label
