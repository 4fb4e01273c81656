"""The opening calendar of a unit (R16, L8): regular hours, closure days, extra openings.

Public holidays are not stored: they come from the maintained `holidays` library
(participants/calendar.py), so a new year never needs a data change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lotsen.models import Unit


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("måndag")
    TUESDAY = 1, _("tisdag")
    WEDNESDAY = 2, _("onsdag")
    THURSDAY = 3, _("torsdag")
    FRIDAY = 4, _("fredag")
    SATURDAY = 5, _("lördag")
    SUNDAY = 6, _("söndag")


_CLOSES_AFTER_OPENS = _("Stängningstiden ligger före öppningstiden. Välj en senare stängningstid.")


class OpeningHours(models.Model):
    """A regular opening period on one weekday; two rows make a day plus an evening opening."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("veckodag"), choices=Weekday)
    opens = models.TimeField(_("öppnar"))
    closes = models.TimeField(_("stänger"))
    valid_from = models.DateField(_("gäller från"), null=True, blank=True)
    valid_until = models.DateField(_("gäller till och med"), null=True, blank=True)

    class Meta:
        db_table = "participants_openinghours"  # the table predates the app
        ordering = ["unit", "weekday", "opens"]
        verbose_name = _("ordinarie öppettid")
        verbose_name_plural = _("ordinarie öppettider")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")),
                name="opening_hours_close_after_open",
                violation_error_message=_CLOSES_AFTER_OPENS,
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="opening_hours_valid_in_order",
                violation_error_message=_(
                    "Slutdatumet ligger före startdatumet. Välj ett senare slutdatum."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class ClosureDay(models.Model):
    """A day the unit is closed although it would normally be open (L8: local closure days)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="closure_days")
    date = models.DateField(_("datum"))
    reason = models.CharField(_("anledning"), max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        db_table = "participants_closureday"  # the table predates the app
        ordering = ["date"]
        verbose_name = _("stängd dag")
        verbose_name_plural = _("stängda dagar")
        constraints = [
            models.UniqueConstraint(fields=["unit", "date"], name="one_closure_per_unit_and_day")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.reason}"


class ExtraOpening(models.Model):
    """An opening on one date beyond the regular hours: a weekend or an evening (R16)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="extra_openings")
    date = models.DateField(_("datum"))
    opens = models.TimeField(_("öppnar"))
    closes = models.TimeField(_("stänger"))
    note = models.CharField(_("kommentar"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        db_table = "participants_extraopening"  # the table predates the app
        ordering = ["date", "opens"]
        verbose_name = _("extra öppettid")
        verbose_name_plural = _("extra öppettider")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "date", "opens"], name="one_extra_opening_per_start"
            ),
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")),
                name="extra_opening_close_after_open",
                violation_error_message=_CLOSES_AFTER_OPENS,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.opens:%H:%M}–{self.closes:%H:%M}"
