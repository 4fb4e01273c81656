"""What the daily reminders are about: one query per kind, routed to whoever must act.

Kinds, most urgent first: follow-ups overdue (R13), training places without a plan,
renewals due (R14), follow-ups due soon, and places reaching their longest duration (R7).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lotsen.models import Role, User
from participants.models import Enrolment

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from plans.models import Plan

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

KIND_LABELS: dict[str, _StrPromise] = {
    "overdue": _("Försenad uppföljning"),
    "missing": _("Plan saknas"),
    "renewal": _("Planen ska förnyas (R14)"),
    "due_soon": _("Uppföljning snart"),
    "ending": _("Platsen når längsta tid (R7)"),
}
URGENCY = {kind: index for index, kind in enumerate(KIND_LABELS)}


@dataclass(frozen=True)
class Item:
    kind: str
    date: datetime.date
    place: Enrolment
    plan: Plan | None

    @property
    def sort_key(self) -> tuple[int, datetime.date]:
        return URGENCY[self.kind], self.date

    @property
    def label(self) -> _StrPromise:
        return KIND_LABELS[self.kind]

    @property
    def path(self) -> str:
        if self.plan is not None:
            return reverse("plans:detail", args=[self.plan.pk])
        if self.kind == "missing":
            return reverse("plans:create", args=[self.place.pk])
        return reverse("participants:place", kwargs={"place_pk": self.place.pk})

    def as_email_line(self) -> dict[str, object]:
        participant = self.place.participant
        return {
            # L4: a person with protected identity is never named in an e-mail.
            "name": None if participant.protected_identity else participant.short_name,
            "programme": self.place.programme.name,
            "label": self.label,
            "date": self.date,
            "path": self.path,
        }


def reminder_querysets(*, today: datetime.date) -> dict[str, QuerySet[Enrolment]]:
    """Per kind, the running places that need attention, ordered by the date that matters."""
    soon = today + datetime.timedelta(days=settings.PLAN_DUE_SOON_DAYS)
    grace = datetime.timedelta(days=settings.PLAN_MISSING_AFTER_DAYS)
    near = today + relativedelta(months=settings.DURATION_WARNING_MONTHS)
    places = (
        Enrolment.objects.active_on(today)
        .filter(outcome="")
        .select_related("participant", "programme__unit", "contact_person", "plan")
    )
    return {
        "overdue": places.filter(plan__follow_up_due__lt=today).order_by("plan__follow_up_due"),
        "missing": places.filter(
            programme__follow_up_interval__isnull=False,
            plan__isnull=True,
            start_date__lt=today - grace,
        ).order_by("start_date"),
        "renewal": places.filter(plan__renewal_due__lte=soon).order_by("plan__renewal_due"),
        "due_soon": places.filter(plan__follow_up_due__range=(today, soon)).order_by(
            "plan__follow_up_due"
        ),
        # Candidates; only those ending at the longest duration count (Enrolment.duration_warning).
        "ending": places.filter(programme__max_duration__isnull=False, end_date__lte=near).order_by(
            "end_date"
        ),
    }


def item_for(kind: str, place: Enrolment) -> Item:
    plan = getattr(place, "plan", None)
    grace = datetime.timedelta(days=settings.PLAN_MISSING_AFTER_DAYS)
    dates = {
        "overdue": lambda: plan.follow_up_due,  # type: ignore[union-attr]
        "due_soon": lambda: plan.follow_up_due,  # type: ignore[union-attr]
        "renewal": lambda: plan.renewal_due,  # type: ignore[union-attr]
        "missing": lambda: place.start_date + grace,
        "ending": lambda: place.end_date,
    }
    return Item(kind, dates[kind](), place, plan)


def reminder_items(*, today: datetime.date) -> list[Item]:
    """Everything that needs attention today, one query per kind."""
    return [
        item_for(kind, place)
        for kind, places in reminder_querysets(today=today).items()
        for place in places
        if kind != "ending" or place.duration_warning(today)
    ]


def route(items: list[Item]) -> dict[User, list[Item]]:
    """To the contact person while they work at the unit; otherwise to the unit managers."""
    members = _memberships(items)
    managers = managers_by_unit(items)
    routed: dict[User, list[Item]] = defaultdict(list)
    for item in items:
        contact = item.place.contact_person_id
        unit = item.place.programme.unit_id
        if contact is not None and (contact, unit) in members:
            routed[members[contact, unit]].append(item)
        else:
            for manager in managers.get(unit, []):
                routed[manager].append(item)
    for person_items in routed.values():
        person_items.sort(key=lambda i: i.sort_key)
    return routed


def _memberships(items: list[Item]) -> dict[tuple[int, int], User]:
    """(user id, unit id) of every active contact person who still works at the unit and
    can be reached by e-mail; anyone else's items go to the unit manager."""
    ids = {i.place.contact_person_id for i in items if i.place.contact_person_id}
    through = User.units.through.objects.filter(user_id__in=ids, user__is_active=True).exclude(
        user__email=""
    )
    return {(m.user_id, m.unit_id): m.user for m in through.select_related("user")}


def managers_by_unit(items: list[Item]) -> dict[int, list[User]]:
    units = {i.place.programme.unit_id for i in items}
    through = User.units.through.objects.filter(
        unit_id__in=units, user__is_active=True, user__role=Role.MANAGER
    ).select_related("user")
    managers: dict[int, list[User]] = defaultdict(list)
    for membership in through:
        managers[membership.unit_id].append(membership.user)
    return managers
