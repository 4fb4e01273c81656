"""Retention runs (L3): a yearly proposal of the records due for deletion, approved by the
unit manager person by person (decision 0016)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotsen.models import Unit


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
    """One record proposed for deletion; who approved it and when. The person is named by
    record number only, so this row outlives the deletion without identifying anyone."""

    run = models.ForeignKey(RetentionRun, on_delete=models.PROTECT, related_name="items")
    participant_id = models.PositiveIntegerField()
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
            )
        ]

    def __str__(self) -> str:
        return f"{self.run} #{self.participant_id}"
