"""Plans (genomförandeplaner), their follow-ups, and the record of reminder e-mails sent."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypedDict

import pgtrigger
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from participants.models import Enrolment

if TYPE_CHECKING:
    from lotsen.models import User


class PlanQuerySet(models.QuerySet["Plan"]):
    def in_active_places(self, on: datetime.date) -> PlanQuerySet:
        return self.filter(
            Q(enrolment__end_date__isnull=True) | Q(enrolment__end_date__gte=on),
            enrolment__start_date__lte=on,
        )

    def for_units(self, units: models.QuerySet) -> PlanQuerySet:
        return self.filter(enrolment__programme__unit__in=units)


class Method(models.Model):
    """Working methods (R12): ESL, Supported Employment, IPS, …; administrators add more."""

    name = models.CharField(_("namn"), max_length=80, unique=True)
    active = models.BooleanField(_("används"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("metod")
        verbose_name_plural = _("metoder")

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    """The plan for one place, written together with the person (R12, R14).

    Every change keeps the earlier text as a PlanVersion; `revision` detects two staff
    saving the same plan at once.
    """

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="plan")
    established_on = models.DateField(_("upprättad"))
    goals = models.TextField(_("övergripande mål"))
    participation = models.TextField(
        _("personens delaktighet"),
        blank=True,
        help_text=_("Hur personen deltog och personens egna ord."),
    )
    methods = models.ManyToManyField(Method, verbose_name=_("metoder"), blank=True)
    collaboration = models.TextField(
        _("samverkan"),
        blank=True,
        help_text=_("Hur vi arbetar med boendestöd, arbetsmarknadsförvaltningen och andra."),
    )
    summary = models.TextField(_("sammanfattning"))
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    follow_up_due = models.DateField(_("nästa uppföljning"), null=True, blank=True)
    renewal_due = models.DateField(_("förnyas senast"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("planer")
        indexes = [
            models.Index(fields=["follow_up_due"]),
            models.Index(fields=["renewal_due"]),
        ]

    def __str__(self) -> str:
        return str(_("Plan för %(place)s") % {"place": self.enrolment})

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        # The place carries a copy of the schedule for the daily reminders (one table).
        Enrolment.objects.filter(pk=self.enrolment_id).update(
            has_plan=True,
            plan_follow_up_due=self.follow_up_due,
            plan_renewal_due=self.renewal_due,
        )

    def due_after(self, day: datetime.date) -> datetime.date | None:
        """R13: one interval after `day`; month ends clamp (30 Nov + 3 months = 28 Feb)."""
        delta = self.enrolment.programme.follow_up_delta()
        return None if delta is None else day + delta

    def record_follow_up(
        self,
        *,
        on: datetime.date,
        by: User,
        progress: str = "",
        next_steps: str = "",
        attendees: str = "",
        goals: Sequence[GoalProgressInput] = (),
    ) -> FollowUp:
        """R13: record a follow-up with progress on each goal; the next one is due one
        programme interval after the latest follow-up."""
        with transaction.atomic():
            # Locked: two follow-ups saved at once must both count when the date moves.
            Plan.objects.select_for_update().filter(pk=self.pk).first()
            follow_up = FollowUp.objects.create(
                plan=self,
                date=on,
                attendees=attendees,
                progress=progress,
                next_steps=next_steps,
                created_by=by,
            )
            GoalProgress.objects.bulk_create(
                GoalProgress(follow_up=follow_up, position=index, **goal)
                for index, goal in enumerate(goals)
            )
            latest = max(on, *FollowUp.objects.filter(plan=self).values_list("date", flat=True))
            self.follow_up_due = self.due_after(latest)
            self.save(update_fields=["follow_up_due"])
        return follow_up


class PlanActivity(models.Model):
    """One activity of a plan (R12): its own goal, what is done, who is responsible, when
    and how. Rows change only through plan_update, which keeps the earlier rows in the
    PlanVersion it writes."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveSmallIntegerField(default=0)
    goal = models.TextField(_("delmål"), help_text=_("Vad aktiviteten ska leda till."))
    activity = models.TextField(_("aktivitet"), help_text=_("Vad som ska göras."))
    responsible = models.CharField(
        _("ansvarig"), max_length=200, help_text=_("Till exempel personen, kontaktman, boendestöd.")
    )
    when = models.CharField(_("när"), max_length=200, help_text=_("Till exempel tisdagar 9–12."))
    how = models.TextField(_("hur"), blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("aktivitet i plan")
        verbose_name_plural = _("aktiviteter i planer")

    def __str__(self) -> str:
        return self.goal[:60]

    def as_row(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in ACTIVITY_FIELDS}


ACTIVITY_FIELDS = ("goal", "activity", "responsible", "when", "how")


class PlanVersion(models.Model):
    """An earlier text of a plan, kept unchanged when the plan was edited or renewed (L1)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    revision = models.PositiveIntegerField()
    established_on = models.DateField(_("upprättad"))
    goals = models.TextField(_("övergripande mål"))
    activities = models.TextField(_("aktiviteter"), blank=True)
    activity_rows = models.JSONField(_("aktiviteter"), default=list, blank=True)
    participation = models.TextField(_("personens delaktighet"), blank=True)
    methods = models.TextField(_("metoder"), blank=True)
    collaboration = models.TextField(_("samverkan"), blank=True)
    summary = models.TextField(_("sammanfattning"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    replaced_at = models.DateTimeField(auto_now_add=True)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    renewed = models.BooleanField(_("ersatt av en förnyad plan"), default=False)

    class Meta:
        ordering = ["-revision"]
        verbose_name = _("tidigare version av plan")
        verbose_name_plural = _("tidigare versioner av planer")
        constraints = [
            models.UniqueConstraint(fields=["plan", "revision"], name="one_version_per_revision")
        ]
        # L1: an earlier text is never rewritten; retention alone sets this aside (0016).
        triggers = [
            pgtrigger.Protect(
                name="plan_version_never_changes",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.revision}"


class FollowUp(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="follow_ups")
    date = models.DateField(_("datum"))
    attendees = models.CharField(
        _("vilka deltog"),
        max_length=300,
        blank=True,
        help_text=_("Till exempel personen, kontaktman, boendestöd."),
    )
    progress = models.TextField(_("anteckningar"), blank=True)
    next_steps = models.TextField(_("nästa steg"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-date"]
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        constraints = [
            models.UniqueConstraint(fields=["plan", "date"], name="one_follow_up_per_plan_and_day")
        ]
        triggers = [
            pgtrigger.Protect(
                name="follow_up_never_changes",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.date}"


class Progress(models.TextChoices):
    ACHIEVED = "achieved", _("uppnått")
    ON_THE_WAY = "on_the_way", _("på väg")
    UNCHANGED = "unchanged", _("ingen förändring")
    NOT_STARTED = "not_started", _("inte påbörjat")
    CHANGE_GOAL = "change_goal", _("målet behöver ändras")


class GoalProgress(models.Model):
    """How one goal developed at a follow-up. The goal's text is copied, so the follow-up
    reads the same after the plan is changed."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveSmallIntegerField(default=0)
    activity = models.ForeignKey(
        PlanActivity, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    goal = models.TextField(_("mål"))
    status = models.CharField(_("utveckling"), max_length=20, choices=Progress)
    comment = models.TextField(_("kommentar"), blank=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("utveckling mot mål")
        verbose_name_plural = _("utveckling mot mål")
        triggers = [
            pgtrigger.Protect(
                name="goal_progress_never_changes",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"{self.goal[:40]}: {self.get_status_display()}"


class GoalProgressInput(TypedDict):
    activity: PlanActivity | None
    goal: str
    status: str
    comment: str


class DigestKind(models.TextChoices):
    DAILY = "daily", _("daglig påminnelse")
    WEEKLY = "weekly", _("veckosammanställning")


class ReminderDigest(models.Model):
    """One reminder e-mail per person, day and kind; the row makes sending idempotent."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reminder_digests"
    )
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=DigestKind, default=DigestKind.DAILY)
    item_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "date", "kind"], name="one_digest_per_day_and_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.date}"
