"""Celery tasks of the reporting app: thin, each calls its domain function."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from lotsen.models import Unit
from reporting.retention import retention_propose
from reporting.services import report_file_build


@shared_task
def build_report_file(file_id: int) -> None:
    """Build one queued PDF version; safe to run twice (a finished file is left alone)."""
    report_file_build(file_id=file_id, today=timezone.localdate(), base_url=str(settings.BASE_DIR))


@shared_task
def propose_retention() -> int:
    """L3, yearly: every unit's proposal for its manager; safe to run twice."""
    today = timezone.localdate()
    return sum(retention_propose(unit=u, today=today).items.count() for u in Unit.objects.all())
