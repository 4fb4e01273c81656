from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from reporting.services import report_file_build


@shared_task
def build_report_file(file_id: int) -> None:
    """Build one queued PDF version; safe to run twice (a finished file is left alone)."""
    report_file_build(file_id=file_id, today=timezone.localdate(), base_url=str(settings.BASE_DIR))
