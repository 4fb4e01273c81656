"""The journal (L1, R15): entries per person and unit, locked once signed; corrections and
the person's own notes are separate rows, so that an entry row never changes (decision 0012).
"""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING, Any

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Session
from lotsen.labels import seeded_label
from lotsen.models import Role, Unit
from participants.models import Enrolment, Participant
from plans.models import Plan
from referrals.models import Referral

if TYPE_CHECKING:
    from lotsen.models import User


class SignedEntryLocked(Exception):
    """A signed entry, its corrections and notes are never changed or deleted (L1)."""


class EntryKind(models.Model):
    """What an entry is about (conversation, phone call, …); administrators edit the list."""

    name = models.CharField(_("namn"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    active = models.BooleanField(_("används"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("typ av journalanteckning")
        verbose_name_plural = _("typer av journalanteckningar")

    def __str__(self) -> str:
        return seeded_label(self.name)


DEFAULT_LATE_AFTER_DAYS = 3


class UnitJournalRules(models.Model):
    """A unit's journal numbers; seeded for every unit, edited by administrators (L1)."""

    unit = models.OneToOneField(
        Unit, on_delete=models.CASCADE, related_name="journal_rules", verbose_name=_("enhet")
    )
    late_after_days = models.PositiveSmallIntegerField(
        _("sen anteckning efter (dagar)"),
        default=DEFAULT_LATE_AFTER_DAYS,
        help_text=_(
            "En anteckning som signeras fler dagar än så efter händelsen markeras som sen "
            "(journalen ska föras fortlöpande och utan oskäligt dröjsmål)."
        ),
    )

    class Meta:
        verbose_name = _("journalregler för enhet")
        verbose_name_plural = _("journalregler för enheter")

    def __str__(self) -> str:
        return str(self.unit)

    @classmethod
    def late_after(cls, unit: Unit) -> int:
        rules = cls.objects.filter(unit=unit).first()
        return rules.late_after_days if rules else DEFAULT_LATE_AFTER_DAYS


class EntryQuerySet(models.QuerySet["Entry"]):
    def update(self, **kwargs: Any) -> int:
        raise SignedEntryLocked

    def delete(self) -> tuple[int, dict[str, int]]:
        raise SignedEntryLocked

    def for_participant(self, participant: Participant) -> EntryQuerySet:
        return self.filter(participant=participant)

    def search(self, text: str) -> EntryQuerySet:
        """Within the text and its corrections; distinct because of the corrections join."""
        matches = Q(text__icontains=text) | Q(corrections__text__icontains=text)
        return self.filter(pk__in=Entry.objects.filter(matches).values("pk"))

    def signed_between(self, start: datetime.date, end: datetime.date) -> EntryQuerySet:
        return self.filter(signed_at__date__range=(start, end))


class Entry(models.Model):
    """A signed journal entry. Never updated or deleted: not in Python, not in the admin, and
    on PostgreSQL not by SQL (a trigger). Retention (L3) goes through `journal_erase`."""

    key = models.UUIDField(unique=True, editable=False)
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="journal_entries"
    )
    occurred_at = models.DateTimeField(_("när det hände"))
    kind = models.ForeignKey(
        EntryKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("typ")
    )
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="journal_entries",
        verbose_name=_("skriven av"),
    )
    author_role = models.CharField(_("roll"), max_length=20, choices=Role)
    signed_at = models.DateTimeField(_("signerad"), default=timezone.now)
    late = models.BooleanField(_("sen anteckning"), default=False)
    place = models.ForeignKey(
        Enrolment,
        verbose_name=_("plats"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="journal_entries",
    )
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, null=True, blank=True
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("gruppaktivitet"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="journal_entries",
    )
    referral = models.ForeignKey(
        Referral, verbose_name=_("anmälan"), on_delete=models.PROTECT, null=True, blank=True
    )

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("journalanteckning")
        verbose_name_plural = _("journalanteckningar")
        indexes = [models.Index(fields=["participant", "-occurred_at"])]
        triggers = [
            pgtrigger.Protect(
                name="signed_entry_never_changes",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return str(_("Journalanteckning %(pk)s") % {"pk": self.pk})

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A guard, not logic: the row is written once, when it is signed.
        if not self._state.adding:
            raise SignedEntryLocked
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise SignedEntryLocked

    @property
    def programme(self) -> Any:
        return self.place.programme if self.place else None

    def history(self) -> list[tuple[str, EntryCorrection | None, bool]]:
        """Each text the entry has had, oldest first, with the correction that wrote it and
        whether a later correction struck it through (L1)."""
        corrections = list(self.corrections.all())
        texts: list[tuple[str, EntryCorrection | None]] = [(self.text, None)]
        texts += [(c.text, c) for c in corrections]
        return [(text, c, i < len(texts) - 1) for i, (text, c) in enumerate(texts)]

    def current_text(self) -> str:
        corrections = list(self.corrections.all())
        return corrections[-1].text if corrections else self.text

    def correct(self, *, text: str, reason: str, by: User) -> EntryCorrection:
        return EntryCorrection.objects.create(entry=self, text=text, reason=reason, created_by=by)

    def note_persons_view(self, *, text: str, by: User) -> EntryNote:
        return EntryNote.objects.create(entry=self, text=text, created_by=by)


class _AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise SignedEntryLocked

    def delete(self) -> tuple[int, dict[str, int]]:
        raise SignedEntryLocked


class _AppendOnly(models.Model):
    """Written once, never changed (L1)."""

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = _AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise SignedEntryLocked
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise SignedEntryLocked


class EntryCorrection(_AppendOnly):
    """A correction: the earlier text stays readable, struck through, with who, when, why."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="corrections")
    text = models.TextField(_("ny text"))
    reason = models.CharField(_("varför"), max_length=300)

    class Meta(_AppendOnly.Meta):
        verbose_name = _("rättelse")
        verbose_name_plural = _("rättelser")
        triggers = [
            pgtrigger.Protect(
                name="correction_never_changes", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return str(_("Rättelse av %(entry)s") % {"entry": self.entry})


class EntryNote(_AppendOnly):
    """The person considers something in the entry wrong: their view, in their words (L1)."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="notes")
    text = models.TextField(_("personens synpunkt"))

    class Meta(_AppendOnly.Meta):
        verbose_name = _("personens synpunkt")
        verbose_name_plural = _("personens synpunkter")
        triggers = [
            pgtrigger.Protect(
                name="note_never_changes", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return str(_("Synpunkt på %(entry)s") % {"entry": self.entry})


class Draft(models.Model):
    """An entry being written, saved on the server as the author types; seen only by its
    author. `key` is made when the form is rendered and becomes the entry's key, so that
    saving or signing twice, or from two tabs, makes one draft and one entry."""

    key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="journal_drafts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_drafts"
    )
    revision = models.PositiveIntegerField(default=1)
    # The page (tab) that saved last: a tab whose save reached the server but whose answer
    # was lost (network cut) is not in conflict with itself.
    saved_from = models.UUIDField(null=True, blank=True, editable=False)
    occurred_at = models.DateTimeField(_("när det hände"), null=True, blank=True)
    kind = models.ForeignKey(
        EntryKind, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("text"), blank=True)
    place = models.ForeignKey(
        Enrolment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-saved_at"]
        verbose_name = _("utkast")
        verbose_name_plural = _("utkast")

    def __str__(self) -> str:
        return str(_("Utkast %(key)s") % {"key": self.key})
