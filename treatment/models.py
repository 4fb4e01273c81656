"""Treatment courses at Beroendemottagningen (R18), their results (R23) and the monthly
statement to the commissioner (R25). Every number is data on these models (decision 0013)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from lotsen.labels import seeded_label
from lotsen.models import Programme, Unit
from participants.models import Enrolment, Participant, Visit


class CourseType(models.Model):
    """How a programme runs as courses: its length and how many groups run at once.

    Group sizes (6-8) are the programme's `group_min` and `group_max`."""

    programme = models.OneToOneField(
        Programme, verbose_name=_("program"), on_delete=models.PROTECT, related_name="course_type"
    )
    weeks = models.PositiveSmallIntegerField(_("kursens längd i veckor"))
    parallel_groups = models.PositiveSmallIntegerField(
        _("överenskomna grupper samtidigt"), default=1
    )
    flag_days_before_start = models.PositiveSmallIntegerField(
        _("varna för för liten grupp så många dagar före start"), default=14
    )

    class Meta:
        ordering = ["programme__name"]
        verbose_name = _("kurstyp")
        verbose_name_plural = _("kurstyper")

    def __str__(self) -> str:
        return self.programme.name


class CourseQuerySet(models.QuerySet["Course"]):
    def for_units(self, units: object) -> CourseQuerySet:
        return self.filter(programme__unit__in=units)

    def running_or_coming(self, on: datetime.date) -> CourseQuerySet:
        return self.filter(end_date__gte=on)


class Course(models.Model):
    """One group going through a programme from a start date; its sessions are an activity."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.PROTECT, related_name="courses"
    )
    activity = models.OneToOneField(
        Activity, on_delete=models.PROTECT, related_name="course", verbose_name=_("tillfällen")
    )
    name = models.CharField(_("namn"), max_length=120)
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("slutdatum"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "name"]
        verbose_name = _("kurs")
        verbose_name_plural = _("kurser")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="course_ends_after_start",
                violation_error_message=_("Slutdatumet ligger före startdatumet."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def unit(self) -> Unit:
        return self.programme.unit

    def has_started(self, on: datetime.date) -> bool:
        return self.start_date <= on


class CourseOutcome(models.TextChoices):
    COMPLETED = "completed", _("genomförd")
    ENDED_EARLY = "ended_early", _("avslutad i förtid")
    MOVED_TO_EXTENDED = "moved_to_extended", _("gick vidare till förlängd behandling")


# Going on to extended treatment follows a finished primary treatment in the 12-step
# model: it is completed treatment (fullföljd behandling), and every figure of completed
# treatment (the rate, the tables, the place's outcome) counts it so.
COMPLETED_OUTCOMES = (CourseOutcome.COMPLETED, CourseOutcome.MOVED_TO_EXTENDED)


class EarlyEndReason(models.TextChoices):
    DROPPED_OUT = "dropped_out", _("slutade komma")
    OWN_WISH = "own_wish", _("eget önskemål")
    RELAPSE = "relapse", _("återfall")
    OTHER_CARE = "other_care", _("annan vård eller behandling")
    HEALTH = "health", _("ohälsa")
    MOVED = "moved", _("flyttade")
    OTHER = "other", _("annat")


class CourseParticipantQuerySet(models.QuerySet["CourseParticipant"]):
    def current(self) -> CourseParticipantQuerySet:
        return self.filter(outcome="")


class CourseParticipant(models.Model):
    """A person in a course, on a place in the programme (the place rules apply)."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="participants")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="course_memberships"
    )
    place = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="course_memberships"
    )
    joined_on = models.DateField(_("började"))
    left_on = models.DateField(_("slutade"), null=True, blank=True)
    outcome = models.CharField(_("utfall"), max_length=20, choices=CourseOutcome, blank=True)
    early_reason = models.CharField(_("skäl"), max_length=20, choices=EarlyEndReason, blank=True)
    note = models.TextField(_("kommentar"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    objects = CourseParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["participant__last_name", "participant__first_name"]
        verbose_name = _("kursdeltagare")
        verbose_name_plural = _("kursdeltagare")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "participant"], name="one_membership_per_course"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.course}"

    @property
    def has_left(self) -> bool:
        return bool(self.outcome)

    @property
    def completed_treatment(self) -> bool:
        return self.outcome in COMPLETED_OUTCOMES


class IndividualKind(models.TextChoices):
    INDIVIDUAL = "individual", _("enskilt samtal")
    RELATIVES = "relatives", _("samtal med närstående")
    PHONE = "phone", _("telefon- eller videosamtal")


class IndividualSessionQuerySet(models.QuerySet["IndividualSession"]):
    def for_units(self, units: object) -> IndividualSessionQuerySet:
        return self.filter(programme__unit__in=units)


class IndividualSession(models.Model):
    """An individual session with a therapist, in the daytime or the evening (R16).

    It hangs on the unit's visit of the day (decision 0013): the day sheet and every figure
    count the same visit, and unmarking the visit on the day sheet removes the session."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="individual_sessions"
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.PROTECT, related_name="+"
    )
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="individual_sessions")
    date = models.DateField(_("datum"))
    starts_at = models.TimeField(_("börjar"))
    minutes = models.PositiveSmallIntegerField(_("längd i minuter"))
    kind = models.CharField(
        _("typ"), max_length=12, choices=IndividualKind, default=IndividualKind.INDIVIDUAL
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("terapeut"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = IndividualSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-starts_at"]
        verbose_name = _("enskilt samtal")
        verbose_name_plural = _("enskilda samtal")
        constraints = [
            # A double-submitted form finds the first session instead of a second one.
            models.UniqueConstraint(
                fields=["participant", "date", "starts_at"], name="one_individual_session_at_a_time"
            ),
            models.CheckConstraint(
                condition=Q(minutes__gt=0), name="individual_session_has_a_length"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.date} {self.starts_at:%H:%M}"

    def is_evening(self, evening_from: datetime.time) -> bool:
        return self.starts_at >= evening_from


class MeasureKind(models.TextChoices):
    NUMBER = "number", _("tal")
    CHOICE = "choice", _("val ur lista")


class Measure(models.Model):
    """One structured measure (AUDIT, DUDIT, days of use, housing…); an administrator adds more."""

    name = models.CharField(_("namn"), max_length=120)
    slug = models.SlugField(_("kortnamn"), unique=True)
    kind = models.CharField(_("typ"), max_length=8, choices=MeasureKind, default=MeasureKind.NUMBER)
    min_value = models.DecimalField(
        _("lägsta värde"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("högsta värde"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    choices = models.TextField(
        _("svarsalternativ"), blank=True, help_text=_("Ett alternativ per rad.")
    )
    whole_numbers = models.BooleanField(
        _("bara heltal"),
        default=True,
        help_text=_("Poäng och antal dagar skrivs i hela tal; ta bort för mått med decimaler."),
    )
    lower_is_better = models.BooleanField(_("lägre är bättre"), default=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    active = models.BooleanField(_("används"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("mått")
        verbose_name_plural = _("mått")

    def __str__(self) -> str:
        return seeded_label(self.name)

    @property
    def choice_list(self) -> list[str]:
        """The answers as stored in a measurement (Swedish when seeded)."""
        return [c.strip() for c in self.choices.splitlines() if c.strip()]

    @property
    def choice_pairs(self) -> list[tuple[str, str]]:
        """Each stored answer with its label in the active language."""
        return [(c, seeded_label(c)) for c in self.choice_list]


class StageAnchor(models.TextChoices):
    INTAKE = "intake", _("vid start")
    END = "end", _("efter avslutad kurs")


class Stage(models.Model):
    """When measures are taken: at intake, at the end, and months after the end (data)."""

    name = models.CharField(_("namn"), max_length=80)
    anchor = models.CharField(_("utgår från"), max_length=8, choices=StageAnchor)
    months_after = models.PositiveSmallIntegerField(_("månader efter"), default=0)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("mättillfälle")
        verbose_name_plural = _("mättillfällen")

    def __str__(self) -> str:
        return seeded_label(self.name)


class Measurement(models.Model):
    """The measures of one course participant at one stage."""

    membership = models.ForeignKey(
        CourseParticipant, on_delete=models.PROTECT, related_name="measurements"
    )
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="measurements")
    measured_on = models.DateField(_("datum"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stage__order"]
        verbose_name = _("mätning")
        verbose_name_plural = _("mätningar")
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "stage"], name="one_measurement_per_stage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership} {self.stage}"


class MeasurementValue(models.Model):
    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="values")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="+")
    number = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    choice = models.CharField(max_length=120, blank=True)

    class Meta:
        verbose_name = _("mätvärde")
        verbose_name_plural = _("mätvärden")
        constraints = [
            models.UniqueConstraint(fields=["measurement", "measure"], name="one_value_per_measure")
        ]

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.number if self.number is not None else self.choice}"

    @property
    def choice_label(self) -> str:
        """The answer chosen, in the active language (the row keeps it as stored)."""
        return seeded_label(self.choice)


class MeasurementCorrection(models.Model):
    """A measurement's date or values corrected: what it said before and after, who, when
    and why. Written once, never changed (L1); the measurement itself holds the new values."""

    measurement = models.ForeignKey(
        Measurement, on_delete=models.PROTECT, related_name="corrections"
    )
    old_measured_on = models.DateField(_("datum före"))
    new_measured_on = models.DateField(_("datum efter"))
    # Each measure's slug and its value as typed in plain form ("20", "Hemlös"); a measure
    # left empty is absent.
    old_values = models.JSONField(_("värden före"), default=dict)
    new_values = models.JSONField(_("värden efter"), default=dict)
    reason = models.TextField(_("skäl"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("rättad"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("rättelse av mätning")
        verbose_name_plural = _("rättelser av mätningar")
        triggers = [
            pgtrigger.Protect(
                name="measurement_correction_never_changes",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"{self.measurement} {self.created_at:%Y-%m-%d}"


class Agreement(models.Model):
    """What the commissioner pays for (R25): the yearly sum in a base year's prices."""

    unit = models.OneToOneField(Unit, on_delete=models.PROTECT, related_name="agreement")
    yearly_amount = models.DecimalField(_("årsbelopp (kr)"), max_digits=12, decimal_places=2)
    price_year = models.PositiveSmallIntegerField(_("prisnivå (år)"))
    description = models.TextField(_("överenskommelse"), blank=True)

    class Meta:
        verbose_name = _("överenskommelse")
        verbose_name_plural = _("överenskommelser")

    def __str__(self) -> str:
        return str(self.unit)


class PriceIndex(models.Model):
    """The yearly price adjustment (OPI) in per cent, applied from 1 January of `year`."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="indices")
    year = models.PositiveSmallIntegerField(_("år"))
    percent = models.DecimalField(_("uppräkning (%)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["year"]
        verbose_name = _("prisindex")
        verbose_name_plural = _("prisindex")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year"], name="one_index_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.percent} %"


class Statement(models.Model):
    """A confirmed monthly statement; figures are frozen. A correction is a new version."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="statements")
    month = models.DateField(_("månad"))  # the first day of the month
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    figures = models.JSONField()
    amount = models.DecimalField(_("belopp (kr)"), max_digits=12, decimal_places=2)
    reason = models.TextField(_("skäl till rättelse"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField()

    class Meta:
        ordering = ["-month", "-version"]
        verbose_name = _("månadsredovisning")
        verbose_name_plural = _("månadsredovisningar")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month", "version"], name="one_statement_version"
            )
        ]
        triggers = [
            pgtrigger.Protect(
                name="confirmed_statement_never_changes",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%Y-%m} v{self.version}"


ZERO = Decimal(0)
