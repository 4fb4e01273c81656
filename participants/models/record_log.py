"""The log of who read or changed which person's record (L2): one compact row per person
and event, written in bulk for list pages; the unit manager reviews it (decision 0016)."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotsen.models import Unit


class RecordEventKind(models.TextChoices):
    LISTED = "listed", _("visad i lista")
    READ = "read", _("läst")
    CREATED = "created", _("skapad")
    CHANGED = "changed", _("ändrad")
    EXTRACT = "extract", _("registerutdrag")
    LOG_READ = "log_read", _("läste loggen")
    LOG_EXPORT = "log_export", _("exporterade loggen")


class RecordEventQuerySet(models.QuerySet["RecordEvent"]):
    def for_units(self, units: models.QuerySet[Unit]) -> RecordEventQuerySet:
        return self.filter(unit__in=units)


class RecordEvent(models.Model):
    """Someone saw, read or changed a person's record, or read the log itself.

    `participant_id` is a plain number, not a foreign key: the log outlives a record
    deleted under retention (L3) without naming the person. Staff and units are foreign
    keys to Django (PROTECT: neither can be deleted while the log names them) but not
    constraints in the database: a list page logs hundreds of rows at once, and checking
    each row's user and unit took more than half of the insert (the sheet's 400 rows:
    6.2 -> 1.9 ms). Only this module writes them, with the signed-in user and the person's
    unit."""

    at = models.DateTimeField(_("när"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personal"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        db_constraint=False,
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("enhet"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        db_constraint=False,
        db_index=False,  # the index on (unit, -at) serves it
    )
    kind = models.CharField(_("händelse"), max_length=12, choices=RecordEventKind)
    page = models.CharField(_("sida eller uppgift"), max_length=100, blank=True)
    participant_id = models.PositiveIntegerField(null=True, blank=True)

    objects = RecordEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("händelse i loggen")
        verbose_name_plural = _("logg över läsningar och ändringar")
        indexes = [
            models.Index(fields=["unit", "-at"]),
            models.Index(fields=["participant_id", "-at"]),
        ]
        triggers = [
            pgtrigger.Protect(
                name="record_event_never_changes",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"
