"""The Celery app: loads Django settings (CELERY_*) and discovers tasks.py in each app."""

from __future__ import annotations

import logging
import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotsen.settings")

app = Celery("lotsen")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
log = logging.getLogger(__name__)


def enqueue(task: Any, *args: Any) -> bool:
    """Queue a task, or log and go on when the broker is down: what was saved stays saved,
    and the work is left for the daily run that sweeps up what was never done."""
    try:
        task.delay(*args)
    except Exception:  # kombu's OperationalError, an unwritable queue directory, …
        log.warning("Broker unavailable: %s not queued, left for the daily run", task.name)
        return False
    return True
