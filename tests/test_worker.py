"""A real Celery worker on the configured broker (Redis in CI) runs the daily task and the
overdue e-mail arrives."""

from __future__ import annotations

import datetime
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail

from lotsen.celery import app
from plans.tasks import run_daily_checks
from tests.factories import make_participant, make_place, make_plan

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def isolated_queue(tmp_path):  # type: ignore[no-untyped-def]
    """A queue of the test's own, so a worker of a running `make run` cannot take the task."""
    saved = {k: app.conf[k] for k in ("task_default_queue", "broker_transport_options")}
    app.conf.task_default_queue = f"lotsen-test-{uuid.uuid4().hex}"
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        app.conf.broker_transport_options = {
            "data_folder_in": str(tmp_path),
            "data_folder_out": str(tmp_path),
        }
    import celery.contrib.testing.tasks  # noqa: F401  (start_worker needs celery.ping)

    yield
    app.conf.update(saved)


def test_r13_real_worker_sends_the_overdue_email(isolated_queue, training, lotsen, anna) -> None:
    place = make_place(
        make_participant(lotsen), training, contact_person=anna, start=datetime.date(2026, 1, 1)
    )
    make_plan(place, established_on=datetime.date(2026, 1, 5), by=anna)
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        run_daily_checks.delay()
        deadline = time.monotonic() + 30
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.2)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [anna.email]
    assert str(place.plan.pk) in mail.outbox[0].body
