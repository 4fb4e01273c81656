"""Logging a day: the attendance sheet, visits by name or counted (L7).

Trainees' weekly hours against the minimum (R6) are about places: participants/training_hours.py.

Every mark is idempotent: a visit is unique per person, programme and day, and an anonymous
+1 carries a token that is unique, so a double click or a retry counts once.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import DecimalField, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from activities.models import AnonymousVisit, AttendanceCorrection, SessionAttendance
from lotsen.history import attendance_correcting
from lotsen.models import Programme, Unit
from participants.models import Enrolment, HoursChange, Participant, Visit

if TYPE_CHECKING:
    from lotsen.models import User

MAX_HOURS_A_DAY = Decimal(24)
MARK_ATTEMPTS = 5  # a mark retries while undos race it (each retry needs a new undo)
ONE_WEEK = datetime.timedelta(days=7)


@dataclass(frozen=True, slots=True)
class PersonOnSheet:
    """What a row shows of a person, read without building the model (hundreds a sheet)."""

    pk: int
    first_name: str
    last_name: str
    unit_id: int

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True, slots=True)
class VisitOnSheet:
    pk: int
    hours: Decimal | None


@dataclass
class SheetRow:
    participant: Participant | PersonOnSheet
    programme: Programme
    visit: Visit | VisitOnSheet | None
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
        return hours_text(self.visit.hours)


def hours_text(hours: Decimal) -> str:
    # normalize() alone would write 10 as 1E+1.
    shown = hours.quantize(Decimal(1)) if hours == hours.to_integral() else hours.normalize()
    return number_format(shown)


@dataclass
class SheetSection:
    programme: Programme
    rows: list[SheetRow] = field(default_factory=list)
    anonymous: int = 0


# What a row shows of a person: the name, and the unit for the record log.
PERSON = (
    "participant_id",
    "participant__first_name",
    "participant__last_name",
    "participant__unit",
)


# Apps above this one say which places are expected on a day (treatment: a course's people
# on the days their group meets), as a condition on the place, read in the sheet's own
# query; a programme no rule speaks for expects everyone with a place (Lotsen's day).
ExpectedOn = Callable[[datetime.date], Q]
_expected_rules: list[ExpectedOn] = []


def register_expected_rule(rule: ExpectedOn) -> None:
    """Add a rule for who is expected on the sheet; registering twice adds once."""
    if rule not in _expected_rules:
        _expected_rules.append(rule)


def expected_on(day: datetime.date) -> Q:
    """The places expected on `day`: those every registered rule lets through."""
    condition = Q()
    for rule in _expected_rules:
        condition &= rule(day)
    return condition


# Apps above this one may have frozen the day's figures elsewhere (treatment: a confirmed
# monthly statement). A notice is a condition on the programme's unit, read with the
# sheet's programmes, and the words the sheet shows when it holds.
DayNotice = Callable[[datetime.date], tuple[Exists, str]]
_day_notices: list[DayNotice] = []


def register_day_notice(notice: DayNotice) -> None:
    """Add a notice the sheet shows on the days its condition holds; registering twice adds
    once."""
    if notice not in _day_notices:
        _day_notices.append(notice)


def sheet_programmes(unit: Unit, day: datetime.date) -> QuerySet[Programme]:
    """The unit's programmes in the sheet's order, each with the day's anonymous count and
    whether each registered notice holds (`day_notices`)."""
    counted = (
        AnonymousVisit.objects.filter(programme=OuterRef("pk"), date=day)
        .values("programme")
        .annotate(n=Sum("delta"))
        .values("n")
    )
    notices = {f"notice_{i}": notice(day)[0] for i, notice in enumerate(_day_notices)}
    return unit.programmes.order_by("-is_work_training", "name").annotate(
        anonymous_today=Coalesce(Subquery(counted), 0), **notices
    )


def day_notices(programmes: list[Programme], day: datetime.date) -> list[str]:
    """The words of the notices that hold on `day`, as `sheet_programmes` read them."""
    first = programmes[0] if programmes else None
    return [
        notice(day)[1]
        for i, notice in enumerate(_day_notices)
        if first is not None and getattr(first, f"notice_{i}")
    ]


def planned_hours_on(day: datetime.date) -> Coalesce:
    """As Enrolment.hours_on, in SQL: the latest change from `day` or before, else the
    place's own hours (0 when it has none)."""
    change = (
        HoursChange.objects.filter(enrolment=OuterRef("pk"), from_date__lte=day)
        .order_by("-from_date")
        .values("hours_per_week")[:1]
    )
    return Coalesce(
        Subquery(change),
        "hours_per_week",
        Value(Decimal(0)),
        output_field=DecimalField(max_digits=5, decimal_places=2),
    )


def sheet_places(
    programme_ids: list[int], *, day: datetime.date, visible: QuerySet[Participant]
) -> QuerySet[Enrolment, tuple[Any, ...]]:
    """(programme, planned hours, *PERSON) of the places active and expected on `day`, by
    name; read by the index on programme and end date, whatever the programmes' history."""
    return (
        Enrolment.objects.filter(programme__in=programme_ids, participant__in=visible)
        .active_on(day)
        .filter(expected_on(day))
        .annotate(planned=planned_hours_on(day))
        .order_by("participant__last_name", "participant__first_name")
        .values_list("programme_id", "planned", *PERSON)
    )


def with_row_on(
    people: QuerySet[Participant], *, programme: int, day: datetime.date
) -> QuerySet[Participant]:
    """People with what their row in the programme (its primary key) on `day` shows, in the
    same query: whether they are expected with their place (else they came without being
    expected) and its planned hours (never NULL for a trainee's place); and whether they
    are marked already."""
    places = Enrolment.objects.filter(participant=OuterRef("pk"), programme=programme).active_on(
        day
    )
    marked = Visit.objects.filter(participant=OuterRef("pk"), programme=programme, date=day)
    planned = places.order_by("-start_date", "-pk").annotate(planned=planned_hours_on(day))
    return people.annotate(
        sheet_marked=Exists(marked),
        sheet_place=Exists(places.filter(expected_on(day))),
        sheet_planned=Subquery(planned.values("planned")[:1]),
    )


def sheet_row(participant: Participant, programme: Programme, visit: Visit | None) -> SheetRow:
    """One person's row, read `with_row_on`: what a mark answers with."""
    planned = participant.sheet_planned if programme.is_work_training else None  # type: ignore[attr-defined]
    walk_in = not participant.sheet_place  # type: ignore[attr-defined]
    return SheetRow(participant, programme, visit, planned, walk_in=walk_in)


def attendance_sheet(
    *,
    unit: Unit,
    day: datetime.date,
    visible: QuerySet[Participant],
    programmes: Iterable[Programme] | None = None,
) -> list[SheetSection]:
    """The people expected on `day` (active places, as `expected_on` has them) and everyone
    marked, per programme.

    Three queries whatever the number of people: the programmes with their anonymous
    counts (`sheet_programmes`, none when given), the places with their planned hours, the
    day's visits.
    """
    if programmes is None:
        programmes = sheet_programmes(unit, day)
    sections = {p.pk: SheetSection(p, anonymous=p.anonymous_today) for p in programmes}  # type: ignore[attr-defined]
    named = [pk for pk, s in sections.items() if s.programme.records_names]
    places = sheet_places(named, day=day, visible=visible)
    visits = {
        (person[0], programme_id): (VisitOnSheet(pk, hours), person)
        for pk, programme_id, hours, *person in Visit.objects.filter(
            programme__unit=unit, date=day, participant__in=visible
        )
        .order_by("participant__last_name", "participant__first_name")
        .values_list("pk", "programme_id", "hours", *PERSON)
    }
    for programme_id, planned, *person in places:
        visit, _person = visits.pop((person[0], programme_id), (None, None))
        section = sections[programme_id]
        trainee = section.programme.is_work_training
        row = SheetRow(
            PersonOnSheet(*person), section.programme, visit, planned if trainee else None
        )
        section.rows.append(row)
    for (_pk, programme_id), (visit, person) in visits.items():
        section = sections[programme_id]
        section.rows.append(
            SheetRow(PersonOnSheet(*person), section.programme, visit, walk_in=True)
        )
    return [s for s in sections.values() if s.rows or s.programme.counts_anonymous]


def anonymous_counts(*, unit: Unit, day: datetime.date) -> dict[int, int]:
    rows = (
        AnonymousVisit.objects.filter(programme__unit=unit, date=day)
        .values_list("programme")
        .annotate(n=Sum("delta"))
    )
    return {programme_id: n or 0 for programme_id, n in rows}


def check_day_has_come(day: datetime.date, today: datetime.date) -> None:
    """Attendance is recorded on the day or after it, never ahead: the day sheet and a
    group session's page share this rule, so no figure counts a visit yet to happen."""
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
    probably_marked: bool = False,
) -> tuple[Visit, bool]:
    """Mark a person present (with the hours attended for trainees); returns (visit, created).

    A second mark of the same day finds the first one and only updates its hours; one
    that races an undo marks again. `probably_marked` (the sheet read a visit) only tries
    the update first, sparing the insert that would fail.
    """
    check_day_has_come(day, today)
    if not programme.records_names:
        raise ValidationError(
            _("%(programme)s dokumenteras utan namn. Räkna besökaren i stället.")
            % {"programme": programme.name}
        )
    if participant.unit_id != programme.unit_id:
        raise ValidationError(_("Välj ett program vid personens enhet."))
    if hours is not None and not (Decimal(0) < hours <= MAX_HOURS_A_DAY):
        raise ValidationError(_("Ange timmarna som ett tal mellan 0,25 och 24."))
    visit = Visit(participant=participant, programme=programme, date=day, hours=hours)
    visit.recorded_by = by
    for attempt in range(MARK_ATTEMPTS):
        if (attempt > 0 or not probably_marked) and _visit_insert(visit):
            return visit, True
        # Undone by someone else between the insert and the read: mark again.
        if (existing := _visit_hours_update(visit, today)) is not None:
            return existing, False
    raise ValidationError(_("Någon annan ändrade markeringen samtidigt. Försök igen."))


def _visit_insert(visit: Visit) -> bool:
    """Save a new visit; False when the person already has one that day (unique)."""
    try:
        with transaction.atomic():
            visit.save(force_insert=True)
    except IntegrityError:
        visit.pk = None
        return False
    return True


def _visit_hours_update(visit: Visit, today: datetime.date) -> Visit | None:
    """The day's existing visit, with `visit`'s hours when given; None if there is none."""
    with transaction.atomic():
        existing = (
            Visit.objects.select_for_update()
            .filter(participant=visit.participant, programme=visit.programme, date=visit.date)
            .first()
        )
        if existing is not None and visit.hours is not None and existing.hours != visit.hours:
            check_open_for_change(visit.date, today)
            existing.participant = visit.participant  # the audit trail names them, no query
            existing.hours = visit.hours
            existing.save(update_fields=["hours"])
    return existing


def visit_unmark(
    *, participant: Participant, programme: Programme, day: datetime.date, today: datetime.date
) -> bool:
    """Undo a mark made by mistake within the correction window; the audit log keeps that
    it was there (L2). Later, `visit_correct` with a reason.

    The day's group sessions of the programme lose the mark too: the sheet and the sessions
    are one record of who came."""
    check_open_for_change(day, today)
    session_marks = SessionAttendance.objects.filter(
        participant=participant, session__date=day, session__activity__programme=programme
    )
    with transaction.atomic():
        # Locked: of two undos racing, the second finds nothing to delete or to log. Whether
        # the day's sessions have marks to lose is read with it (most days they have none).
        visit = (
            Visit.objects.select_for_update(of=("self",))
            .filter(participant=participant, programme=programme, date=day)
            .annotate(session_marked=Exists(session_marks))
            .first()
        )
        if visit is None or visit.session_marked:  # type: ignore[attr-defined]
            session_marks.delete()
        if visit is None:
            return False
        visit.participant = participant  # the audit trail names the person without a query
        visit.delete()
    return True


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
    check_day_has_come(day, today)
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
