"""Workflows of IPS case work: open a case on a place, move it step by step, end it with its
outcome (which ends the place, R11), record employer contacts and job starts (R21)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from employment.models import (
    KINDS_OF_OUTCOME,
    OUTCOME_OF_KIND,
    PLACE_OUTCOME,
    TRANSITIONS,
    Case,
    CaseOutcome,
    CaseStep,
    Employer,
    EmployerContact,
    EmploymentProgramme,
    EmploymentSpecialist,
    FteShare,
    JobKind,
    JobStart,
    Step,
)
from participants.models import Enrolment
from participants.services import enrolment_end

if TYPE_CHECKING:
    from lotsen.models import User


# Recording a job start is the step itself: a case still before it moves to "started".
BEFORE_STARTED = {Step.INTAKE, Step.PROFILE, Step.JOB_SEARCH}


def specialist_add(
    *,
    programme: EmploymentProgramme,
    user: User,
    shares: list[tuple[datetime.date, Decimal]],
) -> EmploymentSpecialist:
    """A specialist with their FTE shares over time, each (valid from, share) (R21)."""
    specialist = EmploymentSpecialist.objects.create(programme=programme, user=user)
    FteShare.objects.bulk_create(
        FteShare(specialist=specialist, valid_from=on, fte=fte) for on, fte in shares
    )
    return specialist


class CaseConflict(Exception):
    """Someone else changed the case since the page was loaded."""


def _check_date(
    on: datetime.date,
    *,
    earliest: datetime.date,
    today: datetime.date,
    field: str = "on",
    place_start: bool = False,
) -> None:
    """Not before `earliest` (the previous step, or for the intake the place's start), and
    not in the future."""
    if on < earliest:
        message = (
            _("Datumet ligger före platsens start (%(date)s). Välj %(date)s eller senare.")
            if place_start
            else _("Datumet ligger före föregående steg (%(date)s). Välj %(date)s eller senare.")
        )
        raise ValidationError({field: message % {"date": earliest.isoformat()}})
    if on > today:
        raise ValidationError(
            {field: _("Datumet ligger i framtiden. Välj dagens datum eller tidigare.")}
        )


def is_specialist(programme: EmploymentProgramme, user: User) -> bool:
    return programme.specialists.filter(user=user, active=True).exists()


def case_open(
    *,
    enrolment: Enrolment,
    specialist: User,
    intake_on: datetime.date,
    by: User,
    today: datetime.date,
) -> Case:
    """Intake: the place becomes an IPS case with one specialist (R21)."""
    programme = EmploymentProgramme.objects.filter(programme_id=enrolment.programme_id).first()
    if programme is None:
        raise ValidationError(_("Platsen är inte i ett program som arbetar med IPS."))
    if not is_specialist(programme, specialist):
        raise ValidationError({"specialist": _("Välj en aktiv arbetsspecialist i programmet.")})
    if enrolment.is_ended:
        raise ValidationError(_("Platsen är avslutad. Ge personen en ny plats först."))
    _check_date(
        intake_on, earliest=enrolment.start_date, today=today, field="intake_on", place_start=True
    )
    try:
        with transaction.atomic():
            case = Case.objects.create(
                enrolment=enrolment,
                programme=programme,
                specialist=specialist,
                intake_on=intake_on,
                created_by=by,
            )
            CaseStep.objects.create(case=case, to_step=Step.INTAKE, on=intake_on, by=by)
    except IntegrityError:
        raise ValidationError(_("Platsen har redan ett ärende.")) from None
    return case


def _locked(case: Case, revision: int | None) -> Case:
    current = Case.objects.select_for_update().select_related("enrolment").get(pk=case.pk)
    if revision is not None and current.revision != revision:
        raise CaseConflict
    return current


def _check_step(case: Case, to: str, on: datetime.date, today: datetime.date) -> None:
    if to not in TRANSITIONS[case.step]:
        raise ValidationError(
            _("Ärendet är i steget %(now)s och kan inte gå till %(to)s. Välj ett av stegen.")
            % {"now": Step(case.step).label, "to": Step(to).label}
        )
    last = case.steps.order_by("-on").values_list("on", flat=True).first()
    _check_date(on, earliest=max(case.intake_on, last or case.intake_on), today=today)


def _record(case: Case, to: str, *, on: datetime.date, note: str, by: User) -> Case:
    from_step = case.step
    case.step = to
    case.revision += 1
    case.save(update_fields=["step", "outcome", "ended_on", "revision"])
    CaseStep.objects.create(case=case, from_step=from_step, to_step=to, on=on, note=note, by=by)
    return case


def case_move(
    *,
    case: Case,
    to: str,
    on: datetime.date,
    by: User,
    revision: int | None,
    today: datetime.date,
    note: str = "",
) -> Case:
    """One step on the IPS path; ending goes through `case_end`."""
    if to == Step.ENDED:
        raise ValidationError(_("Ett ärende avslutas med sitt utfall."))
    with transaction.atomic():
        current = _locked(case, revision)
        _check_step(current, to, on, today)
        return _record(current, to, on=on, note=note, by=by)


def case_end(
    *,
    case: Case,
    outcome: str,
    on: datetime.date,
    by: User,
    revision: int | None,
    today: datetime.date,
    note: str = "",
) -> Case:
    """R11: end the case with what it led to; the place ends with the same outcome."""
    if outcome not in CaseOutcome.values:
        raise ValidationError({"outcome": _("Välj vad ärendet ledde till.")})
    if outcome == CaseOutcome.NONE and not note.strip():
        raise ValidationError(
            {"note": _("Skriv varför ärendet avslutas utan arbete eller studier.")}
        )
    with transaction.atomic():
        current = _locked(case, revision)
        _check_step(current, Step.ENDED, on, today)
        _check_outcome_matches_starts(current, CaseOutcome(outcome), on)
        current.outcome, current.ended_on = outcome, on
        enrolment_end(
            enrolment=current.enrolment,
            on=on,
            outcome=PLACE_OUTCOME[CaseOutcome(outcome)],
            note=note,
            by=by,
        )
        return _record(current, Step.ENDED, on=on, note=note, by=by)


def _check_outcome_matches_starts(case: Case, outcome: CaseOutcome, on: datetime.date) -> None:
    """R11: work, studies or an internship as the outcome needs such a start by the end
    date, and a start of another kind that still goes on must be ended first."""
    kinds = KINDS_OF_OUTCOME[outcome]
    starts = [job for job in case.job_starts.select_related("employer") if job.start_date <= on]
    problems = []
    if kinds and not any(job.kind in kinds for job in starts):
        problems.append(
            _(
                "Utfallet %(outcome)s kräver en registrerad start av det slaget. Registrera "
                "starten först, eller välj det utfall ärendet ledde till."
            )
            % {"outcome": outcome.label}
        )
    problems += [
        _(
            "%(start)s från %(date)s pågår fortfarande. Registrera när den slutade, "
            "eller välj utfallet %(outcome)s."
        )
        % {
            "start": _start_name(job),
            "date": job.start_date.isoformat(),
            "outcome": CaseOutcome(OUTCOME_OF_KIND[JobKind(job.kind)]).label,
        }
        for job in starts
        if job.goes_on_after(on) and job.kind not in kinds
    ]
    if problems:
        raise ValidationError({"outcome": problems})


def _start_name(job: JobStart) -> str:
    kind = JobKind(job.kind).label
    if job.employer is None:
        return kind.capitalize()
    return _("%(kind)s hos %(employer)s") % {"kind": kind.capitalize(), "employer": job.employer}


def case_reassign(*, case: Case, specialist: User, by: User, revision: int | None) -> Case:
    """Give the case to another specialist of the programme; the audit log keeps who and when."""
    with transaction.atomic():
        current = _locked(case, revision)
        if current.is_ended:
            raise ValidationError(_("Ärendet är avslutat."))
        if not is_specialist(current.programme, specialist):
            raise ValidationError({"specialist": _("Välj en aktiv arbetsspecialist i programmet.")})
        current.specialist = specialist
        current.revision += 1
        current.save(update_fields=["specialist", "revision"])
    return current


def employer_create(*, unit: Any, by: User, **fields: Any) -> Employer:
    if Employer.objects.filter(unit=unit, name__iexact=fields.get("name", "").strip()).exists():
        raise ValidationError({"name": _("Arbetsgivaren finns redan i registret.")})
    try:
        with transaction.atomic():
            return Employer.objects.create(unit=unit, created_by=by, **fields)
    except IntegrityError:
        raise ValidationError({"name": _("Arbetsgivaren finns redan i registret.")}) from None


def contact_record(
    *,
    employer: Employer,
    on: datetime.date,
    kind: str,
    by: User,
    today: datetime.date,
    case: Case | None = None,
    note: str = "",
    submission_key: str | None = None,
) -> tuple[EmployerContact, bool]:
    """An employer contact; a double submit returns the first. Returns (contact, created)."""
    errors: dict[str, str] = {}
    if on > today:
        errors["on"] = _("Datumet ligger i framtiden. Registrera kontakten när den är tagen.")
    if case is not None:
        if case.enrolment.programme.unit_id != employer.unit_id:
            errors["case"] = _("Välj ett ärende vid arbetsgivarens enhet.")
        elif on < case.intake_on:
            errors["on"] = _("Datumet ligger före inskrivningen (%(date)s).") % {
                "date": case.intake_on.isoformat()
            }
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            contact = EmployerContact.objects.create(
                employer=employer,
                on=on,
                kind=kind,
                by=by,
                case=case,
                note=note,
                submission_key=submission_key or None,
            )
    except IntegrityError:
        if not submission_key:
            raise
        return EmployerContact.objects.get(submission_key=submission_key), False
    return contact, True


def job_start_record(
    *,
    case: Case,
    kind: str,
    start_date: datetime.date,
    by: User,
    today: datetime.date,
    revision: int | None,
    employer: Employer | None = None,
    hours_per_week: Decimal | None = None,
    end_date: datetime.date | None = None,
    submission_key: str | None = None,
) -> JobStart:
    """A job, studies or internship started; a case in an earlier step moves to "started".
    A double submit (the same `submission_key`) returns the start the first one saved."""
    errors: dict[str, str] = {}
    if start_date < case.intake_on:
        errors["start_date"] = _("Startdatumet ligger före inskrivningen (%(date)s).") % {
            "date": case.intake_on.isoformat()
        }
    if end_date is not None and end_date < start_date:
        errors["end_date"] = _("Slutdatumet ligger före startdatumet. Rätta datumen.")
    if employer is not None and employer.unit_id != case.enrolment.programme.unit_id:
        errors["employer"] = _("Välj en arbetsgivare i enhetens register.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # The lock first: a second click waits for the first to commit, then finds its start
        # here rather than a revision that moved on.
        current = _locked(case, None)
        if submission_key:
            saved = JobStart.objects.filter(case=current, submission_key=submission_key).first()
            if saved is not None:
                return saved
        if revision is not None and current.revision != revision:
            raise CaseConflict
        if current.is_ended:
            raise ValidationError(_("Ärendet är avslutat."))
        job = JobStart.objects.create(
            submission_key=submission_key or None,
            case=current,
            employer=employer,
            kind=kind,
            start_date=start_date,
            hours_per_week=hours_per_week,
            end_date=end_date,
            created_by=by,
        )
        if current.step in BEFORE_STARTED:
            last = current.steps.order_by("-on").values_list("on", flat=True).first()
            on = max(min(start_date, today), last or current.intake_on)
            _record(current, Step.STARTED, on=on, note="", by=by)
        else:
            current.revision += 1
            current.save(update_fields=["revision"])
    return job


def job_end(*, job: JobStart, end_date: datetime.date, reason: str, by: User) -> JobStart:
    """Record that a job or studies ended."""
    with transaction.atomic():
        current = JobStart.objects.select_for_update().get(pk=job.pk)
        if current.end_date is not None:
            raise ValidationError(_("Anställningen är redan avslutad."))
        if end_date < current.start_date:
            raise ValidationError(
                {"end_date": _("Slutdatumet ligger före startdatumet. Rätta datumen.")}
            )
        current.end_date, current.end_reason, current.ended_by = end_date, reason, by
        current.save(update_fields=["end_date", "end_reason", "ended_by"])
    return current
