"""Course workflows (R18): create a course with its sessions, join under the place rules,
leave with an outcome; individual and evening sessions (R16). Group sizes and lengths
come from the programme and its course type."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.attendance import check_open_for_change
from activities.models import ActivityKind
from activities.services import activity_create, member_add, member_remove
from lotsen.models import Programme
from participants.models import Enrolment, Outcome, Participant, Visit
from participants.services import enrolment_create, enrolment_end
from treatment.models import (
    Course,
    CourseOutcome,
    CourseParticipant,
    CourseType,
    IndividualSession,
)

if TYPE_CHECKING:
    from lotsen.models import User

# How a course outcome ends the person's place (R11's list of outcomes). Going on to
# extended treatment is completed treatment (COMPLETED_OUTCOMES), not another service.
PLACE_OUTCOME = {
    CourseOutcome.COMPLETED: Outcome.COMPLETED,
    CourseOutcome.ENDED_EARLY: Outcome.ENDED_EARLY,
    CourseOutcome.MOVED_TO_EXTENDED: Outcome.COMPLETED,
}


def course_end_date(course_type: CourseType, start: datetime.date) -> datetime.date:
    """The last day of a course of the type's length, inclusive."""
    return start + datetime.timedelta(weeks=course_type.weeks, days=-1)


def course_create(
    *,
    programme: Programme,
    name: str,
    start_date: datetime.date,
    weekdays: list[int],
    starts_at: datetime.time,
    ends_at: datetime.time,
    place: str,
    leaders: list[User],
    by: User,
) -> Course:
    """A course of the programme's length with its sessions (none on holidays, L8)."""
    course_type = CourseType.objects.filter(programme=programme).first()
    if course_type is None:
        raise ValidationError(
            {"programme": _("%(p)s körs inte som kurser.") % {"p": programme.name}}
        )
    end = course_end_date(course_type, start_date)
    with transaction.atomic():
        activity = activity_create(
            unit=programme.unit,
            leaders=leaders,
            weekdays=weekdays,
            by=by,
            programme=programme,
            kind=ActivityKind.GROUP_TREATMENT,
            title=name,
            place=place,
            first_date=start_date,
            last_date=end,
            starts_at=starts_at,
            ends_at=ends_at,
        )
        return Course.objects.create(
            programme=programme,
            activity=activity,
            name=name,
            start_date=start_date,
            end_date=end,
            created_by=by,
        )


def course_join(
    *, course: Course, participant: Participant, on: datetime.date, by: User
) -> tuple[CourseParticipant, bool]:
    """Put a person in a course on a place in its programme; a double submit joins once.

    A running place in the programme (e.g. from an accepted referral) is used; otherwise a
    place is given under the place rules (age, unit, overlapping places). A person is in one
    group at a time (R18): a move to the next group is a leave, then a join."""
    with transaction.atomic():
        course = (
            Course.objects.select_for_update(of=("self",))
            .select_related("programme__unit", "activity")
            .get(pk=course.pk)
        )
        # Two joins of the same person to two courses wait for each other here.
        Participant.objects.select_for_update().filter(pk=participant.pk).first()
        found = CourseParticipant.objects.filter(course=course, participant=participant).first()
        if found is not None:
            return found, False
        _check_join(course, on)
        _check_no_other_group(course, participant, on)
        place = _place_for(course, participant, on, by)
        member_add(activity=course.activity, participant=participant, by=by)
        membership = CourseParticipant.objects.create(
            course=course, participant=participant, place=place, joined_on=on, added_by=by
        )
    return membership, True


def _after_the_course(course: Course) -> str:
    return _("Datumet ligger efter kursens slut (%(date)s). Välj ett datum inom kursen.") % {
        "date": course.end_date.isoformat()
    }


def _check_join(course: Course, joined: datetime.date) -> None:
    if joined < course.start_date:
        raise ValidationError(
            _("Kursen börjar %(date)s. Välj ett datum från kursstarten.")
            % {"date": course.start_date.isoformat()}
        )
    if joined > course.end_date:
        raise ValidationError(_after_the_course(course))
    limit = course.programme.group_max
    taken = course.participants.current().count()
    if limit is not None and taken >= limit:
        raise ValidationError(
            _("Kursen är full: %(taken)s av %(limit)s platser är tagna. Välj en annan kurs.")
            % {"taken": taken, "limit": limit}
        )


def _check_no_other_group(course: Course, participant: Participant, joined: datetime.date) -> None:
    """A current member of a course that has not ended by `joined` (or one still to come
    within this course's dates) is in that group; ending it there comes first."""
    other = (
        CourseParticipant.objects.current()
        .filter(
            participant=participant,
            course__end_date__gte=joined,
            course__start_date__lte=course.end_date,
        )
        .exclude(course=course)
        .select_related("course")
        .first()
    )
    if other is not None:
        raise ValidationError(
            _(
                "Personen går redan i %(course)s (%(start)s–%(end)s). Avsluta personen där "
                "först; en flytt till en annan grupp är ett avslut och sedan en ny start."
            )
            % {
                "course": other.course.name,
                "start": other.course.start_date.isoformat(),
                "end": other.course.end_date.isoformat(),
            }
        )


def _place_for(
    course: Course, participant: Participant, joined: datetime.date, by: User
) -> Enrolment:
    running = (
        Enrolment.objects.filter(participant=participant, programme=course.programme, outcome="")
        .active_on(joined)
        .first()
    )
    if running is not None:
        return running
    return enrolment_create(
        participant=participant,
        programme=course.programme,
        start_date=joined,
        end_date=course.end_date,
        by=by,
    )


def course_leave(
    *,
    membership: CourseParticipant,
    on: datetime.date,
    outcome: str,
    early_reason: str = "",
    note: str = "",
    by: User,
    today: datetime.date | None = None,
) -> CourseParticipant:
    """Leave a course with an outcome; an early end needs a reason from the list.

    The place in the programme ends with the matching outcome (R11), and the person is no
    longer expected at the course's sessions."""
    with transaction.atomic():
        membership = (
            CourseParticipant.objects.select_for_update(of=("self",))
            .select_related("course__activity", "place", "participant")
            .get(pk=membership.pk)
        )
        _check_leave(
            membership,
            on=on,
            outcome=outcome,
            early_reason=early_reason,
            today=today or timezone.localdate(),
        )
        if not membership.place.is_ended:
            reason = dict(CourseParticipant._meta.get_field("early_reason").flatchoices)
            place_note = note or str(reason.get(early_reason, ""))
            enrolment_end(
                enrolment=membership.place,
                on=on,
                outcome=PLACE_OUTCOME[CourseOutcome(outcome)],
                note=place_note,
                by=by,
            )
        member_remove(activity=membership.course.activity, participant=membership.participant)
        membership.left_on, membership.outcome = on, outcome
        membership.early_reason = early_reason if outcome == CourseOutcome.ENDED_EARLY else ""
        membership.note, membership.ended_by = note, by
        membership.save()
    return membership


def _check_leave(
    membership: CourseParticipant,
    *,
    on: datetime.date,
    outcome: str,
    early_reason: str,
    today: datetime.date,
) -> None:
    errors: dict[str, list[str]] = {}
    if membership.has_left:
        errors["outcome"] = [_("Personen har redan slutat i kursen.")]
    elif outcome not in CourseOutcome.values:
        errors["outcome"] = [_("Välj hur kursen slutade för personen.")]
    if outcome == CourseOutcome.ENDED_EARLY and not early_reason:
        errors["early_reason"] = [_("Välj varför kursen avslutades i förtid.")]
    if on < membership.joined_on:
        errors["left_on"] = [
            _("Datumet ligger före %(date)s då personen började. Välj ett senare datum.")
            % {"date": membership.joined_on.isoformat()}
        ]
    elif on > membership.course.end_date:
        errors["left_on"] = [_after_the_course(membership.course)]
    elif on > today and not _withdrawn_before_start(membership, on, outcome):
        # An outcome is what happened, so it is recorded once it has happened.
        errors["left_on"] = [_("Datumet ligger i framtiden. Välj dagens datum eller tidigare.")]
    if errors:
        raise ValidationError(errors)


def _withdrawn_before_start(membership: CourseParticipant, on: datetime.date, outcome: str) -> bool:
    """Someone who drops out of a course not yet begun ends early on the day they would
    have joined, so that the place in the group is freed now rather than at the start."""
    return outcome == CourseOutcome.ENDED_EARLY and on == membership.joined_on


def below_minimum(course: Course, *, current: int, on: datetime.date) -> bool:
    """A group below the programme's minimum, flagged to the therapists before it starts."""
    minimum = course.programme.group_min
    if minimum is None or course.start_date <= on:
        return False
    return current < minimum


# A session longer than a working day is a typing error, not a session.
MAX_SESSION_MINUTES = 8 * 60


def individual_session_record(
    *,
    participant: Participant,
    programme: Programme,
    date: datetime.date,
    starts_at: datetime.time,
    minutes: int,
    kind: str,
    therapist: User,
    today: datetime.date,
    by: User,
) -> tuple[IndividualSession, bool]:
    """Record an individual session (R16) on the unit's visit of the day; returns
    (session, created). A double submit finds the first session."""
    _check_individual(participant, programme, date, minutes, therapist, today)
    with transaction.atomic():
        Participant.objects.select_for_update().get(pk=participant.pk)
        found = IndividualSession.objects.filter(
            participant=participant, date=date, starts_at=starts_at
        ).first()
        if found is not None:
            return found, False
        visit, _created = Visit.objects.get_or_create(
            participant=participant, programme=programme, date=date, defaults={"recorded_by": by}
        )
        session = IndividualSession.objects.create(
            participant=participant,
            programme=programme,
            visit=visit,
            date=date,
            starts_at=starts_at,
            minutes=minutes,
            kind=kind,
            therapist=therapist,
            recorded_by=by,
        )
    return session, True


def _check_individual(
    participant: Participant,
    programme: Programme,
    date: datetime.date,
    minutes: int,
    therapist: User,
    today: datetime.date,
) -> None:
    errors: dict[str, list[str]] = {}
    if date > today:
        errors["date"] = [
            _("Dagen har inte varit ännu. Registrera samtalet samma dag eller senare.")
        ]
    if participant.unit_id != programme.unit_id:
        errors["programme"] = [_("Välj ett program vid personens enhet.")]
    elif not programme.records_names:
        errors["programme"] = [
            _("%(programme)s dokumenteras utan namn. Välj ett annat program.")
            % {"programme": programme.name}
        ]
    if not 0 < minutes <= MAX_SESSION_MINUTES:
        errors["minutes"] = [
            _("Ange längden i minuter, mellan 1 och %(max)s.") % {"max": MAX_SESSION_MINUTES}
        ]
    if not therapist.units.filter(pk=programme.unit_id).exists():
        errors["therapist"] = [_("Välj en terapeut som arbetar vid enheten.")]
    if errors:
        raise ValidationError(errors)


def individual_session_remove(*, session: IndividualSession, today: datetime.date) -> None:
    """Undo a session recorded by mistake within the correction window; the day's visit goes
    too unless something else (a group session, another individual session or hours on the
    day sheet) still has it. Past the window the record stays (L1)."""
    check_open_for_change(session.date, today)
    with transaction.atomic():
        visit = Visit.objects.select_for_update().get(pk=session.visit_id)
        session.delete()
        if visit.hours is not None or visit.individual_sessions.exists():
            return
        group = visit.participant.session_attendances.filter(
            session__date=visit.date, session__activity__programme_id=visit.programme_id
        )
        if not group.exists():
            visit.delete()
