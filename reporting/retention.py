"""Retention (gallring, L3; decision 0016): a yearly proposal of the records whose last
entry is more than RETENTION_YEARS old, approved by the unit manager; approval erases the
record through the one path the database triggers allow, and keeps anonymous rows so that
the reports of earlier years count the same."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import DateField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone

from activities.models import AttendanceCorrection
from employment.models import CaseStep
from journal.models import Draft, Entry, EntryCorrection, EntryNote
from lotsen.history import retention_erasing
from lotsen.models import Unit, User
from participants.models import (
    Assessment,
    Enrolment,
    IdentityKind,
    Participant,
    Relative,
    Visit,
    Workplace,
)
from plans.models import FollowUp, GoalProgress, Plan, PlanActivity, PlanVersion
from referrals.models import Referral, ReferralStep
from reporting.models import RetentionItem, RetentionRun

LONG_AGO = datetime.date(1900, 1, 1)


def _latest(queryset: models.QuerySet, field: str) -> Coalesce:  # type: ignore[type-arg]
    newest = queryset.filter(participant=OuterRef("pk")).order_by(f"-{field}").values(field)
    return Coalesce(Subquery(newest[:1]), Value(LONG_AGO), output_field=DateField())


def with_last_entry(people: models.QuerySet[Participant]) -> models.QuerySet[Participant]:
    """Each person's last entry: registration, visit, journal entry, place, referral."""
    entries = Entry.objects.annotate(day=TruncDate("occurred_at"))
    return people.annotate(
        last_entry=Greatest(
            Coalesce(TruncDate("created_at"), Value(LONG_AGO), output_field=DateField()),
            _latest(Visit.objects.all(), "date"),
            _latest(entries, "day"),
            _latest(Enrolment.objects.all(), "start_date"),
            _latest(Enrolment.objects.filter(end_date__isnull=False), "end_date"),
            _latest(Referral.objects.all(), "received_on"),
            output_field=DateField(),
        )
    )


def retention_propose(*, unit: Unit, today: datetime.date) -> RetentionRun:
    """The year's proposal for a unit; safe to run twice (one run per unit and year)."""
    cutoff = today - relativedelta(years=settings.RETENTION_YEARS)
    erased = RetentionItem.objects.filter(erased_at__isnull=False).values("participant_id")
    due = (
        with_last_entry(Participant.objects.filter(unit=unit).exclude(pk__in=erased))
        .filter(last_entry__lt=cutoff)  # type: ignore[misc]
        .exclude(birth_date__day__in=settings.RETENTION_EXEMPT_BIRTH_DAYS)
    )
    with transaction.atomic():
        run, _created = RetentionRun.objects.get_or_create(
            unit=unit, year=today.year, defaults={"cutoff": cutoff}
        )
        RetentionItem.objects.bulk_create(
            [
                RetentionItem(run=run, participant_id=p.pk, last_entry=p.last_entry)  # type: ignore[attr-defined]
                for p in due
            ],
            ignore_conflicts=True,
        )
    return run


def retention_approve(*, run: RetentionRun, items: Iterable[RetentionItem], by: User) -> int:
    """The manager's approval of the chosen items: each record is erased, and the item
    keeps who approved it and when."""
    count = 0
    for item in items:
        if item.erased_at is not None or item.run_id != run.pk:
            continue
        participant = Participant.objects.filter(pk=item.participant_id, unit=run.unit).first()
        if participant is None:
            continue
        with transaction.atomic():
            record_erase(participant=participant, by=by)
            item.approved_by, item.erased_at = by, timezone.now()
            item.save(update_fields=["approved_by", "erased_at"])
        count += 1
    return count


def record_erase(*, participant: Participant, by: User) -> None:
    """Delete what identifies the person and every free text about them; keep the dated
    rows the reports count (visits, places, plans' dates, referrals' dates), now anonymous.
    The one path through the history triggers (lotsen.history.retention_erasing)."""
    p = participant
    with transaction.atomic(), retention_erasing(), disable_auditlog():
        # The audit log's rows about the record hold its old values: they go too.
        logged: list[tuple[type[models.Model], dict[str, object]]] = [
            (Participant, {"pk": p.pk}),
            (Referral, {"participant": p}),
            (Entry, {"participant": p}),
            (EntryCorrection, {"entry__participant": p}),
            (EntryNote, {"entry__participant": p}),
            (Plan, {"enrolment__participant": p}),
            (PlanVersion, {"plan__enrolment__participant": p}),
            (FollowUp, {"plan__enrolment__participant": p}),
            (Relative, {"participant": p}),
            (Assessment, {"participant": p}),
            (Workplace, {"enrolment__participant": p}),
        ]
        for model, where in logged:
            pks = model._default_manager.filter(**where).values_list("pk", flat=True)
            ids = [str(pk) for pk in pks]
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model), object_pk__in=ids
            ).delete()
        erased: list[tuple[type[models.Model], dict[str, object]]] = [
            (EntryNote, {"entry__participant": p}),
            (EntryCorrection, {"entry__participant": p}),
            (Entry, {"participant": p}),
            (Draft, {"participant": p}),
            (GoalProgress, {"follow_up__plan__enrolment__participant": p}),
            (PlanVersion, {"plan__enrolment__participant": p}),
            (PlanActivity, {"plan__enrolment__participant": p}),
            (AttendanceCorrection, {"participant": p}),
            (Relative, {"participant": p}),
            (Workplace, {"enrolment__participant": p}),
        ]
        for model, where in erased:
            models.QuerySet.delete(model._default_manager.filter(**where))
        Plan.objects.filter(enrolment__participant=p).update(
            goals="", participation="", collaboration="", summary=""
        )
        FollowUp.objects.filter(plan__enrolment__participant=p).update(
            attendees="", progress="", next_steps=""
        )
        Enrolment.objects.filter(participant=p).update(outcome_note="")
        Assessment.objects.filter(participant=p).update(conclusions="")
        Referral.objects.filter(participant=p).update(
            first_name="", last_name="", identity_number="", contact="", interest="", consent=""
        )
        ReferralStep.objects.filter(referral__participant=p).update(note="")
        CaseStep.objects.filter(case__enrolment__participant=p).update(note="")
        p.team.clear()
        Participant.objects.filter(pk=p.pk).update(
            identity_number=None,
            identity_kind=IdentityKind.RESERVE,
            birth_date=p.birth_date.replace(month=7, day=1),
            first_name="Gallrad",
            last_name="",
            phone="",
            email="",
            address="",
            residency_exception_reason="",
            residency_exception_agreed_by="",
            protected_identity=False,
            erased_on=timezone.localdate(),
        )
    p.refresh_from_db()
    LogEntry.objects.log_create(
        p,
        force_log=True,
        action=LogEntry.Action.DELETE,
        changes={"record": ["kept", "erased under retention"]},
        additional_data={"retention_approved_by": by.pk},
    )
