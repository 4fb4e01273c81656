"""The Celery app: loads Django settings (CELERY_*) and discovers tasks.py in each app."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotsen.settings")

app = Celery("lotsen")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
