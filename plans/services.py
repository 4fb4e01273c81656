"""Plan workflows: writing a plan and the daily reminder e-mails (R13)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from lotsen.mail import send_templated
from plans.models import Plan, ReminderDigest

if TYPE_CHECKING:
    from lotsen.models import User
    from participants.models import Enrolment


def plan_create(
    *,
    enrolment: Enrolment,
    established_on: datetime.date,
    goals: str,
    activities: str,
    participation: str,
    summary: str,
    by: User,
) -> Plan:
    plan = Plan(
        enrolment=enrolment,
        established_on=established_on,
        goals=goals,
        activities=activities,
        participation=participation,
        summary=summary,
        created_by=by,
    )
    plan.follow_up_due = plan.due_after(established_on)
    plan.save()
    return plan


def overdue_digests_send(*, today: datetime.date) -> int:
    """Send each contact person one e-mail listing their overdue plans; return how many sent.

    Safe to run again: a digest row per person and day is locked while its mail is
    sent and marked sent after, so a second run the same day sends nothing new.
    """
    overdue = (
        Plan.objects.overdue(on=today)
        .filter(
            enrolment__contact_person__is_active=True,
            # Only while the contact person still works at the unit (L2).
            enrolment__programme__unit__staff=F("enrolment__contact_person"),
        )
        .select_related(
            "enrolment__participant", "enrolment__programme", "enrolment__contact_person"
        )
        .order_by("follow_up_due")
    )
    by_person: dict[User, list[Plan]] = defaultdict(list)
    for plan in overdue:
        assert plan.enrolment.contact_person is not None
        by_person[plan.enrolment.contact_person].append(plan)
    return sum(_send_digest(person, plans, today) for person, plans in by_person.items())


def _send_digest(person: User, plans: list[Plan], today: datetime.date) -> bool:
    if not person.email:
        return False
    with transaction.atomic():
        digest, _ = ReminderDigest.objects.select_for_update().get_or_create(
            recipient=person, date=today
        )
        if digest.sent_at is not None:
            return False
        items = [_digest_item(plan, today) for plan in plans]
        with translation.override("sv"):
            send_templated(
                "overdue_digest",
                {"person": person, "items": items, "today": today},
                to=[person.email],
            )
        digest.item_count = len(items)
        digest.sent_at = timezone.now()
        digest.save(update_fields=["item_count", "sent_at"])
    return True


def _digest_item(plan: Plan, today: datetime.date) -> dict[str, object]:
    participant = plan.enrolment.participant
    assert plan.follow_up_due is not None
    return {
        # L4: a person with protected identity is never named in an e-mail.
        "name": None if participant.protected_identity else participant.short_name,
        "programme": plan.enrolment.programme.name,
        "due": plan.follow_up_due,
        "days_overdue": (today - plan.follow_up_due).days,
        "path": reverse("plans:detail", args=[plan.pk]),
    }


def daily_checks_run(*, today: datetime.date) -> dict[str, int]:
    """Everything the daily schedule does; the Celery task and the command both call this."""
    return {"overdue_digests": overdue_digests_send(today=today)}
