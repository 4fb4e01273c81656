"""Supported Employment / IPS case work (R10, R11, R21, R22): employment specialists with
their FTE share, cases on the IPS path, the employer register, employer contacts and job
starts. The method's numbers are fields on `EmploymentProgramme` (data, never literals)."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lotsen.models import Programme, Unit
from participants.models import Enrolment, Outcome, Participant

if TYPE_CHECKING:
    from lotsen.models import User


class EmploymentProgramme(models.Model):
    """A programme that works the IPS way, with the commission's and the method's numbers."""

    programme = models.OneToOneField(
        Programme, on_delete=models.PROTECT, related_name="employment", verbose_name=_("program")
    )
    # R21: the commission's 20–25 new cases per FTE and the IPS fidelity scale's numbers.
    new_cases_per_fte_min = models.PositiveSmallIntegerField(
        _("nya ärenden per årsarbetare och år, minst"), help_text=_("Uppdraget: 20.")
    )
    new_cases_per_fte_max = models.PositiveSmallIntegerField(
        _("nya ärenden per årsarbetare och år, högst"), help_text=_("Uppdraget: 25.")
    )
    max_caseload_per_fte = models.PositiveSmallIntegerField(
        _("högsta antal aktiva ärenden per heltidsanställd specialist"),
        help_text=_("IPS-troheten: 20."),  # R21
    )
    first_contact_days = models.PositiveSmallIntegerField(
        _("dagar från inskrivning till första arbetsgivarkontakt"),
        help_text=_("IPS-troheten: 30."),  # R21
    )
    employer_contacts_per_week = models.PositiveSmallIntegerField(
        _("arbetsgivarkontakter per heltidsanställd specialist och vecka"),
        help_text=_("IPS-troheten: 6."),  # R21
    )
    retention_months_short = models.PositiveSmallIntegerField(
        _("kvar i arbete efter (månader), första mätningen"), help_text=_("3.")
    )
    retention_months_long = models.PositiveSmallIntegerField(
        _("kvar i arbete efter (månader), andra mätningen"), help_text=_("6.")
    )
    suppress_below = models.PositiveSmallIntegerField(
        _("antal under detta visas inte i rapporter som lämnar enheten"),
        validators=[MinValueValidator(1)],
        help_text=_("5."),
    )

    class Meta:
        verbose_name = _("IPS-program")
        verbose_name_plural = _("IPS-program")

    def __str__(self) -> str:
        return str(self.programme)


class EmploymentSpecialist(models.Model):
    """A member of staff who works as employment specialist in a programme. The FTE share
    is kept with the date it applies from (`FteShare`), so a past period's targets use the
    staffing of that period (R21); `active` says who can be given new cases."""

    programme = models.ForeignKey(
        EmploymentProgramme,
        on_delete=models.PROTECT,
        related_name="specialists",
        verbose_name=_("program"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="employment_specialist",
        verbose_name=_("medarbetare"),
    )
    active = models.BooleanField(_("aktiv"), default=True, help_text=_("Kan få nya ärenden."))

    class Meta:
        ordering = ["user__first_name", "user__last_name"]
        verbose_name = _("arbetsspecialist")
        verbose_name_plural = _("arbetsspecialister")
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="one_specialist_per_user")
        ]

    def __str__(self) -> str:
        return str(self.user)

    def shares(self) -> list[tuple[datetime.date, Decimal]]:
        """(valid from, FTE) oldest first; from `fte_shares` when prefetched."""
        return sorted((s.valid_from, s.fte) for s in self.fte_shares.all())

    def fte_on(self, day: datetime.date) -> Decimal:
        return fte_on(self.shares(), day)

    def fte_days(self, start: datetime.date, end: datetime.date) -> Decimal:
        return fte_days(self.shares(), start, end)


class FteShare(models.Model):
    """A specialist's FTE share from a date until the next share (R21). A share of 0 from a
    date: no longer working as a specialist; before the first share the specialist had none."""

    specialist = models.ForeignKey(
        EmploymentSpecialist,
        on_delete=models.CASCADE,
        related_name="fte_shares",
        verbose_name=_("arbetsspecialist"),
    )
    valid_from = models.DateField(_("gäller från"))
    fte = models.DecimalField(
        _("årsarbetare (andel av heltid)"),
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("1 är heltid, 0,5 halvtid. 0 när personen slutar som arbetsspecialist."),
    )

    class Meta:
        ordering = ["specialist", "valid_from"]
        verbose_name = _("andel av heltid")
        verbose_name_plural = _("andel av heltid över tid")
        constraints = [
            models.UniqueConstraint(
                fields=["specialist", "valid_from"], name="one_fte_share_per_day"
            )
        ]

    def __str__(self) -> str:
        return _("%(specialist)s: %(fte)s från %(date)s") % {
            "specialist": self.specialist,
            "fte": self.fte,
            "date": self.valid_from.isoformat(),
        }


def fte_on(shares: list[tuple[datetime.date, Decimal]], day: datetime.date) -> Decimal:
    """The share that applies on `day`: the latest one from that day or earlier, else 0."""
    current = Decimal(0)
    for valid_from, fte in shares:
        if valid_from > day:
            break
        current = fte
    return current


def fte_days(
    shares: list[tuple[datetime.date, Decimal]], start: datetime.date, end: datetime.date
) -> Decimal:
    """The FTE summed over each day from `start` to `end`, both included: divided by the
    days it is the period's average share, by a year's days the FTE-years worked."""
    total = Decimal(0)
    bounds = [*shares, (end + datetime.timedelta(days=1), Decimal(0))]
    for (valid_from, fte), (next_from, _next) in itertools.pairwise(bounds):
        first, last = max(valid_from, start), min(next_from - datetime.timedelta(days=1), end)
        if first <= last:
            total += fte * ((last - first).days + 1)
    return total


class Step(models.TextChoices):
    INTAKE = "intake", _("inskrivning")
    PROFILE = "profile", _("yrkesprofil")
    JOB_SEARCH = "job_search", _("jobbsökande")
    STARTED = "started", _("anställning eller studier påbörjade")
    FOLLOW_ALONG = "follow_along", _("stöd i arbetet")
    ENDED = "ended", _("avslutat")


# The IPS path: from each step, where a case may go next. A job that ends sends the case
# back to job search; an ended case is final (a new case is opened if the person returns).
TRANSITIONS: dict[str, list[str]] = {
    Step.INTAKE: [Step.PROFILE, Step.ENDED],
    Step.PROFILE: [Step.JOB_SEARCH, Step.ENDED],
    Step.JOB_SEARCH: [Step.STARTED, Step.PROFILE, Step.ENDED],
    Step.STARTED: [Step.FOLLOW_ALONG, Step.JOB_SEARCH, Step.ENDED],
    Step.FOLLOW_ALONG: [Step.JOB_SEARCH, Step.ENDED],
    Step.ENDED: [],
}
# The steps before a job or studies start: job development, where the fidelity scale's
# employer contacts are what moves a case. The seeds say nothing of contacts once someone
# works; the support then is follow-along (with the person and, if they agree, the
# employer), so the "too long without an employer contact" flag is for these steps only.
JOB_SEEKING_STEPS = [Step.INTAKE, Step.PROFILE, Step.JOB_SEARCH]
NEXT_STEP = {
    Step.INTAKE: _("Gör yrkesprofilen tillsammans med personen"),
    Step.PROFILE: _("Börja söka arbete eller studier"),
    Step.JOB_SEARCH: _("Kontakta arbetsgivare"),
    Step.STARTED: _("Stöd personen i början av arbetet"),
    Step.FOLLOW_ALONG: _("Följ upp med personen och arbetsgivaren"),
    Step.ENDED: "",
}


class CaseOutcome(models.TextChoices):
    """R11: what the case led to; the place ends with the matching outcome."""

    JOB = "job", _("arbete")
    STUDIES = "studies", _("studier")
    INTERNSHIP = "internship", _("praktik")
    OTHER_MEASURE = "other_measure", _("annan insats")
    NONE = "none", _("avslutat utan arbete eller studier")


PLACE_OUTCOME = {
    CaseOutcome.JOB: Outcome.EMPLOYMENT,
    CaseOutcome.STUDIES: Outcome.STUDIES,
    CaseOutcome.INTERNSHIP: Outcome.INTERNSHIP,
    CaseOutcome.OTHER_MEASURE: Outcome.OTHER_SERVICE,
    CaseOutcome.NONE: Outcome.ENDED_EARLY,
}


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: User) -> CaseQuerySet:
        """Cases of people the user may see, in programmes of the user's units (L2, L4)."""
        return self.filter(
            enrolment__programme__unit__in=Unit.objects.filter(staff=user),
            enrolment__participant__in=Participant.objects.visible_to(user),
        )

    def active_on(self, day: datetime.date) -> CaseQuerySet:
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day), intake_on__lte=day)


class Case(models.Model):
    """One person's IPS case: a place in the programme, worked by one specialist."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="employment_case"
    )
    programme = models.ForeignKey(
        EmploymentProgramme, on_delete=models.PROTECT, related_name="cases"
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="employment_cases",
        verbose_name=_("arbetsspecialist"),
    )
    intake_on = models.DateField(_("inskrivning"))
    step = models.CharField(_("steg"), max_length=16, choices=Step, default=Step.INTAKE)
    outcome = models.CharField(_("utfall"), max_length=16, choices=CaseOutcome, blank=True)
    ended_on = models.DateField(_("avslutat"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-intake_on", "-pk"]
        verbose_name = _("IPS-ärende")
        verbose_name_plural = _("IPS-ärenden")
        indexes = [models.Index(fields=["programme", "intake_on"])]

    def __str__(self) -> str:
        return str(_("Ärende %(pk)s") % {"pk": self.pk})

    @property
    def participant(self) -> Participant:
        return self.enrolment.participant

    @property
    def is_ended(self) -> bool:
        return self.step == Step.ENDED

    def allowed_steps(self) -> list[str]:
        return TRANSITIONS[self.step]

    def next_step(self) -> str:
        return str(NEXT_STEP[Step(self.step)])


class CaseStep(models.Model):
    """One recorded step on a case: who moved it, from what, to what, when."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="steps")
    from_step = models.CharField(max_length=16, choices=Step, blank=True)
    to_step = models.CharField(max_length=16, choices=Step)
    on = models.DateField(_("datum"))
    note = models.TextField(_("anteckning"), blank=True)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["on", "at", "pk"]
        verbose_name = _("steg i IPS-ärende")
        verbose_name_plural = _("steg i IPS-ärenden")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_step} → {self.to_step} {self.on}"


class Employer(models.Model):
    """An employer in the unit's register (job development)."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="employers", verbose_name=_("enhet")
    )
    name = models.CharField(_("namn"), max_length=160)
    organisation_number = models.CharField(_("organisationsnummer"), max_length=20, blank=True)
    industry = models.CharField(_("bransch"), max_length=120, blank=True)
    contact_name = models.CharField(_("kontaktperson"), max_length=120, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    notes = models.TextField(_("anteckningar"), blank=True)
    active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("arbetsgivare")
        verbose_name_plural = _("arbetsgivare")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="one_employer_per_name")
        ]

    def __str__(self) -> str:
        return self.name


class ContactKind(models.TextChoices):
    FIRST = "first", _("första kontakt")
    MEETING = "meeting", _("möte")
    PLACEMENT = "placement", _("placering")
    FOLLOW_UP = "follow_up", _("uppföljning")


class EmployerContact(models.Model):
    """A contact with an employer, for one person's case or for job development in general."""

    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("arbetsgivare")
    )
    on = models.DateField(_("datum"))
    kind = models.CharField(_("typ av kontakt"), max_length=12, choices=ContactKind)
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        related_name="employer_contacts",
        null=True,
        blank=True,
        verbose_name=_("för ärende"),
        help_text=_("Tomt = jobbutveckling i allmänhet."),
    )
    note = models.TextField(_("anteckning"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="employer_contacts",
        verbose_name=_("vem"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A key from the form page: a double submit finds the first contact instead of a copy.
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("arbetsgivarkontakt")
        verbose_name_plural = _("arbetsgivarkontakter")
        indexes = [models.Index(fields=["by", "on"])]

    def __str__(self) -> str:
        return f"{self.on} {self.employer}"


class JobKind(models.TextChoices):
    JOB = "job", _("anställning")
    SUBSIDISED = "subsidised", _("anställning med lönestöd")
    STUDIES = "studies", _("studier")
    INTERNSHIP = "internship", _("praktik")


WORK_KINDS = [JobKind.JOB, JobKind.SUBSIDISED]
# R11: a case led to work, studies or an internship only if such a start is recorded; a
# start of that kind may go on after the case ends (the support ends, the job does not).
KINDS_OF_OUTCOME: dict[str, list[JobKind]] = {
    CaseOutcome.JOB: WORK_KINDS,
    CaseOutcome.STUDIES: [JobKind.STUDIES],
    CaseOutcome.INTERNSHIP: [JobKind.INTERNSHIP],
    CaseOutcome.OTHER_MEASURE: [],
    CaseOutcome.NONE: [],
}
OUTCOME_OF_KIND = {kind: outcome for outcome, kinds in KINDS_OF_OUTCOME.items() for kind in kinds}


class JobStart(models.Model):
    """A job, studies or internship that started for a person in a case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="job_starts")
    employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        related_name="job_starts",
        null=True,
        blank=True,
        verbose_name=_("arbetsgivare eller skola"),
    )
    kind = models.CharField(_("typ"), max_length=12, choices=JobKind)
    start_date = models.DateField(_("startdatum"))
    hours_per_week = models.DecimalField(
        _("timmar per vecka"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    end_date = models.DateField(_("slutdatum"), null=True, blank=True)
    end_reason = models.TextField(_("varför det slutade"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # A key from the case page: a double submit finds the first start instead of a copy or
    # a message that someone else changed the case.
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("anställning eller studiestart")
        verbose_name_plural = _("anställningar och studiestarter")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_date}"

    @property
    def is_work(self) -> bool:
        return self.kind in WORK_KINDS

    def still_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)

    def goes_on_after(self, day: datetime.date) -> bool:
        return self.end_date is None or self.end_date > day

    def mark(self, months: int) -> datetime.date:
        """The day `months` after the start (clamped to the month's end)."""
        return self.start_date + relativedelta(months=months)
