"""Workflows for group activities (R17, R18): series, sessions, members and attendance.

Group size and age limits come from the programme (or the activity's own limit) and are
checked under a row lock, so two staff adding the last member at once cannot both succeed.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.attendance import check_day_has_come, check_open_for_change
from activities.calendar import opening_days
from activities.models import Activity, ActivityMember, Session, SessionAttendance
from lotsen.models import Unit
from participants.identity import age_on
from participants.models import Participant, Visit

if TYPE_CHECKING:
    from lotsen.models import User

MAX_SERIES_DAYS = 366


def activity_create(
    *, unit: Unit, leaders: list[User], weekdays: list[int], by: User, **fields: Any
) -> Activity:
    """Create an activity and its sessions; holidays and closure days get none (L8)."""
    activity = Activity(unit=unit, weekdays=",".join(str(d) for d in sorted(weekdays)), **fields)
    activity.created_by = by
    _check_activity(activity)
    with transaction.atomic():
        activity.save()
        activity.leaders.set(leaders)
        Session.objects.bulk_create(
            Session(
                activity=activity,
                original_date=day,
                date=day,
                starts_at=activity.starts_at,
                ends_at=activity.ends_at,
                place=activity.place,
            )
            for day in _series_dates(activity)
        )
    return activity


def _check_activity(activity: Activity) -> None:
    errors: dict[str, list[str]] = {}
    if activity.programme and activity.programme.unit_id != activity.unit_id:
        errors["programme"] = [_("Välj ett program vid enheten.")]
    if activity.last_date < activity.first_date:
        errors["last_date"] = [_("Sista datum ligger före första datum. Välj ett senare datum.")]
    elif (activity.last_date - activity.first_date).days >= MAX_SERIES_DAYS:
        errors["last_date"] = [_("En serie kan vara högst ett år. Välj ett tidigare sista datum.")]
    elif activity.last_date != activity.first_date and not activity.weekday_numbers:
        errors["weekdays"] = [_("Välj vilka veckodagar serien har.")]
    if activity.ends_at <= activity.starts_at:
        errors["ends_at"] = [_("Sluttiden ligger före starttiden. Välj en senare tid.")]
    group_max = activity.programme.group_max if activity.programme else None
    limit = activity.max_participants
    if limit is not None and group_max is not None and limit > group_max:
        errors["max_participants"] = [
            _("%(programme)s har grupper om högst %(max)s. Välj ett lägre antal.")
            % {"programme": activity.programme, "max": group_max}
        ]
    if not errors and activity.first_date <= activity.last_date and not _series_dates(activity):
        errors["first_date"] = [
            _("Serien får inga tillfällen: alla dagar är helgdagar eller stängda dagar.")
        ]
    if errors:
        raise ValidationError(errors)


def _series_dates(activity: Activity) -> list[datetime.date]:
    weekdays = set(activity.weekday_numbers) or {activity.first_date.weekday()}
    days = opening_days(activity.unit, activity.first_date, activity.last_date)
    return [
        d.date
        for d in days
        if d.date.weekday() in weekdays and not d.holiday and not d.closure_reason
    ]


def session_move(
    *,
    session: Session,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    place: str,
    by: User,
) -> Session:
    """Move one session to another date, time or place; the series is unchanged."""
    if ends_at <= starts_at:
        raise ValidationError(
            {"ends_at": _("Sluttiden ligger före starttiden. Välj en senare tid.")}
        )
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        session.date, session.starts_at, session.ends_at = date, starts_at, ends_at
        session.place = place or session.place
        session.changed_by, session.changed_at = by, timezone.now()
        session.save()
    return session


def session_cancel(*, session: Session, reason: str, by: User) -> Session:
    """Cancel one session with a reason; cancelling twice keeps the first reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv varför tillfället ställs in.")})
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if not session.cancelled:
            session.cancelled, session.cancel_reason = True, reason.strip()
            session.changed_by, session.changed_at = by, timezone.now()
            session.save()
    return session


def session_reinstate(*, session: Session, by: User) -> Session:
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        session.cancelled, session.cancel_reason = False, ""
        session.changed_by, session.changed_at = by, timezone.now()
        session.save()
    return session


def _check_person(activity: Activity, participant: Participant, on: datetime.date) -> None:
    """Same unit, and inside the programme's ages on `on` (R17: Yngre Lotsen is 18-35)."""
    if participant.unit_id != activity.unit_id:
        raise ValidationError(
            _("Personen är inte registrerad vid %(unit)s.") % {"unit": activity.unit}
        )
    low, high = activity.age_limits()
    age = age_on(participant.birth_date, on)
    if (low is not None and age < low) or (high is not None and age > high):
        range_text = f"{low or 0}–{high}" if high is not None else _("från %(min)s") % {"min": low}
        raise ValidationError(
            _("%(activity)s är för personer %(range)s år; %(name)s är %(age)s år.")
            % {"activity": activity.title, "range": range_text, "name": participant, "age": age}
        )


def _check_room(activity: Activity, taken: int, *, session: bool) -> None:
    limit = activity.participant_limit()
    if limit is None or taken < limit:
        return
    if session:
        message = _("Tillfället är fullt: %(limit)s av %(limit)s platser är tagna.")
    else:
        message = _("Gruppen är full: %(limit)s av %(limit)s platser är tagna.")
    raise ValidationError(message % {"limit": limit} + " " + _("Ingen lades till."))


def member_add(
    *, activity: Activity, participant: Participant, by: User
) -> tuple[ActivityMember, bool]:
    """Add a group member within the group size (R18: 6-8); a double submit adds once."""
    with transaction.atomic():
        activity = (
            Activity.objects.select_for_update(of=("self",))
            .select_related("programme", "unit")
            .get(pk=activity.pk)
        )
        existing = ActivityMember.objects.filter(activity=activity, participant=participant).first()
        if existing is not None:
            return existing, False
        _check_person(activity, participant, max(activity.first_date, timezone.localdate()))
        _check_room(activity, activity.members.count(), session=False)
        try:
            with transaction.atomic():
                member = ActivityMember.objects.create(
                    activity=activity, participant=participant, added_by=by
                )
        except IntegrityError:
            return ActivityMember.objects.get(activity=activity, participant=participant), False
    return member, True


def member_remove(*, activity: Activity, participant: Participant) -> None:
    ActivityMember.objects.filter(activity=activity, participant=participant).delete()


def attendance_mark(
    *,
    session: Session,
    participant: Participant,
    by: User,
    today: datetime.date | None = None,
) -> tuple[SessionAttendance, bool]:
    """Mark a participant present at a session once, within the limits (R17, R18); a
    session on a day still ahead takes no attendance, as the day sheet refuses it."""
    with transaction.atomic():
        session = (
            Session.objects.select_for_update(of=("self",))
            .select_related("activity__programme", "activity__unit")
            .get(pk=session.pk)
        )
        check_day_has_come(session.date, today or timezone.localdate())
        existing = SessionAttendance.objects.filter(session=session, participant=participant)
        if found := existing.first():
            return found, False
        if session.cancelled:
            raise ValidationError(_("Tillfället är inställt; ingen närvaro kan registreras."))
        _check_person(session.activity, participant, session.date)
        _check_room(session.activity, session.attendances.count(), session=True)
        try:
            with transaction.atomic():
                attendance = SessionAttendance.objects.create(
                    session=session, participant=participant, recorded_by=by
                )
        except IntegrityError:
            return existing.get(), False
        _record_visit(session, participant, by)
    return attendance, True


def _record_visit(session: Session, participant: Participant, by: User) -> None:
    """The session's attendance is the unit's visit record: the day sheet and every figure
    read the same visit (one per person, programme and day)."""
    programme = session.activity.programme
    if programme is None or not programme.records_names:
        return
    Visit.objects.get_or_create(
        participant=participant,
        programme=programme,
        date=session.date,
        defaults={"recorded_by": by},
    )


def attendance_unmark(*, session: Session, participant: Participant, today: datetime.date) -> None:
    """Undo a mark within the correction window (later: `session_attendance_correct`); the
    day's visit goes too unless another session that day still has it or the day sheet
    recorded hours on it (then it is more than this mark, and stays)."""
    check_open_for_change(session.date, today)
    with transaction.atomic():
        deleted, _rows = SessionAttendance.objects.filter(
            session=session, participant=participant
        ).delete()
        programme_id = session.activity.programme_id
        if not deleted or programme_id is None:
            return
        other_sessions = SessionAttendance.objects.filter(
            participant=participant,
            session__date=session.date,
            session__activity__programme_id=programme_id,
        )
        if not other_sessions.exists():
            Visit.objects.filter(
                participant=participant,
                programme_id=programme_id,
                date=session.date,
                hours__isnull=True,
            ).delete()
