"""A real Celery worker on the configured broker (Redis in CI) runs the daily task and the
overdue e-mail arrives.

On the real clock: the worker thread's timers and the broker's expiry must not see time jump.
Each test waits until the worker reports the task finished, never for a fixed time.
"""

from __future__ import annotations

import datetime
import socket
import threading
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.core import mail
from django.test import Client

from lotsen.celery import app
from plans.tasks import run_daily_checks
from tests.factories import make_participant, make_place, make_plan

pytestmark = [
    pytest.mark.worker,
    pytest.mark.real_clock,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module")
def isolated_queue(tmp_path_factory):  # type: ignore[no-untyped-def]
    """A queue of these tests' own, so a worker of a running `make run` cannot take the task.

    One per module: Celery builds its queue routing once, from the first name it sees.
    """
    tmp_path = tmp_path_factory.mktemp("queue")
    saved = {k: app.conf[k] for k in ("task_default_queue", "broker_transport_options")}
    app.conf.task_default_queue = f"lotsen-test-{uuid.uuid4().hex}"
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        app.conf.broker_transport_options = {
            "data_folder_in": str(tmp_path),
            "data_folder_out": str(tmp_path),
            "control_folder": str(tmp_path / "control"),
        }
    import celery.contrib.testing.tasks  # noqa: F401  (start_worker needs celery.ping)

    yield
    app.conf.update(saved)


@pytest.fixture
def finished():  # type: ignore[no-untyped-def]
    """Set when the daily task has run to the end (a retry is not the end); holds its state."""
    done = threading.Event()
    states: list[str] = []

    def record(sender, state, **kwargs):  # type: ignore[no-untyped-def]
        if sender.name == run_daily_checks.name and state != "RETRY":
            states.append(state)
            done.set()

    task_postrun.connect(record, weak=False)
    yield lambda: done.wait(30) and states
    task_postrun.disconnect(record)


def _nothing_left_to_run(within: float = 10.0) -> bool:
    """No message waits in the queue and the worker holds none for later (a retry's countdown).

    Waits for the worker's bookkeeping: task_postrun fires before the finished request leaves
    the worker's reserved set (the file-system transport shows it), so check until it has.
    """
    from celery.worker import state

    deadline = time.monotonic() + within
    while True:
        with app.connection_for_read() as conn:
            declared = conn.default_channel.queue_declare(app.conf.task_default_queue)
        idle = declared.message_count == 0 and not (
            state.reserved_requests or state.scheduled_requests
        )
        if idle or time.monotonic() > deadline:
            return idle
        threading.Event().wait(0.05)


def test_r13_real_worker_sends_the_overdue_email(
    isolated_queue, finished, training, lotsen, anna
) -> None:
    place = make_place(
        make_participant(lotsen), training, contact_person=anna, start=datetime.date(2026, 1, 1)
    )
    make_plan(place, established_on=datetime.date(2026, 1, 5), by=anna)
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        run_daily_checks.delay()
        assert finished() == ["SUCCESS"]
        assert _nothing_left_to_run()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [anna.email]
    assert str(place.plan.pk) in mail.outbox[0].body


class FlakyMailServer:
    """A real SMTP server on localhost that refuses the first message (451) and then accepts."""

    def __init__(self) -> None:
        self.refused = 0
        self.accepted: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if not self.refused:
            self.refused += 1
            return "451 4.3.0 Try again later"
        self.accepted.append(envelope.content.decode("utf-8", "replace"))
        return "250 OK"


@pytest.fixture
def flaky_smtp(settings):  # type: ignore[no-untyped-def]
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = FlakyMailServer()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.REMINDER_RETRY_BASE_SECONDS = 1
    yield handler
    controller.stop()


def test_r13_a_failing_mail_server_is_retried_and_nothing_is_lost_or_doubled(
    isolated_queue, finished, flaky_smtp, training, lotsen, anna, omar
) -> None:
    from plans.models import ReminderDigest

    for person in (anna, omar):
        place = make_place(
            make_participant(lotsen),
            training,
            contact_person=person,
            start=datetime.date(2026, 1, 1),
        )
        make_plan(place, established_on=datetime.date(2026, 1, 5), by=person)
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        run_daily_checks.delay()
        # Refused once, retried after a second; then nothing more can run and send twice.
        assert finished() == ["SUCCESS"]
        assert _nothing_left_to_run()
    assert flaky_smtp.refused == 1
    assert len(flaky_smtp.accepted) == 2
    assert sorted(
        ReminderDigest.objects.filter(sent_at__isnull=False).values_list(
            "recipient__username", flat=True
        )
    ) == ["anna", "omar"]


def test_r20_real_worker_builds_the_annual_report_pdf(isolated_queue, client, eva, lotsen) -> None:
    """The manager's request only queues the report; the worker makes the PDF, which is kept."""
    from django.urls import reverse

    from reporting.models import FileStatus, ReportFile
    from reporting.tasks import build_report_file

    built = threading.Event()

    def record(sender, **kwargs):  # type: ignore[no-untyped-def]
        if sender.name == build_report_file.name:
            built.set()

    task_postrun.connect(record, weak=False)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            client.force_login(eva)
            response = client.post(reverse("reporting:generate", args=[lotsen.pk, 2026]))
            assert response.status_code == 302
            assert built.wait(120)
    finally:
        task_postrun.disconnect(record)
    file = ReportFile.objects.get(unit=lotsen, year=2026)
    assert (file.status, file.progress, file.version) == (FileStatus.DONE, 100, 1)
    assert bytes(file.pdf).startswith(b"%PDF") and file.finished_at is not None


def test_l3_the_worker_clears_expired_sessions_and_keeps_live_ones(
    isolated_queue, client, anna, omar
) -> None:
    """What a session held (a search typed on the sheet) does not stay once it has expired."""
    from django.utils import timezone

    from lotsen.models import SignedInSession
    from lotsen.tasks import clear_expired_sessions

    client.force_login(anna)
    other = Client()
    other.force_login(omar)
    SignedInSession.objects.filter(user=omar).update(
        expire_date=timezone.now() - datetime.timedelta(minutes=1)
    )
    # A queue of this test's own. In one CI run the task was answered but the expired session
    # stayed, and a consumer without callbacks (most likely an earlier test's worker here,
    # winding down on the module's queue) had received the message first: only this test's
    # worker should see the task.
    own = f"{app.conf.task_default_queue}-sessions"
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", queues=[own]):
        assert clear_expired_sessions.apply_async(queue=own).get(timeout=30) is None
    assert list(SignedInSession.objects.values_list("user", flat=True)) == [anna.pk]
    assert "lotsen.tasks.clear_expired_sessions" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
