"""Celery tasks of the reporting app: thin, each calls its domain function."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from lotsen.models import Unit
from reporting.retention import retention_propose


@shared_task
def propose_retention() -> int:
    """L3, yearly: every unit's proposal for its manager; safe to run twice."""
    today = timezone.localdate()
    return sum(retention_propose(unit=u, today=today).items.count() for u in Unit.objects.all())
