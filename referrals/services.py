"""Workflows over referrals: intake from staff and the web, the path step by step, acceptance
into a place with the participants' place rules, the waiting list and its times (R22)."""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lotsen.mail import send_templated
from lotsen.models import Programme, Role, Unit
from lotsen.sql import Median, as_statistics_median
from participants.identity import age_on
from participants.models import Enrolment, Participant
from participants.services import age_range, enrolment_create, participant_register
from plans.services import MAIL_ERRORS
from referrals.models import (
    TRANSITIONS,
    WEB_CONSENT,
    ActionFollowUp,
    CollaborationAction,
    CollaborationMeeting,
    Initiator,
    IsaPresented,
    MeetingStatus,
    OutreachActivity,
    Referral,
    ReferralStep,
    Status,
)

if TYPE_CHECKING:
    from lotsen.models import User


class ReferralConflict(Exception):
    """Someone else changed the referral since the page was loaded."""


def referral_create(
    *, unit: Unit, by: User | None, submission_key: str | None = None, **fields: Any
) -> tuple[Referral, bool]:
    """Record a received referral with its first step; a double submit returns the first.

    A referral for someone already registered at the unit is linked to them at once.
    """
    if by is not None and fields.get("identity_number") and not fields.get("participant"):
        # Only a record the user may see (L4): a protected person is not revealed this way.
        fields["participant"] = (
            Participant.objects.visible_to(by)
            .filter(unit=unit, identity_number=fields["identity_number"])
            .first()
        )
    if fields.get("participant") is not None and fields["participant"].has_housing_support:
        fields["prioritised"] = True
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                unit=unit, created_by=by, submission_key=submission_key or None, **fields
            )
            ReferralStep.objects.create(
                referral=referral, to_status=Status.RECEIVED, on=referral.received_on, by=by
            )
    except IntegrityError:
        if not submission_key:
            raise
        return Referral.objects.get(submission_key=submission_key), False
    return referral, True


def referral_from_web(
    *,
    unit: Unit,
    name: str,
    contact: str,
    programme: Programme | None,
    interest: str,
    submission_key: str,
    today: datetime.date,
) -> tuple[Referral, bool]:
    """The public interest form: as little as possible, source 'self, web' (mission item 7).

    Returns the referral and whether it is new (a double submit finds the first one); the
    caller queues the managers' notice for a new one (`referrals.tasks`), so that this
    service never imports its task.
    """
    first, _sep, last = name.strip().partition(" ")
    referral, created = referral_create(
        unit=unit,
        by=None,
        submission_key=submission_key,
        initiator=Initiator.SELF_WEB,
        received_on=today,
        first_name=first[:80],
        last_name=last.strip()[:80],
        contact=contact,
        programme=programme,
        interest=interest,
        consent=WEB_CONSENT,
    )
    return referral, created


def web_referral_notify(*, referral_id: int) -> int:
    """Tell the unit's managers that a web referral came in; safe to run twice.

    The e-mail names neither the person nor anything they wrote (L2): only a link.
    """
    with transaction.atomic():
        locked = Referral.objects.select_for_update().select_related("unit")
        referral = locked.filter(pk=referral_id).first()
        if referral is None or referral.notified_at is not None:
            return 0  # gone, or already told
        managers = [
            u.email
            for u in referral.unit.staff.filter(is_active=True, role=Role.MANAGER)
            if u.email
        ]
        if managers:
            send_templated(
                "web_referral",
                {"unit": referral.unit, "path": reverse("referrals:detail", args=[referral.pk])},
                to=managers,
            )
        referral.notified_at = timezone.now()
        referral.save(update_fields=["notified_at"])
    return len(managers)


def web_referrals_notify_unsent() -> int:
    """The daily sweep: notices that were never sent (broker or mail server down when the
    form was sent) go out now. Each is sent once (web_referral_notify checks notified_at);
    a mail failure is raised after the rest have been tried, for the task to retry."""
    unsent = Referral.objects.filter(initiator=Initiator.SELF_WEB, notified_at__isnull=True)
    sent, failure = 0, None
    for referral_id in unsent.order_by("pk").values_list("pk", flat=True):
        try:
            sent += 1 if web_referral_notify(referral_id=referral_id) else 0
        except MAIL_ERRORS as error:
            failure = failure or error
    if failure is not None:
        raise failure
    return sent


def _locked(referral: Referral, revision: int | None) -> Referral:
    """The referral under a row lock; a stale revision means two staff acted at once."""
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    if revision is not None and current.revision != revision:
        raise ReferralConflict
    return current


def _check_step(referral: Referral, to: str, on: datetime.date, today: datetime.date) -> None:
    if to not in TRANSITIONS[referral.status]:
        raise ValidationError(
            _("Anmälan är %(now)s och kan inte gå till %(to)s. Välj ett av stegen som visas.")
            % {"now": Status(referral.status).label, "to": Status(to).label}
        )
    last = referral.steps.order_by("-on").values_list("on", flat=True).first()
    earliest = max(referral.received_on, last or referral.received_on)
    if on < earliest:
        raise ValidationError(
            {
                "on": _(
                    "Datumet ligger före föregående steg (%(date)s). Välj %(date)s eller senare."
                )
                % {"date": earliest.isoformat()}
            }
        )
    if on > today:
        raise ValidationError(
            {"on": _("Datumet ligger i framtiden. Välj dagens datum eller tidigare.")}
        )


def _record(
    referral: Referral, to: str, *, on: datetime.date, note: str, by: User, fields: list[str]
) -> Referral:
    step_from = referral.status
    referral.status = to
    referral.revision += 1
    referral.save(update_fields=["status", "revision", *fields])
    ReferralStep.objects.create(
        referral=referral, from_status=step_from, to_status=to, on=on, note=note, by=by
    )
    return referral


def referral_move(
    *,
    referral: Referral,
    to: str,
    on: datetime.date,
    note: str = "",
    by: User,
    revision: int | None,
    today: datetime.date,
    programme: Programme | None = None,
) -> Referral:
    """One step on the path (contact, intake, waiting list, declined, withdrawn)."""
    if to == Status.ACCEPTED:
        raise ValidationError(_("En anmälan antas genom att personen får en plats."))
    with transaction.atomic():
        current = _locked(referral, revision)
        _check_step(current, to, on, today)
        if to == Status.DECLINED and not note.strip():
            raise ValidationError({"note": _("Skriv skälet till att anmälan avböjs.")})
        if programme is not None:
            if programme.unit_id != current.unit_id:
                raise ValidationError({"programme": _("Välj ett program vid anmälans enhet.")})
            current.programme = programme
        if to == Status.WAITING and current.programme_id is None:
            raise ValidationError({"programme": _("Välj vilket program personen väntar på.")})
        if to == Status.DECLINED:
            current.decline_reason = note
        return _record(current, to, on=on, note=note, by=by, fields=["decline_reason", "programme"])


def referral_accept(
    *,
    referral: Referral,
    programme: Programme,
    start_date: datetime.date,
    on: datetime.date,
    by: User,
    revision: int | None,
    today: datetime.date,
    hours_per_week: Decimal | None = None,
    end_date: datetime.date | None = None,
    contact_person: User | None = None,
    note: str = "",
) -> Enrolment:
    """Accept: open a place with every place rule of the participants issue (R5-R9).

    One transaction: a full programme leaves the referral exactly as it was.
    """
    with transaction.atomic():
        current = _locked(referral, revision)
        _check_step(current, Status.ACCEPTED, on, today)
        _check_start(current, start_date)
        if current.participant is None:
            raise ValidationError(
                _("Koppla anmälan till en registrerad person, eller registrera personen först.")
            )
        enrolment = enrolment_create(
            participant=current.participant,
            programme=programme,
            start_date=start_date,
            end_date=end_date,
            hours_per_week=hours_per_week,
            contact_person=contact_person,
            by=by,
        )
        current.enrolment, current.programme = enrolment, programme
        _record(
            current, Status.ACCEPTED, on=on, note=note, by=by, fields=["enrolment", "programme"]
        )
    return enrolment


def _check_start(referral: Referral, start: datetime.date) -> None:
    """A place given on a referral starts no earlier than the referral came in: before
    that, nobody had asked for it. A decision recorded late may still start it back then."""
    if start < referral.received_on:
        raise ValidationError(
            {
                "start_date": _(
                    "Startdatumet ligger före anmälans mottagningsdatum (%(date)s). "
                    "Välj %(date)s eller senare."
                )
                % {"date": referral.received_on.isoformat()}
            }
        )


def referral_link_participant(
    *, referral: Referral, participant: Participant, by: User, revision: int | None
) -> Referral:
    """Link the referral to the person's existing record at the same unit."""
    with transaction.atomic():
        current = _locked(referral, revision)
        if participant.unit_id != current.unit_id:
            raise ValidationError(_("Personen är inte registrerad vid anmälans enhet."))
        if current.participant_id is not None:
            raise ValidationError(_("Anmälan är redan kopplad till en person."))
        current.participant = participant
        current.prioritised = current.prioritised or participant.has_housing_support
        current.revision += 1
        current.save(update_fields=["participant", "prioritised", "revision"])
    return current


def referral_register_person(
    *, referral: Referral, by: User, revision: int | None, **fields: Any
) -> Participant:
    """Register the referral's person at its unit and link them (nothing typed twice)."""
    with transaction.atomic():
        current = _locked(referral, revision)
        if current.participant_id is not None:
            raise ValidationError(_("Anmälan är redan kopplad till en person."))
        participant = participant_register(by=by, unit=current.unit, **fields)
        current.participant = participant
        current.prioritised = current.prioritised or participant.has_housing_support
        current.revision += 1
        current.save(update_fields=["participant", "prioritised", "revision"])
    return participant


def referral_search(referrals: QuerySet[Referral], *, query: str) -> QuerySet[Referral]:
    """Every word in the referral's or the linked person's first or last name."""
    for word in query.split():
        referrals = referrals.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(participant__first_name__icontains=word)
            | Q(participant__last_name__icontains=word)
        )
    return referrals


def matching_participants(referral: Referral, visible: QuerySet[Participant]) -> list[Participant]:
    """Records at the referral's unit that may be the same person (number, or full name)."""
    same_unit = visible.filter(unit_id=referral.unit_id)
    if referral.identity_number:
        by_number = list(same_unit.filter(identity_number=referral.identity_number))
        if by_number:
            return by_number
    if not referral.last_name:
        return list(same_unit.filter(first_name__iexact=referral.first_name)[:10])
    return list(
        same_unit.filter(
            first_name__iexact=referral.first_name, last_name__iexact=referral.last_name
        )[:10]
    )


def action_follow_up(
    *, action: CollaborationAction, done_on: datetime.date | None, note: str, by: User
) -> CollaborationAction:
    """Record how an agreed action went: each follow-up is a row of its own, so a second
    one is added to the first, never written over it (L1)."""
    with transaction.atomic():
        current = CollaborationAction.objects.select_for_update().get(pk=action.pk)
        if done_on is not None and done_on < current.meeting.planned_on:
            raise ValidationError(
                {"done_on": _("Datumet ligger före mötet där åtgärden bestämdes.")}
            )
        ActionFollowUp.objects.create(action=current, note=note, done_on=done_on, created_by=by)
        if done_on is not None:
            current.done_on = done_on
            current.save(update_fields=["done_on"])
    return current


# --- Waiting times (R22) -------------------------------------------------------------


@dataclass
class WaitingFigures:
    count: int
    median_days: float | None
    longest_days: int | None


def waiting_figures(days: list[int]) -> WaitingFigures:
    if not days:
        return WaitingFigures(0, None, None)
    return WaitingFigures(len(days), statistics.median(days), max(days))


def waiting_figures_of(rows: QuerySet[Any], days: Any) -> WaitingFigures:
    """`waiting_figures` of the `days` (an expression) of each row, counted in PostgreSQL;
    the embedded SQLite database sends the days instead."""
    if connection.vendor != "postgresql":
        return waiting_figures(list(rows.annotate(days=days).values_list("days", flat=True)))
    got = rows.aggregate(n=Count("pk"), median=Median(days), longest=Max(days))
    return waiting_from(got["n"], got["median"], got["longest"])


def waiting_from(count: int, median: float | None, longest: int | None) -> WaitingFigures:
    """WaitingFigures from a count, a `percentile_cont` median and a maximum."""
    if not count:
        return WaitingFigures(0, None, None)
    return WaitingFigures(count, as_statistics_median(median, count), longest)


def waiting_now(programme: Programme, *, today: datetime.date) -> WaitingFigures:
    """R22: people on the list today, by days since the referral was received."""
    # An erased referral (retention) is nobody's to wait any more.
    received = Referral.objects.filter(
        programme=programme, status=Status.WAITING, erased_on__isnull=True
    ).values_list("received_on", flat=True)
    return waiting_figures([(today - day).days for day in received])


def waits_ended(
    programmes: QuerySet[Programme], *, start: datetime.date, end: datetime.date
) -> list[tuple[Programme, int, int, WaitingFigures]]:
    """R22 by month: for referrals accepted between `start` and `end`, the days from
    received to accepted, per programme and month (decision 0010)."""
    steps = ReferralStep.objects.filter(
        to_status=Status.ACCEPTED,
        on__range=(start, end),
        referral__programme__in=programmes,
    ).values_list("referral__programme_id", "on", "referral__received_on")
    by_month: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for programme_id, on, received in steps:
        by_month[(programme_id, on.year, on.month)].append((on - received).days)
    names = {p.pk: p for p in programmes}
    return [
        (names[pid], year, month, waiting_figures(days))
        for (pid, year, month), days in sorted(
            by_month.items(), key=lambda item: (names[item[0][0]].name, item[0][1], item[0][2])
        )
    ]


def referrals_by_initiator(
    *, unit: Unit, start: datetime.date, end: datetime.date
) -> list[tuple[str, int]]:
    """R2: referrals received in the period, by who initiated them."""
    return by_initiator(initiator_counts(unit=unit, start=start, end=end))


def initiator_counts(*, unit: Unit, start: datetime.date, end: datetime.date) -> dict[str, int]:
    """Referrals received in the period, counted by the recorded initiator."""
    return dict(
        Referral.objects.filter(unit=unit, received_on__range=(start, end))
        .values_list("initiator")
        .annotate(n=Count("pk"))
        .order_by()
    )


def by_initiator(counts: dict[str, int]) -> list[tuple[str, int]]:
    """R2: the counts by initiator, in the catalogue's order, those with none left out."""
    return [(str(label), counts[value]) for value, label in Initiator.choices if counts.get(value)]


def outreach_record(
    *,
    by: User,
    participants: QuerySet[Participant] | list[Participant],
    today: datetime.date | None = None,
    **fields: Any,
) -> OutreachActivity:
    """R4: an outreach activity with the registered people it reached, under its rules."""
    activity = OutreachActivity(created_by=by, **fields)
    people = list(participants)
    check_outreach_rules(activity, people, today=today or timezone.localdate())
    with transaction.atomic():
        activity.save()
        activity.participants.set(people)
    return activity


def check_outreach_rules(
    activity: OutreachActivity, people: list[Participant], *, today: datetime.date
) -> None:
    """Raise ValidationError keyed by field: the unit's own boendestöd and people (L2), no
    more registered people than were reached, a held activity, and the Team ISA answer (R8).

    Parts not filled in are not checked, so that a form can ask before they are.
    """
    errors: dict[str, str] = {}
    unit_id = activity.unit_id
    if unit_id is not None:
        hsu = activity.housing_support_unit if activity.housing_support_unit_id else None
        if hsu is not None and hsu.unit_id != unit_id:
            errors["housing_support_unit"] = _("Välj ett boendestöd i enhetens register.")
        if any(p.unit_id != unit_id for p in people):
            errors["participants"] = _("Välj bara personer som är registrerade vid enheten.")
    if activity.people_reached is not None and len(people) > activity.people_reached:
        errors["people_reached"] = _(
            "Fler registrerade personer är valda än antalet som nåddes. Rätta antalet."
        )
    if activity.date is not None and activity.date > today:
        errors["date"] = _("Registrera aktiviteten när den är genomförd.")
    nobody_young = activity.isa_presented == IsaPresented.NOBODY_YOUNG
    if nobody_young and (message := _someone_of_presented_age(unit_id, people, activity.date)):
        errors["isa_presented"] = message
    if errors:
        raise ValidationError(errors)


def _someone_of_presented_age(
    unit_id: int | None, people: list[Participant], day: datetime.date | None
) -> str | None:
    """R8: "nobody of the age" is wrong when a registered person there was of the age of a
    programme outreach presents (Team ISA: its min_age and max_age)."""
    if not people or day is None or unit_id is None:
        return None
    ages = [age_on(p.birth_date, day) for p in people]
    for programme in Programme.objects.filter(unit_id=unit_id, presented_at_outreach=True):
        if any(programme.fits_age(age) for age in ages):
            return _(
                "En av de valda personerna är i åldern för %(programme)s (%(range)s år). "
                "Svara ja eller nej."
            ) % {"programme": programme.name, "range": age_range(programme)}
    return None


def meeting_held(
    *,
    meeting: CollaborationMeeting,
    held_on: datetime.date,
    staff_attendees: QuerySet[User] | list[User],
    other_attendees: str,
    minutes: str,
    by: User,
) -> CollaborationMeeting:
    """Record a planned collaboration meeting as held, with who attended."""
    with transaction.atomic():
        current = CollaborationMeeting.objects.select_for_update().get(pk=meeting.pk)
        if current.status == MeetingStatus.HELD:
            raise ValidationError(_("Mötet är redan registrerat som genomfört."))
        current.status, current.held_on = MeetingStatus.HELD, held_on
        current.other_attendees, current.minutes = other_attendees, minutes
        current.save(update_fields=["status", "held_on", "other_attendees", "minutes"])
        current.staff_attendees.set(staff_attendees)
    return current
