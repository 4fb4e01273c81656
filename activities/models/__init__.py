"""The unit's day: group activities (R17, R18) with sessions, members and attendance, and
anonymous visit counts (L7). The opening calendar is in `calendar.py`."""

from __future__ import annotations

import datetime

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from activities.models.calendar import ClosureDay, ExtraOpening, OpeningHours, Weekday
from lotsen.models import Programme, Unit


class ActivityKind(models.TextChoices):
    ACTIVITY = "activity", _("aktivitet")
    INFORMATION_MEETING = "information_meeting", _("informationsmöte")
    STUDY_VISIT = "study_visit", _("studiebesök")
    ESL_GROUP = "esl_group", _("ESL-grupp")
    GROUP_TREATMENT = "group_treatment", _("gruppbehandling")
    MOTIVATION_GROUP = "motivation_group", _("motivationsgrupp")
    OUTREACH = "outreach", _("uppsökande verksamhet")


class ActivityQuerySet(models.QuerySet["Activity"]):
    def for_units(self, units: object) -> ActivityQuerySet:
        return self.filter(unit__in=units)


class Activity(models.Model):
    """One activity or a recurring series (e.g. every Tuesday and Thursday).

    Its sessions are stored one by one (`Session`), so that a single session can be moved
    or cancelled without touching the series.
    """

    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), on_delete=models.PROTECT)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="activities",
        null=True,
        blank=True,
        help_text=_("Gruppstorlek och åldersgränser hämtas från programmet."),
    )
    kind = models.CharField(_("typ"), max_length=24, choices=ActivityKind)
    title = models.CharField(_("namn"), max_length=120)
    place = models.CharField(_("plats"), max_length=120)
    description = models.TextField(_("beskrivning"), blank=True)
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("ledare"), related_name="led_activities"
    )
    weekdays = models.CharField(
        _("veckodagar"), max_length=20, blank=True, help_text=_("0 = måndag … 6 = söndag.")
    )
    first_date = models.DateField(_("första datum"))
    last_date = models.DateField(_("sista datum"))
    starts_at = models.TimeField(_("börjar"))
    ends_at = models.TimeField(_("slutar"))
    max_participants = models.PositiveSmallIntegerField(
        _("högst antal deltagare"),
        null=True,
        blank=True,
        help_text=_("Tomt = programmets största grupp, eller ingen gräns."),
    )
    is_public = models.BooleanField(
        _("visas på de öppna sidorna"),
        default=False,
        help_text=_("T.ex. informationsmöten och studiebesök."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        db_table = "participants_activity"  # the table predates the app
        ordering = ["first_date", "starts_at"]
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_date__gte=F("first_date")),
                name="activity_dates_in_order",
                violation_error_message=_(
                    "Sista datum ligger före första datum. Välj ett senare sista datum."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="activity_ends_after_start",
                violation_error_message=_("Sluttiden ligger före starttiden. Välj en senare tid."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def weekday_numbers(self) -> list[int]:
        return [int(d) for d in self.weekdays.split(",") if d.strip()]

    @property
    def weekday_labels(self) -> list[str]:
        return [str(Weekday(d).label) for d in self.weekday_numbers]

    def participant_limit(self) -> int | None:
        """The group size limit: the activity's own, else the programme's (R17, R18)."""
        if self.max_participants is not None:
            return self.max_participants
        return self.programme.group_max if self.programme else None

    def age_limits(self) -> tuple[int | None, int | None]:
        if self.programme is None:
            return None, None
        return self.programme.min_age, self.programme.max_age


class SessionQuerySet(models.QuerySet["Session"]):
    def between(self, start: datetime.date, end: datetime.date) -> SessionQuerySet:
        return self.filter(date__range=(start, end))


class Session(models.Model):
    """One meeting of an activity; moved (new date or time) or cancelled one by one."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    original_date = models.DateField(_("ursprungligt datum"))
    date = models.DateField(_("datum"))
    starts_at = models.TimeField(_("börjar"))
    ends_at = models.TimeField(_("slutar"))
    place = models.CharField(_("plats"), max_length=120)
    cancelled = models.BooleanField(_("inställd"), default=False)
    cancel_reason = models.CharField(_("anledning"), max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        db_table = "participants_session"  # the table predates the app
        ordering = ["date", "starts_at"]
        verbose_name = _("tillfälle")
        verbose_name_plural = _("tillfällen")
        indexes = [models.Index(fields=["date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "original_date"], name="one_session_per_series_day"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("Sluttiden ligger före starttiden. Välj en senare tid."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.date}"

    @property
    def is_moved(self) -> bool:
        return self.date != self.original_date


class ActivityMember(models.Model):
    """A participant who belongs to a group (e.g. a 12-step group of 6-8, R18)."""

    # PROTECT: deleting a group never takes its members' records with it.
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="members")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="activity_memberships"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "participants_activitymember"  # the table predates the app
        ordering = ["participant__last_name", "participant__first_name"]
        verbose_name = _("gruppmedlem")
        verbose_name_plural = _("gruppmedlemmar")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "participant"], name="one_membership_per_activity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.activity}"


class SessionAttendance(models.Model):
    """A participant came to a session; recorded once (a double click counts once)."""

    # PROTECT: deleting an activity or session never takes who came with it.
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendances")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="session_attendances"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "participants_sessionattendance"  # the table predates the app
        ordering = ["session__date"]
        verbose_name = _("närvaro vid tillfälle")
        verbose_name_plural = _("närvaro vid tillfällen")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"], name="one_attendance_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.session}"


class AnonymousVisit(models.Model):
    """L7: a visitor counted without identity (+1, or -1 to correct a mistake).

    The count of a programme and day is the sum of the deltas. Each rendered button carries
    a fresh token, unique here, so a double click or a retry is counted once while two
    staff counting at the same time both count.
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="anonymous_visits"
    )
    date = models.DateField(_("datum"))
    delta = models.SmallIntegerField(_("ändring"))
    token = models.CharField(max_length=36, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "participants_anonymousvisit"  # the table predates the app
        ordering = ["date"]
        verbose_name = _("anonymt besök")
        verbose_name_plural = _("anonyma besök")
        indexes = [models.Index(fields=["programme", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(delta__in=[1, -1]), name="anonymous_visit_counts_one"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.date} {self.delta:+d}"


class AttendanceCorrection(models.Model):
    """A mark changed or removed after the correction window (L1): the old mark stays
    readable with who changed it, when and why. Written once, never changed."""

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="attendance_corrections"
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="corrections", null=True, blank=True
    )
    date = models.DateField(_("datum"))
    old_hours = models.DecimalField(
        _("timmar före"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    new_hours = models.DecimalField(
        _("timmar efter"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    removed = models.BooleanField(_("närvaron togs bort"), default=False)
    reason = models.TextField(_("skäl"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("rättad"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("rättelse av närvaro")
        verbose_name_plural = _("rättelser av närvaro")
        indexes = [models.Index(fields=["date"])]
        triggers = [
            pgtrigger.Protect(
                name="attendance_correction_never_changes",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.date}"


__all__ = [
    "Activity",
    "ActivityKind",
    "ActivityMember",
    "AnonymousVisit",
    "AttendanceCorrection",
    "ClosureDay",
    "ExtraOpening",
    "OpeningHours",
    "Session",
    "SessionAttendance",
    "Weekday",
]
