"""The manager's part of the annual report (R19, R20): the text, the goals, and the files
made; and retention runs (L3): a yearly proposal of the records due for deletion, approved by
the unit manager person by person (decision 0016)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lotsen.models import Unit

TEXT_FIELDS = ("introduction", "quality_work", "analysis", "next_focus")


class ReportSchedule(models.Model):
    """When a unit's report for a year is due the next year, and when reminding starts (R20).

    Beroendemottagningen's is due 31 March, reminded from 1 March; a unit without a schedule
    is not reminded."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="report_schedule")
    due_month = models.PositiveSmallIntegerField(_("lämnas senast (månad)"))
    due_day = models.PositiveSmallIntegerField(_("lämnas senast (dag)"))
    remind_from_month = models.PositiveSmallIntegerField(_("påminnelse från (månad)"))
    remind_from_day = models.PositiveSmallIntegerField(_("påminnelse från (dag)"))

    class Meta:
        verbose_name = _("tidplan för verksamhetsberättelse")
        verbose_name_plural = _("tidplaner för verksamhetsberättelser")

    def __str__(self) -> str:
        return str(self.unit)


class ReportText(models.Model):
    """The manager's text for one unit and year; each change keeps the earlier version."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="report_texts")
    year = models.PositiveSmallIntegerField(_("år"))
    introduction = models.TextField(_("inledning"), blank=True)
    quality_work = models.TextField(_("årets kvalitetsarbete"), blank=True)
    analysis = models.TextField(_("analys"), blank=True)
    next_focus = models.TextField(_("fokus nästa år"), blank=True)
    revision = models.PositiveIntegerField(default=0)
    saved_at = models.DateTimeField(null=True, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    # R20: the report is sent to the administration (Beroendemottagningen by 31 March).
    sent_on = models.DateField(_("skickad till beställaren"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("verksamhetsberättelsens text")
        verbose_name_plural = _("verksamhetsberättelsernas texter")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_report_text_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"

    def texts(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in TEXT_FIELDS}


class ReportTextVersion(models.Model):
    """An earlier wording of the text, kept readable when a save changed it."""

    text = models.ForeignKey(ReportText, on_delete=models.CASCADE, related_name="versions")
    revision = models.PositiveIntegerField()
    introduction = models.TextField(blank=True)
    quality_work = models.TextField(blank=True)
    analysis = models.TextField(blank=True)
    next_focus = models.TextField(blank=True)
    saved_at = models.DateTimeField(null=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["-revision"]
        constraints = [
            models.UniqueConstraint(fields=["text", "revision"], name="one_report_text_version")
        ]

    def __str__(self) -> str:
        return f"{self.text} v{self.revision}"


class Indicator(models.TextChoices):
    """The fixed catalogue of indicators computed from the register (R19)."""

    NEXT_STEP_SHARE = (
        "next_step_share",
        _(
            "Andel avslutade träningar som ledde till arbete, studier, praktik "
            "eller arbetsmarknadsinsats (%)"
        ),
    )
    HOUSING_SUPPORT_CHANGE = (
        "housing_support_change",
        _("Förändring av boendestöd mellan start och avslut (timmar per vecka)"),
    )
    OPEN_DAYS = "open_days", _("Öppna dagar under året")
    MEDIAN_WAIT = "median_wait", _("Median väntetid från anmälan till antagning (dagar)")
    FOLLOW_UPS_ON_TIME = "follow_ups_on_time", _("Andel planuppföljningar gjorda i tid (%)")
    TRAINING_HOURS_USE = (
        "training_hours_use",
        _("Utnyttjande av förstegsträningens timmar (% av planerade platser)"),
    )
    IPS_GOT_WORK = "ips_got_work", _("Personer som fick arbete genom Supported Employment")
    IPS_STARTED_STUDIES = "ips_started_studies", _("Personer som började studera")
    IPS_NEW_CASES = "ips_new_cases", _("Nya ärenden under året")
    COURSE_COMPLETED_SHARE = (
        "course_completed_share",
        _("Andel som fullföljde primärbehandlingen (%)"),
    )
    GROUP_ATTENDANCES = "group_attendances", _("Deltagartillfällen i gruppbehandling")


class Goal(models.Model):
    """An effect goal for one unit and year, measured by an indicator from the catalogue."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="report_goals")
    year = models.PositiveSmallIntegerField(_("år"))
    title = models.CharField(_("effektmål"), max_length=200)
    indicator = models.CharField(_("indikator"), max_length=32, choices=Indicator)
    target = models.DecimalField(_("målvärde"), max_digits=9, decimal_places=1)
    comment = models.TextField(_("kommentar"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["year", "pk"]
        verbose_name = _("effektmål")
        verbose_name_plural = _("effektmål")

    def __str__(self) -> str:
        return self.title


class FileStatus(models.TextChoices):
    QUEUED = "queued", _("i kö")
    RUNNING = "running", _("skapas")
    DONE = "done", _("klar")
    FAILED = "failed", _("misslyckades")


class ReportFile(models.Model):
    """One generated PDF of a unit's report; generating again makes a new version."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="report_files")
    year = models.PositiveSmallIntegerField(_("år"))
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(max_length=8, choices=FileStatus, default=FileStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # per cent
    pdf = models.BinaryField(null=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("rapportfil")
        verbose_name_plural = _("rapportfiler")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "version"], name="one_report_file_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} v{self.version}"


class RetentionRun(models.Model):
    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("år"))
    proposed_at = models.DateTimeField(_("föreslagen"), auto_now_add=True)
    cutoff = models.DateField(_("senaste anteckning före"))

    class Meta:
        ordering = ["-year", "unit"]
        verbose_name = _("gallringsomgång")
        verbose_name_plural = _("gallringsomgångar")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_retention_run_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"


class RetentionItem(models.Model):
    """One record proposed for deletion: a person's, or a referral never linked to a person;
    who approved it and when. Both are named by number only, so this row outlives the
    deletion without identifying anyone."""

    run = models.ForeignKey(RetentionRun, on_delete=models.PROTECT, related_name="items")
    participant_id = models.PositiveIntegerField(null=True, blank=True)
    referral_id = models.PositiveIntegerField(null=True, blank=True)
    last_entry = models.DateField(_("senaste anteckning"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("godkänd av"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    erased_at = models.DateTimeField(_("gallrad"), null=True, blank=True)

    class Meta:
        ordering = ["last_entry", "participant_id"]
        verbose_name = _("förslag till gallring")
        verbose_name_plural = _("förslag till gallring")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "participant_id"], name="one_retention_item_per_person"
            ),
            models.UniqueConstraint(
                fields=["run", "referral_id"], name="one_retention_item_per_referral"
            ),
            models.CheckConstraint(
                condition=Q(participant_id__isnull=False, referral_id__isnull=True)
                | Q(participant_id__isnull=True, referral_id__isnull=False),
                name="retention_item_is_a_person_or_a_referral",
            ),
        ]

    def __str__(self) -> str:
        if self.referral_id is not None:
            return f"{self.run} anmälan #{self.referral_id}"
        return f"{self.run} #{self.participant_id}"
