"""Participants, their places (enrolments) in programmes, and visits."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from lotsen.models import Programme, Unit
from participants.identity import PERSONNUMMER, SAMORDNINGSNUMMER
from participants.models.plan_status import (
    PlanStatus,
    PlanStatusQuerySet,
    due_soon_until,
    longest_duration_warned_until,
    missing_if_started_before,
)

if TYPE_CHECKING:
    from lotsen.models import User


class IdentityKind(models.TextChoices):
    PERSONNUMMER = PERSONNUMMER, _("personnummer")
    SAMORDNINGSNUMMER = SAMORDNINGSNUMMER, _("samordningsnummer")
    RESERVE = "reserve", _("reservidentitet")


class Gender(models.TextChoices):
    """Self-reported, for statistics only; never derived from the identity number (L6)."""

    WOMAN = "woman", _("kvinna")
    MAN = "man", _("man")
    OTHER = "other", _("annat")
    UNDISCLOSED = "undisclosed", _("vill inte uppge")


class ParticipantQuerySet(models.QuerySet["Participant"]):
    def visible_to(self, user: User) -> ParticipantQuerySet:
        """People known at one of the user's units (L2: secrecy between units); a person with
        protected identity only to staff who work with them (L4)."""
        if not user.is_authenticated:
            return self.none()
        # A record erased under retention (L3) keeps only anonymous rows for the figures;
        # it is no one's to see.
        qs = self.filter(unit__in=Unit.objects.filter(staff=user), erased_on__isnull=True)
        if user.is_manager:
            return qs
        return qs.filter(Q(protected_identity=False) | Exists(_works_with(user)))

    def visible_one(self, user: User, pk: int) -> Participant | None:
        """The person `pk` if `visible_to(user)` has them, else None: one plain query by key
        within the user's units, and the whole rule only for a protected person (a person
        page asks this on every request; building the rule cost more than running it)."""
        if not user.is_authenticated:
            return None
        mine = self.filter(pk=pk, unit__staff=user, erased_on__isnull=True)
        person = mine.first()
        if person is None or not person.protected_identity or user.is_manager:
            return person
        return person if self.visible_to(user).filter(pk=pk).exists() else None


def _works_with(user: User) -> models.QuerySet[Any, Any]:
    """The user is in the person's team or was their contact person, as one EXISTS over a
    UNION: PostgreSQL then tests it only for the protected rows it meets. Two EXISTS in the
    OR were answered by hashing every place the user was ever contact person for, a cost
    that grew with history, on every list."""
    team = Participant.team.through.objects.filter(participant_id=OuterRef("pk"), user=user)
    contact = Enrolment.objects.filter(participant_id=OuterRef("pk"), contact_person=user)
    return team.values("participant_id").union(contact.values("participant_id"), all=True)


class Participant(models.Model):
    # NULL, not "", for a reserve identity, so the unique constraint ignores them.
    identity_number = models.CharField(  # noqa: DJ001
        _("personnummer eller samordningsnummer"),
        max_length=12,
        null=True,
        blank=True,
        help_text=_("Tomt för en person med reservidentitet."),
    )
    identity_kind = models.CharField(_("typ av identitet"), max_length=20, choices=IdentityKind)
    birth_date = models.DateField(_("födelsedatum"))
    first_name = models.CharField(_("förnamn"), max_length=80)
    last_name = models.CharField(_("efternamn"), max_length=80)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    address = models.CharField(_("adress"), max_length=200, blank=True)
    municipality = models.CharField(_("folkbokförd i kommun"), max_length=80)
    residency_exception_reason = models.TextField(_("skäl till undantag"), blank=True)
    residency_exception_agreed_by = models.CharField(
        _("undantaget godkänt av (förvaltningen)"), max_length=120, blank=True
    )
    residency_exception_date = models.DateField(_("datum för undantaget"), null=True, blank=True)
    gender = models.CharField(_("kön (självuppgett)"), max_length=12, choices=Gender, blank=True)
    has_housing_support = models.BooleanField(_("har boendestöd"), default=False)
    # Set when the record is erased under retention (L3): what identified the person is gone.
    erased_on = models.DateField(_("gallrad"), null=True, blank=True, editable=False)
    protected_identity = models.BooleanField(
        _("skyddade personuppgifter"),
        default=False,
        help_text=_("Sekretessmarkering, skyddad folkbokföring eller fingerade personuppgifter."),
    )
    # Each unit keeps its own record of a person (L2: secrecy between units), so a
    # person known at two units has two records that share nothing.
    unit = models.ForeignKey(
        Unit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="participants"
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personal som arbetar med personen"),
        related_name="team_participants",
        blank=True,
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("deltagare")
        verbose_name_plural = _("deltagare")
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            # The registry's other sorts read a page in order (LIMIT), never the register.
            models.Index(fields=["birth_date", "id"], name="participant_birth_date"),
            models.Index(fields=["-created_at", "-id"], name="participant_newest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "identity_number"], name="one_record_per_person_and_unit"
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def formatted_identity(self) -> str:
        if not self.identity_number:
            return str(_("reservidentitet R-%(pk)s") % {"pk": self.pk})
        return f"{self.identity_number[:8]}-{self.identity_number[8:]}"

    @property
    def short_name(self) -> str:
        """First name and the initial of the last name, for e-mails (data minimisation)."""
        return f"{self.first_name} {self.last_name[:1]}."


class EnrolmentQuerySet(PlanStatusQuerySet):
    """The plan statuses (R13, R14, R7) are in PlanStatusQuerySet, next to their helpers."""

    def for_user_units(self, user: User) -> EnrolmentQuerySet:
        """Places in programmes of the units the user works at (L2)."""
        return self.filter(programme__unit__in=Unit.objects.filter(staff=user))

    def active_on(self, day: datetime.date) -> EnrolmentQuerySet:
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day)

    def overlapping(self, start: datetime.date, end: datetime.date | None) -> EnrolmentQuerySet:
        """Places that share at least one day with [start, end] (end None = open-ended)."""
        qs = self.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        return qs if end is None else qs.filter(start_date__lte=end)


class Outcome(models.TextChoices):
    """R11: where a place led; required when it ends."""

    EMPLOYMENT = "employment", _("anställning")
    STUDIES = "studies", _("studier")
    INTERNSHIP = "internship", _("praktik")
    LABOUR_MARKET = "labour_market", _("överlämnad till arbetsmarknadsförvaltningen (IAF)")
    OTHER_SERVICE = "other_service", _("annan insats")
    ENDED_EARLY = "ended_early", _("avslutad i förtid")
    MOVED = "moved", _("flyttat")
    COMPLETED = "completed", _("genomförd behandling")


class Enrolment(models.Model):
    """A place: one participant in one programme from a start date."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="enrolments"
    )
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="enrolments")
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("slutdatum"), null=True, blank=True)
    hours_per_week = models.DecimalField(
        _("timmar per vecka"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kontaktman"),
        on_delete=models.PROTECT,
        related_name="contact_enrolments",
        null=True,
        blank=True,
    )
    outcome = models.CharField(_("utfall"), max_length=20, choices=Outcome, blank=True)
    outcome_note = models.TextField(_("kommentar till utfallet"), blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    # The plan's schedule, copied here by Plan.save() so that the daily reminders read one
    # table (a million places in well under a second). Written only by plans.
    has_plan = models.BooleanField(default=False, editable=False)
    plan_follow_up_due = models.DateField(null=True, blank=True, editable=False)
    plan_renewal_due = models.DateField(null=True, blank=True, editable=False)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("plats")
        verbose_name_plural = _("platser")
        indexes = [
            # The daily reminders rank each contact person's places by due date (plans.
            # reminders): in this order, with the running-place columns, it is read from
            # the index alone without sorting. Only places without an outcome: the years of
            # ended places are not read (at a million people, half the morning's ranking),
            # and home reads a contact person's open places by it.
            models.Index(
                fields=["contact_person", "programme", "plan_follow_up_due", "id"],
                include=["start_date", "end_date"],
                condition=Q(outcome=""),
                name="enrolment_follow_up_rank",
            ),
            models.Index(fields=["plan_follow_up_due"]),
            models.Index(fields=["plan_renewal_due"]),
            models.Index(fields=["programme", "start_date"]),
            # A day's attendance sheet: the places of its programmes still running on the day
            # (end_date IS NULL OR end_date >= day), not every place they ever had.
            models.Index(fields=["programme", "end_date"], name="enrolment_programme_end"),
            # Places still without a plan, for the reminders: not the ended ones, which
            # never get one (a million of them at a million people).
            models.Index(
                fields=["start_date"],
                condition=Q(has_plan=False, outcome=""),
                name="enrolment_without_plan",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="enrolment_ends_after_start",
                violation_error_message=_(
                    "Slutdatumet ligger före startdatumet. Välj ett senare slutdatum."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.programme}"

    def is_active_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)

    @property
    def is_ended(self) -> bool:
        return bool(self.outcome)

    def is_running_on(self, day: datetime.date) -> bool:
        """As EnrolmentQuerySet.running_on: active, and no outcome recorded (R11)."""
        return self.is_active_on(day) and not self.is_ended

    def plan_status(self, on: datetime.date) -> PlanStatus:
        """R13, as the EnrolmentQuerySet status methods say it in SQL. Reads the place's
        copy of the plan's schedule (decision 0008), not the plan."""
        if not self.is_running_on(on):
            return PlanStatus.NONE
        due = self.plan_follow_up_due
        if due is None:
            late = self.start_date < missing_if_started_before(on)
            missing = not self.has_plan and self.programme.requires_plan and late
            return PlanStatus.MISSING if missing else PlanStatus.NONE
        if due < on:
            return PlanStatus.OVERDUE
        return PlanStatus.DUE_SOON if due <= due_soon_until(on) else PlanStatus.ON_TIME

    def is_renewal_due(self, on: datetime.date) -> bool:
        """R14, as EnrolmentQuerySet.renewal_due."""
        due = self.plan_renewal_due
        return self.is_running_on(on) and due is not None and due <= due_soon_until(on)

    def duration_warning(self, on: datetime.date) -> datetime.date | None:
        """R7: the latest end date when it is near, as EnrolmentQuerySet.
        reaching_longest_duration."""
        latest = self.programme.latest_end(self.start_date)
        if latest is None or not self.is_running_on(on):
            return None
        return latest if latest <= longest_duration_warned_until(on) else None

    def hours_on(self, day: datetime.date) -> Decimal:
        """Planned hours per week on `day`: the latest change from that day or before (R5).

        Uses prefetched `hours_changes` when present, so a list of places costs one query.
        """
        hours = self.hours_per_week or Decimal(0)
        for change in sorted(self.hours_changes.all(), key=lambda c: c.from_date):
            if change.from_date <= day:
                hours = change.hours_per_week
        return hours


class HoursChange(models.Model):
    """Planned hours from a date onwards; earlier hours stay in the history."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="hours_changes")
    from_date = models.DateField(_("från och med"))
    hours_per_week = models.DecimalField(_("timmar per vecka"), max_digits=5, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["from_date"]
        verbose_name = _("ändring av timmar")
        verbose_name_plural = _("ändringar av timmar")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "from_date"], name="one_change_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} {self.from_date}: {self.hours_per_week}"


class Workplace(models.Model):
    """Team ISA: the training place outside Lotsen that staff found and adapted (R8)."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="workplace")
    employer = models.CharField(_("arbetsgivare"), max_length=200)
    address = models.CharField(_("adress"), max_length=200, blank=True)
    supervisor = models.CharField(_("handledare"), max_length=120, blank=True)
    supervisor_contact = models.CharField(
        _("handledarens telefon eller e-post"), max_length=120, blank=True
    )
    tasks = models.TextField(_("arbetsuppgifter"), blank=True)
    adaptations = models.TextField(_("anpassningar som gjorts"), blank=True)

    class Meta:
        verbose_name = _("arbetsplats")
        verbose_name_plural = _("arbetsplatser")

    def __str__(self) -> str:
        return self.employer


PAST_VISIT_SQL = (
    "OLD.date < CURRENT_DATE - "
    "COALESCE(NULLIF(current_setting('lotsen.correction_days', true), ''), '0')::integer"
)


class Visit(models.Model):
    """One participant's visit to a programme on one day; recorded once (unique)."""

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="visits")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="visits")
    date = models.DateField(_("datum"))
    hours = models.DecimalField(_("timmar"), max_digits=4, decimal_places=2, null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["-date"]
        verbose_name = _("besök")
        verbose_name_plural = _("besök")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "programme", "date"], name="one_visit_per_day"
            )
        ]
        # A day's sheet and a month's figures read one programme's dates, never all history;
        # with the person and hours in the index, a year's figures read the index alone
        # (an index-only scan), not one table page per visit.
        indexes = [
            models.Index(
                fields=["programme", "date"],
                include=["participant", "hours"],
                name="visit_programme_date_cover",
            )
        ]
        # A visit older than the correction window is never changed or deleted by any
        # client; the window is the database setting lotsen.correction_days (0 = only
        # today). Corrections and retention are the deliberate paths (decision 0016).
        triggers = [
            pgtrigger.Protect(
                name="past_visit_never_changes",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Condition(PAST_VISIT_SQL),
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.date}"


class AssessmentInstrument(models.Model):
    """Work-capacity instruments (AWP, DOA, WRI, WEIS, …); administrators add more."""

    name = models.CharField(_("namn"), max_length=80, unique=True)
    description = models.CharField(_("beskrivning"), max_length=200, blank=True)
    active = models.BooleanField(_("används"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("bedömningsinstrument")
        verbose_name_plural = _("bedömningsinstrument")

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """R10: an occupational therapist's assessment of work capacity (kartläggning)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="assessments"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    instrument = models.ForeignKey(
        AssessmentInstrument, verbose_name=_("instrument"), on_delete=models.PROTECT
    )
    date = models.DateField(_("datum"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bedömare"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    conclusions = models.TextField(_("slutsatser"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("bedömning av arbetsförmåga")
        verbose_name_plural = _("bedömningar av arbetsförmåga")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "instrument", "date"], name="one_assessment_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.date}"


class Relative(models.Model):
    """A relative or representative and what the person has agreed may be shared (R9)."""

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="relatives")
    name = models.CharField(_("namn"), max_length=120)
    relation = models.CharField(_("relation"), max_length=80, help_text=_("T.ex. mamma, god man."))
    is_representative = models.BooleanField(
        _("företrädare (god man, förvaltare, ombud)"), default=False
    )
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    consent = models.TextField(
        _("samtycke"),
        help_text=_("Vad personen har samtyckt till att vi delar med denna person."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("närstående eller företrädare")
        verbose_name_plural = _("närstående och företrädare")
        constraints = [
            models.UniqueConstraint(fields=["participant", "name"], name="one_relative_per_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.relation})"


class HousingSupportOccasion(models.TextChoices):
    START = "start", _("vid start")
    FOLLOW_UP = "follow_up", _("vid uppföljning")
    LEAVE = "leave", _("vid avslut")


class HousingSupport(models.Model):
    """Boendestöd recorded when the person starts and leaves, for the R19 indicator."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="housing_support"
    )
    recorded_on = models.DateField(_("datum"))
    occasion = models.CharField(_("tillfälle"), max_length=12, choices=HousingSupportOccasion)
    provider = models.CharField(_("utförare av boendestöd"), max_length=120, blank=True)
    hours_per_week = models.DecimalField(
        _("timmar boendestöd per vecka"), max_digits=5, decimal_places=2
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["-recorded_on"]
        verbose_name = _("boendestöd")
        verbose_name_plural = _("boendestöd")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "recorded_on", "occasion"], name="one_housing_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recorded_on} {self.hours_per_week}"


from participants.models.record_log import RecordEvent, RecordEventKind  # noqa: E402

__all__ = [
    "Assessment",
    "AssessmentInstrument",
    "Enrolment",
    "EnrolmentQuerySet",
    "Gender",
    "HoursChange",
    "HousingSupport",
    "HousingSupportOccasion",
    "IdentityKind",
    "Outcome",
    "Participant",
    "RecordEvent",
    "RecordEventKind",
    "Relative",
    "Visit",
    "Workplace",
]
