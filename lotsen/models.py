"""Units, their programmes (with the commission's rules as data) and staff."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pgtrigger
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    name = models.CharField(_("namn"), max_length=120, unique=True)
    slug = models.SlugField(_("kortnamn"), unique=True)
    address = models.CharField(_("adress"), max_length=200, blank=True)
    home_municipality = models.CharField(
        _("hemkommun"),
        max_length=80,
        default="Linköping",
        help_text=_("Besökare ska vara folkbokförda här; undantag registreras (R3)."),
    )
    commissioned_open_days = models.PositiveSmallIntegerField(
        _("beställda öppetdagar per år"),
        null=True,
        blank=True,
        help_text=_("R16: dagverksamheten är öppen 230 dagar om året."),
    )
    evening_from = models.TimeField(
        _("kvällsöppet från"),
        default=datetime.time(17, 0),
        help_text=_("Öppettider som pågår efter denna tid räknas som kvällsöppet (R16)."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")

    def __str__(self) -> str:
        return self.name

    @cached_property
    def runs_work_training(self) -> bool:
        """Whether the unit has first-step training: its pages show training hours (R6).
        A page that has read the unit's programmes sets it."""
        return self.programmes.filter(is_work_training=True).exists()


class IntervalUnit(models.TextChoices):
    WEEKS = "weeks", _("veckor")
    MONTHS = "months", _("månader")


def interval(value: int | None, unit: str) -> relativedelta | None:
    """A calendar interval; month arithmetic clamps to the month's end."""
    if value is None:
        return None
    if unit == IntervalUnit.WEEKS:
        return relativedelta(weeks=value)
    return relativedelta(months=value)


class CapacityKind(models.TextChoices):
    NONE = "none", _("ingen gräns")
    HOURS_PER_WEEK = "hours_per_week", _("planerade timmar per vecka, delade")
    PEOPLE = "people", _("personer samtidigt")
    GROUP_SIZE = "group_size", _("personer per grupp")
    NEW_CASES_PER_YEAR = "new_cases_per_year", _("nya ärenden per år")


class VisitRecording(models.TextChoices):
    """L7: some open services are documented without identifying the person."""

    NAMED = "named", _("besök registreras med namn")
    NAMED_AND_COUNT = "named_and_count", _("med namn, och anonyma besökare räknas")
    COUNT_ONLY = "count_only", _("besökare räknas bara, utan namn")


class Programme(models.Model):
    """A service a unit offers. Every number from the commission is a field here (R5-R18)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="programmes")
    name = models.CharField(_("namn"), max_length=120)
    slug = models.SlugField(_("kortnamn"), unique=True)
    description = models.TextField(_("beskrivning"), blank=True)
    capacity_kind = models.CharField(
        _("typ av kapacitet"),
        max_length=24,
        choices=CapacityKind,
        default=CapacityKind.NONE,
    )
    capacity = models.DecimalField(
        _("kapacitet"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    min_hours_per_week = models.DecimalField(
        _("minsta antal timmar per vecka"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    max_duration = models.PositiveIntegerField(_("längsta tid"), null=True, blank=True)
    max_duration_unit = models.CharField(
        _("enhet för längsta tid"),
        max_length=8,
        choices=IntervalUnit,
        default=IntervalUnit.MONTHS,
    )
    follow_up_interval = models.PositiveIntegerField(
        _("intervall för uppföljning av plan"), null=True, blank=True
    )
    follow_up_interval_unit = models.CharField(
        _("enhet för uppföljningsintervall"),
        max_length=8,
        choices=IntervalUnit,
        default=IntervalUnit.MONTHS,
    )
    plan_renewal_months = models.PositiveSmallIntegerField(
        _("planen förnyas senast efter (månader)"),
        null=True,
        blank=True,
        # R14: at least once a year; a commission may ask for more often, never less.
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("R14: minst en gång per år."),
    )
    min_age = models.PositiveSmallIntegerField(_("lägsta ålder"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("högsta ålder"), null=True, blank=True)
    group_min = models.PositiveSmallIntegerField(_("minsta grupp"), null=True, blank=True)
    group_max = models.PositiveSmallIntegerField(_("största grupp"), null=True, blank=True)
    requires_contact_person = models.BooleanField(_("kontaktman krävs"), default=False)
    visit_recording = models.CharField(
        _("hur besök dokumenteras"),
        max_length=16,
        choices=VisitRecording,
        default=VisitRecording.NAMED,
        help_text=_("L7: en öppen insats kan dokumenteras utan att personen identifieras."),
    )
    low_attendance_weeks = models.PositiveSmallIntegerField(
        _("veckor i rad under minsta tid innan kontaktmannen varnas"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("R6: tom = ingen varning."),
    )
    has_external_workplace = models.BooleanField(
        _("träningsplats utanför enheten"),
        default=False,
        help_text=_(
            "Arbetsplatsen (arbetsgivare, handledare, anpassningar) registreras (Team ISA)."
        ),
    )
    is_work_training = models.BooleanField(
        _("förstegsträning"),
        default=False,
        help_text=_("Räknas som förstegsträning i rapporter (Lotsen och Team ISA)."),
    )
    presented_at_outreach = models.BooleanField(
        _("presenteras vid uppsökande verksamhet"),
        default=False,
        help_text=_(
            "Personer i programmets ålder som möts hos boendestöd ska få information om "
            "programmet (Team ISA)."
        ),
    )
    rules = models.CharField(
        _("regler"),
        max_length=120,
        blank=True,
        help_text=_("Regelnummer ur DOMAIN.md, t.ex. R5, R6."),
    )

    class Meta:
        ordering = ["unit__name", "name"]
        verbose_name = _("program")
        verbose_name_plural = _("program")

    def __str__(self) -> str:
        return self.name

    @property
    def requires_plan(self) -> bool:
        """R13: a programme with a follow-up interval needs a plan for every place."""
        return self.follow_up_interval is not None

    @property
    def records_names(self) -> bool:
        return self.visit_recording != VisitRecording.COUNT_ONLY

    @property
    def counts_anonymous(self) -> bool:
        return self.visit_recording != VisitRecording.NAMED

    @property
    def limits_hours(self) -> bool:
        return self.capacity_kind == CapacityKind.HOURS_PER_WEEK and self.capacity is not None

    @property
    def limits_people(self) -> bool:
        return self.capacity_kind == CapacityKind.PEOPLE and self.capacity is not None

    def renewal_delta(self) -> relativedelta | None:
        return interval(self.plan_renewal_months, IntervalUnit.MONTHS)

    def follow_up_delta(self) -> relativedelta | None:
        return interval(self.follow_up_interval, self.follow_up_interval_unit)

    def latest_end(self, start: datetime.date) -> datetime.date | None:
        """R7: the last day a place that starts on `start` may last."""
        delta = interval(self.max_duration, self.max_duration_unit)
        if delta is None:
            return None
        return start + delta - datetime.timedelta(days=1)

    def fits_age(self, age: int) -> bool:
        """Whether a person of `age` is in the programme's age span (R8, R17)."""
        too_young = self.min_age is not None and age < self.min_age
        too_old = self.max_age is not None and age > self.max_age
        return not (too_young or too_old)

    def capacity_value(self) -> Decimal:
        return self.capacity if self.capacity is not None else Decimal(0)


class Role(models.TextChoices):
    SUPPORT = "support", _("stödassistent/stödpedagog")
    OCCUPATIONAL_THERAPIST = "ot", _("arbetsterapeut")
    DRUG_THERAPIST = "drug_therapist", _("alkohol- och drogterapeut")
    MANAGER = "manager", _("enhetschef")
    ADMINISTRATOR = "admin", _("administratör")


class User(AbstractUser):
    role = models.CharField(_("roll"), max_length=20, choices=Role, default=Role.SUPPORT)
    units = models.ManyToManyField(
        Unit, verbose_name=_("enheter"), related_name="staff", blank=True
    )

    class Meta:
        verbose_name = _("medarbetare")
        verbose_name_plural = _("personal")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        """The full name; an account without one (such as the administrator's) by its
        username, marked as such so that it does not read as a person's name."""
        return self.get_full_name() or str(
            _("%(username)s (användarnamn, inget namn angivet)") % {"username": self.username}
        )

    @property
    def is_manager(self) -> bool:
        return self.role in (Role.MANAGER, Role.ADMINISTRATOR)


class AuditLogEntry(LogEntry):
    """The audit log (django-auditlog's table) as seen by our triggers: on PostgreSQL no
    client may change or delete a log row; retention (L3) sets the trigger aside for its
    own transaction only (decision 0016)."""

    class Meta:
        proxy = True
        triggers = [
            pgtrigger.Protect(
                name="audit_log_never_changes",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]


class SignedInSession(AbstractBaseSession):
    """Django's database session with the user and the second-factor device it names kept
    in columns beside the signed data, so that a signed-in request reads its session, user
    and device in one query (lotsen.sessions). The columns are rewritten from the data on
    every save; what they say is used only while the data still says the same."""

    user = models.ForeignKey(
        User,
        null=True,
        on_delete=models.CASCADE,  # a deleted user's sessions go with them
        db_constraint=False,  # a session saved as its user is deleted is not an error
        related_name="+",
    )
    device_model = models.CharField(max_length=100, blank=True)  # "otp_totp.totpdevice"
    device_id = models.BigIntegerField(null=True)

    @classmethod
    def get_session_store_class(cls) -> type:
        from lotsen.sessions import SessionStore

        return SessionStore
