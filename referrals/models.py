"""Referrals and their path to a place, the waiting list (R22), outreach to and
collaboration with boendestöd (R4), and what a unit shows the public."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from lotsen.models import Programme, Unit
from participants.models import Enrolment, Participant

if TYPE_CHECKING:
    from lotsen.models import User


class Initiator(models.TextChoices):
    """R2: who initiated the referral."""

    SELF = "self", _("personen själv")
    SELF_WEB = "self_web", _("personen själv, via webben")
    RELATIVE = "relative", _("närstående eller företrädare")
    PSYCHIATRY = "psychiatry", _("psykiatrisk klinik")
    PRIMARY_CARE = "primary_care", _("primärvården")
    SOCIAL_SERVICES = "social_services", _("utförare inom socialtjänsten")
    HOUSING_SUPPORT = "housing_support", _("boendestöd")
    EMPLOYMENT_SERVICE = "employment_service", _("Arbetsförmedlingen")
    SOCIAL_INSURANCE = "social_insurance", _("Försäkringskassan")
    OTHER = "other", _("annan")


class Status(models.TextChoices):
    RECEIVED = "received", _("mottagen")
    CONTACTED = "contacted", _("kontakt tagen")
    INTAKE = "intake", _("informationsmöte/inskrivningssamtal")
    WAITING = "waiting", _("på väntelistan")
    ACCEPTED = "accepted", _("antagen")
    DECLINED = "declined", _("avböjd")
    WITHDRAWN = "withdrawn", _("återtagen")
    # Set only by retention (L3), never a step staff choose: an erased referral is nobody's
    # to wait for, so no count of open or waiting referrals can take it for one.
    ERASED = "erased", _("gallrad")


# The explicit path: from each state, where it may go next. Accepted, declined and
# withdrawn are final; a new referral is made if the person comes back. Erased is reached
# only through retention (ReferralQuerySet.close_erased), from any open state.
TRANSITIONS: dict[str, set[str]] = {
    Status.RECEIVED: {Status.CONTACTED, Status.INTAKE, Status.DECLINED, Status.WITHDRAWN},
    Status.CONTACTED: {Status.INTAKE, Status.WAITING, Status.DECLINED, Status.WITHDRAWN},
    Status.INTAKE: {Status.WAITING, Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN},
    Status.WAITING: {Status.INTAKE, Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN},
    Status.ACCEPTED: set(),
    Status.DECLINED: set(),
    Status.WITHDRAWN: set(),
    Status.ERASED: set(),
}
OPEN_STATUSES = [s for s, targets in TRANSITIONS.items() if targets]


class HousingSupportUnit(models.Model):
    """A boendestöd unit or team that a unit of ours collaborates with (R4)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("vår enhet"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("namn på enhet eller team"), max_length=120)
    provider = models.CharField(_("utförare"), max_length=120, blank=True)
    contact_name = models.CharField(_("kontaktperson"), max_length=120, blank=True)
    contact_phone = models.CharField(_("telefon"), max_length=40, blank=True)
    contact_email = models.EmailField(_("e-post"), blank=True)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("boendestödsenhet")
        verbose_name_plural = _("boendestödsenheter")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="one_housing_unit_per_name")
        ]

    def __str__(self) -> str:
        return self.name


class OutreachKind(models.TextChoices):
    INFORMATION_MEETING = "information_meeting", _("informationsmöte")
    STUDY_VISIT = "study_visit", _("studiebesök")
    HOME_VISIT = "home_visit", _("hembesök")
    COLLABORATION_MEETING = "collaboration_meeting", _("samverkansmöte")


class IsaPresented(models.TextChoices):
    """R4/R8: Team ISA is presented when people aged 18-35 are met."""

    YES = "yes", _("ja")
    NO = "no", _("nej")
    NOBODY_YOUNG = "nobody_young", _("ingen i åldern för Team ISA var med")


class OutreachActivity(models.Model):
    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), on_delete=models.PROTECT)
    date = models.DateField(_("datum"))
    housing_support_unit = models.ForeignKey(
        HousingSupportUnit,
        verbose_name=_("boendestöd"),
        on_delete=models.PROTECT,
        related_name="outreach",
    )
    kind = models.CharField(_("typ"), max_length=24, choices=OutreachKind)
    people_reached = models.PositiveIntegerField(_("antal personer som nåddes"))
    participants = models.ManyToManyField(
        Participant,
        verbose_name=_("registrerade personer"),
        blank=True,
        related_name="outreach_activities",
    )
    isa_presented = models.CharField(
        _("presenterades Team ISA för personer 18–35 år?"),
        max_length=16,
        choices=IsaPresented,
    )
    notes = models.TextField(_("anteckningar"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("uppsökande aktivitet")
        verbose_name_plural = _("uppsökande aktiviteter")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.housing_support_unit}"


class ReferralQuerySet(models.QuerySet["Referral"]):
    def visible_to(self, user: User) -> ReferralQuerySet:
        """The user's units' referrals (L2); one about a protected person only for their
        team (L4); one erased under retention for no one (L3)."""
        if not user.is_authenticated:
            return self.none()
        people = Participant.objects.visible_to(user).filter(pk=OuterRef("participant_id"))
        mine = self.filter(unit__in=Unit.objects.filter(staff=user), erased_on__isnull=True)
        return mine.filter(Q(participant__isnull=True) | Exists(people))

    def waiting(self) -> ReferralQuerySet:
        """R22: the waiting list in order: prioritised (R4) first, then longest waited."""
        return self.filter(status=Status.WAITING, erased_on__isnull=True).order_by(
            "-prioritised", "received_on", "pk"
        )

    def open(self) -> ReferralQuerySet:
        return self.filter(status__in=OPEN_STATUSES, erased_on__isnull=True)

    def close_erased(self, *, on: datetime.date, by: User) -> None:
        """Mark these referrals erased under retention (L3). One still open is closed as
        erased with a step on the day, so that neither today's counts nor those read from
        the steps for a later day hold it as open or waiting; a closed one keeps its status
        and steps, so that the figures of its years stay the same."""
        rows = dict(self.values_list("pk", "status"))
        still_open = {pk: status for pk, status in rows.items() if status in OPEN_STATUSES}
        ReferralStep.objects.bulk_create(
            ReferralStep(referral_id=pk, from_status=status, to_status=Status.ERASED, on=on, by=by)
            for pk, status in still_open.items()
        )
        Referral.objects.filter(pk__in=still_open).update(status=Status.ERASED)
        Referral.objects.filter(pk__in=rows).update(erased_on=on)


# The consent the public form records. The record keeps it in Swedish whatever language
# the form was filled in; `Referral.consent_text` shows it in the reader's language.
WEB_CONSENT = gettext_noop(
    "Vill bli kontaktad; godkände att uppgifterna sparas för det (webbformuläret)."
)


class Referral(models.Model):
    """An anmälan or intresseanmälan: someone asks for a place for a person (R2)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="referrals"
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("program som efterfrågas"),
        on_delete=models.PROTECT,
        related_name="referrals",
        null=True,
        blank=True,
    )
    initiator = models.CharField(_("vem tog initiativet"), max_length=20, choices=Initiator)
    referring_organisation = models.CharField(
        _("anmälande organisation"), max_length=160, blank=True
    )
    referrer_contact = models.CharField(
        _("kontaktperson hos anmälaren"),
        max_length=160,
        blank=True,
        help_text=_("Namn och telefon eller e-post."),
    )
    housing_support_unit = models.ForeignKey(
        HousingSupportUnit,
        verbose_name=_("boendestöd som anmälde eller som personen har"),
        on_delete=models.PROTECT,
        related_name="referrals",
        null=True,
        blank=True,
    )
    outreach = models.ForeignKey(
        OutreachActivity,
        verbose_name=_("kom genom uppsökande aktivitet"),
        on_delete=models.PROTECT,
        related_name="referrals",
        null=True,
        blank=True,
    )
    received_on = models.DateField(_("mottagen"))
    # The person, until a participant record is linked or registered from these fields.
    first_name = models.CharField(_("förnamn"), max_length=80)
    last_name = models.CharField(_("efternamn"), max_length=80, blank=True)
    identity_number = models.CharField(
        _("personnummer eller samordningsnummer"), max_length=12, blank=True
    )
    contact = models.CharField(
        _("hur personen nås"), max_length=160, help_text=_("Telefon eller e-post.")
    )
    interest = models.TextField(_("vad personen är intresserad av"), blank=True, max_length=2000)
    consent = models.TextField(
        _("vad personen har samtyckt till"),
        help_text=_("T.ex. att vi kontaktar personen, talar med anmälaren och sparar uppgifterna."),
    )
    prioritised = models.BooleanField(_("prioriterad grupp (har boendestöd)"), default=False)
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("deltagare"),
        on_delete=models.PROTECT,
        related_name="referrals",
        null=True,
        blank=True,
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.RECEIVED)
    decline_reason = models.TextField(_("skäl"), blank=True)
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="referral", null=True, blank=True
    )
    revision = models.PositiveIntegerField(default=1)
    # A key from the form page: a double submit finds the first referral instead of a copy.
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # When the unit's managers were told of a web referral; makes the notice idempotent.
    notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    # Set when a referral never linked to a person is erased under retention (L3); its
    # dates and status stay for the waiting-time figures, no one sees it any more.
    erased_on = models.DateField(_("gallrad"), null=True, blank=True, editable=False)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("anmälan")
        verbose_name_plural = _("anmälningar")
        indexes = [models.Index(fields=["unit", "status", "received_on"])]

    def __str__(self) -> str:
        return str(_("Anmälan %(pk)s") % {"pk": self.pk})

    @property
    def person_name(self) -> str:
        if self.participant_id:
            return self.participant.full_name  # type: ignore[union-attr]
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def consent_text(self) -> str:
        """The consent as recorded; only the public form's own line is translated, never
        what staff typed."""
        return gettext(WEB_CONSENT) if self.consent == WEB_CONSENT else self.consent

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def allowed_targets(self) -> list[str]:
        return [s for s in Status.values if s in TRANSITIONS[self.status]]

    def days_waited(self, today: datetime.date) -> int:
        return (today - self.received_on).days


class ReferralStep(models.Model):
    """One recorded step on a referral's path: who moved it, from what, to what, when."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="steps")
    from_status = models.CharField(max_length=12, choices=Status, blank=True)
    to_status = models.CharField(max_length=12, choices=Status)
    on = models.DateField(_("datum"))
    note = models.TextField(_("anteckning"), blank=True)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["on", "at", "pk"]
        verbose_name = _("steg i anmälan")
        verbose_name_plural = _("steg i anmälningar")

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.from_status} → {self.to_status} {self.on}"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planerat")
    HELD = "held", _("genomfört")
    CANCELLED = "cancelled", _("inställt")


class CollaborationMeeting(models.Model):
    """The systematic, governed collaboration with boendestöd (R4)."""

    unit = models.ForeignKey(Unit, verbose_name=_("enhet"), on_delete=models.PROTECT)
    housing_support_unit = models.ForeignKey(
        HousingSupportUnit,
        verbose_name=_("boendestöd"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    planned_on = models.DateField(_("planerat datum"))
    held_on = models.DateField(_("genomfört datum"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus, default=MeetingStatus.PLANNED
    )
    agenda = models.TextField(_("dagordning"), blank=True)
    staff_attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("deltagare från oss"), blank=True, related_name="+"
    )
    other_attendees = models.TextField(_("deltagare från boendestödet och andra"), blank=True)
    minutes = models.TextField(_("minnesanteckningar"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-planned_on", "-pk"]
        verbose_name = _("samverkansmöte")
        verbose_name_plural = _("samverkansmöten")

    def __str__(self) -> str:
        return f"{self.planned_on} {self.housing_support_unit}"


class CollaborationAction(models.Model):
    """An action agreed at a collaboration meeting, with owner, due date and follow-up."""

    meeting = models.ForeignKey(
        CollaborationMeeting, on_delete=models.PROTECT, related_name="actions"
    )
    description = models.TextField(_("åtgärd"))
    owner = models.CharField(_("ansvarig"), max_length=120)
    due_on = models.DateField(_("klart senast"))
    done_on = models.DateField(_("klar"), null=True, blank=True)
    follow_up = models.TextField(_("uppföljning"), blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("överenskommen åtgärd")
        verbose_name_plural = _("överenskomna åtgärder")

    def __str__(self) -> str:
        return self.description[:60]

    def is_overdue(self, today: datetime.date) -> bool:
        return self.done_on is None and self.due_on < today


class ActionFollowUp(models.Model):
    """One follow-up of an agreed action; a later one is added, never written over (L1)."""

    action = models.ForeignKey(
        CollaborationAction, on_delete=models.PROTECT, related_name="follow_ups"
    )
    note = models.TextField(_("uppföljning"), blank=True)
    done_on = models.DateField(_("klar"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("skriven"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("uppföljning av åtgärd")
        verbose_name_plural = _("uppföljningar av åtgärder")

    def __str__(self) -> str:
        return f"{self.action} {self.created_at:%Y-%m-%d}"


class PublicUnitInfo(models.Model):
    """What a unit tells visitors on the public pages (mission item 7)."""

    unit = models.OneToOneField(Unit, on_delete=models.PROTECT, related_name="public_info")
    published = models.BooleanField(_("visas på de publika sidorna"), default=True)
    introduction = models.TextField(_("kort presentation"))
    visiting_address = models.CharField(_("besöksadress"), max_length=200)
    phone = models.CharField(_("telefon"), max_length=40)
    email = models.EmailField(_("e-post"))
    opening_hours = models.TextField(
        _("öppettider"),
        help_text=_("Visas när öppetkalendern saknar kommande dagar. En rad per dag."),
    )
    how_to_get_there = models.TextField(_("hitta hit"), blank=True)

    class Meta:
        ordering = ["unit__name"]
        verbose_name = _("publik information om enhet")
        verbose_name_plural = _("publik information om enheter")

    def __str__(self) -> str:
        return str(self.unit)
