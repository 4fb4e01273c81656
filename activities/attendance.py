"""Logging a day: the attendance sheet, visits by name or counted (L7).

Trainees' weekly hours against the minimum (R6) are about places: participants/training_hours.py.

Every mark is idempotent: a visit is unique per person, programme and day, and an anonymous
+1 carries a token that is unique, so a double click or a retry counts once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from activities.models import AnonymousVisit, AttendanceCorrection, SessionAttendance
from lotsen.history import attendance_correcting
from lotsen.models import Programme, Unit
from participants.models import Enrolment, Participant, Visit

if TYPE_CHECKING:
    from lotsen.models import User

MAX_HOURS_A_DAY = Decimal(24)
ONE_WEEK = datetime.timedelta(days=7)


@dataclass
class SheetRow:
    participant: Participant
    programme: Programme
    visit: Visit | None
    planned_hours: Decimal | None = None  # per week, for trainees
    walk_in: bool = False

    @property
    def key(self) -> str:
        return f"{self.participant.pk}-{self.programme.pk}"

    @property
    def is_trainee(self) -> bool:
        return self.programme.is_work_training

    @property
    def hours_text(self) -> str:
        """The attended hours as typed: "2,5", not "2,50" (localised decimal separator)."""
        if self.visit is None or self.visit.hours is None:
            return ""
        hours = self.visit.hours
        # normalize() alone would write 10 as 1E+1.
        shown = hours.quantize(Decimal(1)) if hours == hours.to_integral() else hours.normalize()
        return number_format(shown)


@dataclass
class SheetSection:
    programme: Programme
    rows: list[SheetRow] = field(default_factory=list)
    anonymous: int = 0


def attendance_sheet(
    *, unit: Unit, day: datetime.date, visible: QuerySet[Participant]
) -> list[SheetSection]:
    """The people expected on `day` (active places) and everyone marked, per programme.

    Four queries whatever the number of people: programmes, places with their hours
    changes, the day's visits, the anonymous counts.
    """
    programmes = list(unit.programmes.order_by("-is_work_training", "name"))
    sections = {p.pk: SheetSection(p) for p in programmes}
    places = (
        Enrolment.objects.filter(programme__unit=unit, participant__in=visible)
        .active_on(day)
        .exclude(programme__visit_recording="count_only")
        .select_related("participant")
        .prefetch_related("hours_changes")
        .order_by("participant__last_name", "participant__first_name")
    )
    visits = {
        (v.participant_id, v.programme_id): v
        for v in Visit.objects.filter(programme__unit=unit, date=day, participant__in=visible)
        .select_related("participant")
        .order_by("participant__last_name", "participant__first_name")
    }
    for place in places:
        visit = visits.pop((place.participant_id, place.programme_id), None)
        section = sections[place.programme_id]
        planned = place.hours_on(day) if section.programme.is_work_training else None
        section.rows.append(SheetRow(place.participant, section.programme, visit, planned))
    for (_person, programme_id), visit in visits.items():
        section = sections[programme_id]
        section.rows.append(SheetRow(visit.participant, section.programme, visit, walk_in=True))
    for programme_id, count in anonymous_counts(unit=unit, day=day).items():
        sections[programme_id].anonymous = count
    return [s for s in sections.values() if s.rows or s.programme.counts_anonymous]


def anonymous_counts(*, unit: Unit, day: datetime.date) -> dict[int, int]:
    rows = (
        AnonymousVisit.objects.filter(programme__unit=unit, date=day)
        .values_list("programme")
        .annotate(n=Sum("delta"))
    )
    return {programme_id: n or 0 for programme_id, n in rows}


def _check_day(day: datetime.date, today: datetime.date) -> None:
    if day > today:
        raise ValidationError(
            _("Dagen har inte varit ännu. Närvaro registreras samma dag eller senare.")
        )


def past_correction_window(day: datetime.date, today: datetime.date) -> bool:
    """A mark of a day older than the window is corrected with a reason, never silently."""
    return day < today - datetime.timedelta(days=settings.ATTENDANCE_CORRECTION_DAYS)


def check_open_for_change(day: datetime.date, today: datetime.date) -> None:
    if past_correction_window(day, today):
        raise ValidationError(
            _("Dagen är passerad. Rätta närvaron och skriv skälet, så syns den gamla markeringen.")
        )


def visit_mark(
    *,
    participant: Participant,
    programme: Programme,
    day: datetime.date,
    hours: Decimal | None,
    by: User,
    today: datetime.date,
) -> tuple[Visit, bool]:
    """Mark a person present (with the hours attended for trainees); returns (visit, created).

    A second mark of the same day finds the first one and only updates its hours.
    """
    _check_day(day, today)
    if not programme.records_names:
        raise ValidationError(
            _("%(programme)s dokumenteras utan namn. Räkna besökaren i stället.")
            % {"programme": programme.name}
        )
    if participant.unit_id != programme.unit_id:
        raise ValidationError(_("Välj ett program vid personens enhet."))
    if hours is not None and not (Decimal(0) < hours <= MAX_HOURS_A_DAY):
        raise ValidationError(_("Ange timmarna som ett tal mellan 0,25 och 24."))
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                participant=participant, programme=programme, date=day, hours=hours, recorded_by=by
            )
            return visit, True
    except IntegrityError:
        pass
    with transaction.atomic():
        visit = Visit.objects.select_for_update().get(
            participant=participant, programme=programme, date=day
        )
        if hours is not None and visit.hours != hours:
            check_open_for_change(day, today)
            visit.hours = hours
            visit.save(update_fields=["hours"])
    return visit, False


def visit_unmark(
    *, participant: Participant, programme: Programme, day: datetime.date, today: datetime.date
) -> bool:
    """Undo a mark made by mistake within the correction window; the audit log keeps that
    it was there (L2). Later, `visit_correct` with a reason.

    The day's group sessions of the programme lose the mark too: the sheet and the sessions
    are one record of who came."""
    check_open_for_change(day, today)
    with transaction.atomic():
        SessionAttendance.objects.filter(
            participant=participant, session__date=day, session__activity__programme=programme
        ).delete()
        deleted, _rows = Visit.objects.filter(
            participant=participant, programme=programme, date=day
        ).delete()
    return bool(deleted)


def anonymous_visit_add(
    *,
    programme: Programme,
    day: datetime.date,
    delta: int,
    token: str,
    by: User,
    today: datetime.date,
) -> tuple[int, bool]:
    """Count (+1) or uncount (-1) an anonymous visitor once per token; returns (count, counted).

    Locked on the programme so that a -1 never takes the day's count below zero.
    """
    _check_day(day, today)
    if not programme.counts_anonymous:
        raise ValidationError(
            _("%(programme)s registrerar besök med namn.") % {"programme": programme.name}
        )
    if delta not in (1, -1):
        raise ValidationError(_("Ogiltig ändring."))
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=programme.pk)
        current = _anonymous_count(programme, day)
        if AnonymousVisit.objects.filter(token=token).exists():
            return current, False
        if current + delta < 0:
            raise ValidationError(_("Antalet är redan noll."))
        try:
            with transaction.atomic():
                AnonymousVisit.objects.create(
                    programme=programme, date=day, delta=delta, token=token, recorded_by=by
                )
        except IntegrityError:
            return current, False
    return current + delta, True


def _anonymous_count(programme: Programme, day: datetime.date) -> int:
    total = AnonymousVisit.objects.filter(programme=programme, date=day).aggregate(n=Sum("delta"))
    return total["n"] or 0


def _reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv varför närvaron rättas.")})
    return reason.strip()


def visit_correct(
    *,
    participant: Participant,
    programme: Programme,
    day: datetime.date,
    hours: Decimal | None,
    remove: bool,
    reason: str,
    by: User,
) -> AttendanceCorrection:
    """Change the hours of a past visit or remove it, keeping the old mark, who and why (L1).

    The one path, besides retention, that passes the database's lock on past visits."""
    reason = _reason(reason)
    if not remove and hours is not None and not (Decimal(0) < hours <= MAX_HOURS_A_DAY):
        raise ValidationError({"hours": _("Ange timmarna som ett tal mellan 0,25 och 24.")})
    with transaction.atomic(), attendance_correcting():
        visit = (
            Visit.objects.select_for_update()
            .filter(participant=participant, programme=programme, date=day)
            .first()
        )
        if visit is None:
            raise ValidationError(_("Närvaron är redan borttagen. Ladda om sidan."))
        correction = AttendanceCorrection.objects.create(
            participant=participant,
            programme=programme,
            date=day,
            old_hours=visit.hours,
            new_hours=None if remove else hours,
            removed=remove,
            reason=reason,
            created_by=by,
        )
        if remove:
            SessionAttendance.objects.filter(
                participant=participant, session__date=day, session__activity__programme=programme
            ).delete()
            visit.delete()
        else:
            visit.hours = hours
            visit.save(update_fields=["hours"])
    return correction


def session_attendance_correct(
    *, attendance: SessionAttendance, reason: str, by: User
) -> AttendanceCorrection:
    """Remove a past session mark with a reason; the day's visit goes too unless another
    session that day or hours typed on the sheet still hold it (as when undoing)."""
    reason = _reason(reason)
    session = attendance.session
    programme_id = session.activity.programme_id
    with transaction.atomic(), attendance_correcting():
        correction = AttendanceCorrection.objects.create(
            participant=attendance.participant,
            programme_id=programme_id,
            session=session,
            date=session.date,
            removed=True,
            reason=reason,
            created_by=by,
        )
        attendance.delete()
        others = SessionAttendance.objects.filter(
            participant=attendance.participant,
            session__date=session.date,
            session__activity__programme=session.activity.programme,
        )
        if programme_id is not None and not others.exists():
            Visit.objects.filter(
                participant=attendance.participant,
                programme_id=programme_id,
                date=session.date,
                hours__isnull=True,
            ).delete()
    return correction
