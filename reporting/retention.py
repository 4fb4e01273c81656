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
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import DateField, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone

from activities.models import AttendanceCorrection
from employment.models import CaseStep, EmployerContact
from journal.models import Draft, Entry, EntryCorrection, EntryNote
from lotsen.history import retention_erasing
from lotsen.models import Unit, User
from participants.identity import parse_identity
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
from referrals.models import OutreachActivity, Referral, ReferralStep
from reporting.extract import record_parts
from reporting.models import RetentionItem, RetentionRun
from treatment.models import (
    CourseParticipant,
    IndividualSession,
    Measurement,
    MeasurementCorrection,
)

LONG_AGO = datetime.date(1900, 1, 1)
ERASED = "Gallrad"  # an erased person's name from then on, also in the audit log


def _latest(
    queryset: models.QuerySet,  # type: ignore[type-arg]
    field: str,
    person: str = "participant",
) -> Coalesce:
    newest = queryset.filter(**{person: OuterRef("pk")}).order_by(f"-{field}").values(field)
    return Coalesce(Subquery(newest[:1]), Value(LONG_AGO), output_field=DateField())


def with_last_entry(people: models.QuerySet[Participant]) -> models.QuerySet[Participant]:
    """Each person's last entry in any part of the record: registration, visit, journal
    entry, place, referral, plan and follow-up, course, measurement, individual session, and
    an IPS case's steps and employer contacts."""
    entries = Entry.objects.annotate(day=TruncDate("occurred_at"))
    case = "case__enrolment__participant"
    return people.annotate(
        last_entry=Greatest(
            Coalesce(TruncDate("created_at"), Value(LONG_AGO), output_field=DateField()),
            _latest(Visit.objects.all(), "date"),
            _latest(entries, "day"),
            _latest(Enrolment.objects.all(), "start_date"),
            _latest(Enrolment.objects.filter(end_date__isnull=False), "end_date"),
            _latest(Referral.objects.all(), "received_on"),
            _latest(Plan.objects.all(), "established_on", "enrolment__participant"),
            _latest(FollowUp.objects.all(), "date", "plan__enrolment__participant"),
            _latest(CourseParticipant.objects.all(), "joined_on"),
            _latest(CourseParticipant.objects.filter(left_on__isnull=False), "left_on"),
            _latest(Measurement.objects.all(), "measured_on", "membership__participant"),
            _latest(IndividualSession.objects.all(), "date"),
            _latest(CaseStep.objects.all(), "on", case),
            _latest(EmployerContact.objects.all(), "on", case),
            output_field=DateField(),
        )
    )


def _due_people(
    people: models.QuerySet[Participant], cutoff: datetime.date
) -> models.QuerySet[Participant]:
    """Those whose last entry is before the cutoff, not born on a research day, and with no
    place still running without an end date (someone still enrolled is not erased)."""
    running = Enrolment.objects.filter(
        participant=OuterRef("pk"), outcome="", end_date__isnull=True
    )
    return (
        with_last_entry(people)
        .filter(last_entry__lt=cutoff)  # type: ignore[misc]
        .exclude(birth_date__day__in=settings.RETENTION_EXEMPT_BIRTH_DAYS)
        .exclude(Exists(running))
    )


def referrals_with_last_entry(referrals: models.QuerySet[Referral]) -> models.QuerySet[Referral]:
    """Each referral's last entry: received, typed in, or its latest step."""
    newest = ReferralStep.objects.filter(referral=OuterRef("pk")).order_by("-on").values("on")
    return referrals.annotate(
        last_entry=Greatest(
            "received_on",
            Coalesce(TruncDate("created_at"), Value(LONG_AGO), output_field=DateField()),
            Coalesce(Subquery(newest[:1]), Value(LONG_AGO), output_field=DateField()),
            output_field=DateField(),
        )
    )


def _kept_for_research(identity_number: str, today: datetime.date) -> bool:
    """SoF 7 kap.: born on an exempt day. A referral without a valid number cannot be known
    to be, so it is proposed: the manager sees the name and may leave it."""
    try:
        born = parse_identity(identity_number, today=today).birth_date
    except ValidationError:
        return False
    return born.day in settings.RETENTION_EXEMPT_BIRTH_DAYS


def _erasable_alone(referrals: models.QuerySet[Referral]) -> models.QuerySet[Referral]:
    """Those never linked to a person, not erased, and not carrying the number of someone
    registered at their unit, with their last entry."""
    registered = Participant.objects.filter(
        unit=OuterRef("unit"), identity_number=OuterRef("identity_number")
    )
    return referrals_with_last_entry(
        referrals.filter(participant__isnull=True, erased_on__isnull=True)
    ).exclude(~Q(identity_number="") & Exists(registered))


def referrals_due(*, unit: Unit, cutoff: datetime.date, today: datetime.date) -> list[Referral]:
    """Referrals never linked to a person whose last entry is before the cutoff (L3).

    L3 and the seeds say nothing of such referrals; they are documentation about a person
    (a web form, a call from the psychiatric clinic), so the person's five years from the
    last entry apply, whatever the status, as the law counts from the last entry (the page
    shows the status, so a manager can leave one still in hand). One whose number is that
    of someone still registered at the unit belongs to that person's record and is erased
    with it (record_erase)."""
    candidates = _erasable_alone(Referral.objects.filter(unit=unit)).filter(
        last_entry__lt=cutoff  # type: ignore[misc]
    )
    return [r for r in candidates if not _kept_for_research(r.identity_number, today)]


def retention_propose(*, unit: Unit, today: datetime.date) -> RetentionRun:
    """The year's proposal for a unit; safe to run twice (one run per unit and year)."""
    cutoff = today - relativedelta(years=settings.RETENTION_YEARS)
    erased = RetentionItem.objects.filter(
        erased_at__isnull=False, participant_id__isnull=False
    ).values("participant_id")
    due = _due_people(Participant.objects.filter(unit=unit).exclude(pk__in=erased), cutoff)
    with transaction.atomic():
        run, _created = RetentionRun.objects.get_or_create(
            unit=unit, year=today.year, defaults={"cutoff": cutoff}
        )
        people = [
            RetentionItem(run=run, participant_id=p.pk, last_entry=p.last_entry)  # type: ignore[attr-defined]
            for p in due
        ]
        referrals = [
            RetentionItem(run=run, referral_id=r.pk, last_entry=r.last_entry)  # type: ignore[attr-defined]
            for r in referrals_due(unit=unit, cutoff=cutoff, today=today)
        ]
        RetentionItem.objects.bulk_create(people + referrals, ignore_conflicts=True)
    return run


def retention_approve(*, run: RetentionRun, items: Iterable[RetentionItem], by: User) -> int:
    """The manager's approval of the chosen items: each record is erased, and the item
    keeps who approved it and when."""
    count = 0
    for item in items:
        if item.erased_at is not None or item.run_id != run.pk:
            continue
        with transaction.atomic():
            if not _erase_item(item, run=run, by=by):
                continue
            item.approved_by, item.erased_at = by, timezone.now()
            item.save(update_fields=["approved_by", "erased_at"])
        count += 1
    return count


def referral_items_still_due(items: Iterable[RetentionItem]) -> set[int]:
    """The referral ids of these items that their run's rule still finds due today, in one
    query. One linked to a person since the proposal (or carrying the number of someone
    registered since) now goes with that person's record, and one with a later entry is not
    due: neither is offered on the page, shown to confirm or erased alone."""
    runs = {i.referral_id: i.run for i in items if i.referral_id and i.erased_at is None}
    if not runs:
        return set()
    today = timezone.localdate()
    return {
        r.pk
        for r in _erasable_alone(Referral.objects.filter(pk__in=list(runs)))
        if r.unit_id == runs[r.pk].unit_id
        and r.last_entry < runs[r.pk].cutoff  # type: ignore[attr-defined]
        and not _kept_for_research(r.identity_number, today)
    }


def people_items_still_due(items: Iterable[RetentionItem]) -> set[int]:
    """The participant ids of these items whose last entry is still before their run's
    cutoff, in one query. Someone who came back since the proposal (any new entry, a place
    still running) is not due: not offered, shown to confirm or erased."""
    runs = {i.participant_id: i.run for i in items if i.participant_id and i.erased_at is None}
    if not runs:
        return set()
    # The latest cutoff first; each run's own is applied below.
    latest = max(run.cutoff for run in runs.values())
    people = _due_people(Participant.objects.filter(pk__in=list(runs)), latest)
    return {
        p.pk
        for p in people
        if p.unit_id == runs[p.pk].unit_id and p.last_entry < runs[p.pk].cutoff  # type: ignore[attr-defined]
    }


def items_still_due(items: Iterable[RetentionItem]) -> set[int]:
    """The ids of the items not yet erased that their run's rule still finds due today:
    two queries at most, whatever the number of items."""
    pending = [i for i in items if i.erased_at is None]
    referrals = referral_items_still_due(pending)
    people = people_items_still_due(pending)
    return {
        i.pk
        for i in pending
        if (i.referral_id in referrals if i.referral_id else i.participant_id in people)
    }


def _erase_item(item: RetentionItem, *, run: RetentionRun, by: User) -> bool:
    if item.referral_id is not None:
        # Locked first: linking the referral to a person locks it too (referrals.services).
        referral = Referral.objects.select_for_update().filter(pk=item.referral_id).first()
        if referral is None or item.referral_id not in referral_items_still_due([item]):
            return False
        referral_erase(referral=referral, by=by)
        return True
    participant = (
        Participant.objects.select_for_update()
        .filter(pk=item.participant_id or 0, unit=run.unit)
        .first()
    )
    if participant is None or participant.pk not in people_items_still_due([item]):
        return False
    record_erase(participant=participant, by=by)
    return True


def _forget_audit_rows(parts: Iterable[tuple[type[models.Model], Q]]) -> None:
    """Delete the audit log's rows about these rows: they hold the old values (names,
    numbers, texts) and a description that names the person. Inside retention_erasing."""
    for model, where in parts:
        ids = [str(pk) for pk in model._default_manager.filter(where).values_list("pk", flat=True)]
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_pk__in=ids
        ).delete()


def _names_in_history(p: Participant) -> set[str]:
    """The person's full name now and every one their record's audit rows show."""
    firsts, lasts = {p.first_name}, {p.last_name}
    rows = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Participant), object_pk=str(p.pk)
    )
    for changes in rows.values_list("changes", flat=True):
        if isinstance(changes, dict):
            firsts.update(str(v) for v in changes.get("first_name", []) if v)
            lasts.update(str(v) for v in changes.get("last_name", []) if v)
    return {f"{first} {last}" for first in firsts for last in lasts}


def _outreach_forget(p: Participant, names: set[str]) -> None:
    """Remove the person's links to outreach activities, and their name from the activities'
    audit rows that recorded the link (the activity and its count stay: R4's figures)."""
    activities = list(p.outreach_activities.values_list("pk", flat=True))  # type: ignore[attr-defined]
    p.outreach_activities.clear()  # type: ignore[attr-defined]
    rows = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(OutreachActivity),
        object_pk__in=[str(pk) for pk in activities],
    )
    for row in rows:
        changes = row.changes if isinstance(row.changes, dict) else {}
        linked = changes.get("participants")
        if isinstance(linked, dict) and set(linked.get("objects", [])) & names:
            linked["objects"] = [ERASED if o in names else o for o in linked["objects"]]
            LogEntry.objects.filter(pk=row.pk).update(changes=changes)


def _blank_referrals(referrals: models.QuerySet[Referral]) -> None:
    """What a referral says about the person and the one who referred; dates, status,
    initiator and organisation stay for the waiting-time and initiator figures (R2, R22)."""
    referrals.update(
        first_name="",
        last_name="",
        identity_number="",
        contact="",
        referrer_contact="",
        interest="",
        consent="",
        decline_reason="",
    )
    ReferralStep.objects.filter(referral__in=referrals).update(note="")


def referral_erase(*, referral: Referral, by: User) -> None:
    """A referral never linked to a person, erased under retention (L3): its texts and the
    audit rows holding them go; the anonymous row stays so that the figures stay."""
    with transaction.atomic(), retention_erasing(), disable_auditlog():
        _forget_audit_rows([(Referral, Q(pk=referral.pk)), (ReferralStep, Q(referral=referral))])
        _blank_referrals(Referral.objects.filter(pk=referral.pk))
        Referral.objects.filter(pk=referral.pk).close_erased(on=timezone.localdate(), by=by)
    referral.refresh_from_db()
    _log_erased(referral, by=by)


def _log_erased(record: models.Model, *, by: User) -> None:
    LogEntry.objects.log_create(
        record,
        force_log=True,
        action=LogEntry.Action.DELETE,
        changes={"record": ["kept", "erased under retention"]},
        additional_data={"retention_approved_by": by.pk},
    )


def _person_parts(p: Participant) -> list[tuple[type[models.Model], Q]]:
    """Every table of the person's record (the person's copy's list), but not the outreach
    activities the person was reached by: their audit rows are about everyone reached and
    only lose the person's name (_outreach_forget)."""
    return [(model, where) for model, where in record_parts(p) if model is not OutreachActivity]


def record_erase(*, participant: Participant, by: User) -> None:
    """Delete what identifies the person and every free text about them; keep the dated
    rows the reports count (visits, places, plans' dates, referrals' dates), now anonymous.
    The one path through the history triggers (lotsen.history.retention_erasing)."""
    p = participant
    with transaction.atomic(), retention_erasing(), disable_auditlog():
        names = _names_in_history(p)
        # The audit log's rows about every part of the record hold its old values and name
        # the person in their description (a visit is "name date"): they go too.
        _forget_audit_rows(_person_parts(p))
        _outreach_forget(p, names)
        # Referrals about the person never linked to the record (the same number at the
        # unit) were kept out of the proposal as part of it: they go with it now.
        if p.identity_number:
            unlinked = Referral.objects.filter(
                pk__in=list(
                    Referral.objects.filter(
                        unit=p.unit, participant__isnull=True, identity_number=p.identity_number
                    ).values_list("pk", flat=True)
                )
            )
            _forget_audit_rows(
                [(Referral, Q(pk__in=unlinked)), (ReferralStep, Q(referral__in=unlinked))]
            )
            _blank_referrals(unlinked)
            unlinked.close_erased(on=timezone.localdate(), by=by)
        erased: list[tuple[type[models.Model], dict[str, object]]] = [
            (EntryNote, {"entry__participant": p}),
            (EntryCorrection, {"entry__participant": p}),
            (Entry, {"participant": p}),
            (Draft, {"participant": p}),
            (GoalProgress, {"follow_up__plan__enrolment__participant": p}),
            (PlanVersion, {"plan__enrolment__participant": p}),
            (PlanActivity, {"plan__enrolment__participant": p}),
            (AttendanceCorrection, {"participant": p}),
            # The old values and the reason: the measurement keeps its (now anonymous) values.
            (MeasurementCorrection, {"measurement__membership__participant": p}),
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
        _blank_referrals(Referral.objects.filter(participant=p))
        Referral.objects.filter(participant=p).close_erased(on=timezone.localdate(), by=by)
        CaseStep.objects.filter(case__enrolment__participant=p).update(note="")
        EmployerContact.objects.filter(case__enrolment__participant=p).update(note="")
        p.team.clear()
        Participant.objects.filter(pk=p.pk).update(
            identity_number=None,
            identity_kind=IdentityKind.RESERVE,
            birth_date=p.birth_date.replace(month=7, day=1),
            first_name=ERASED,
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
    _log_erased(p, by=by)
