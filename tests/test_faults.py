"""Faults (decision 0015): the broker down, the mail server down, a queue directory that
cannot be written. What was saved stays saved, the visitor gets an answer, notices are sent
later exactly once, and /health/ says which part failed, within a second.

"Within a second" is checked without a stopwatch, which a busy machine would make flaky:
the checks are opened with timeouts under a second, give the failing answer while the part
still hangs, and pause between tries no longer than that (every pause is recorded)."""

from __future__ import annotations

import threading
import time

import kombu.utils.functional
import pytest
import redis
import redis.retry
from celery import Celery
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse

from lotsen.celery import app
from referrals import tasks
from referrals.models import Referral
from referrals.views import public
from tests.test_public_pages import _submit, info  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
CLOSED_PORT = "redis://127.0.0.1:9/0"


@pytest.fixture(autouse=True)
def _empty_cache():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def broker_down(monkeypatch):  # type: ignore[no-untyped-def]
    """The notice task on a Celery app of its own whose broker is a closed port.

    Its own app, configured as ours: the shared app keeps its pools and queue routing,
    which tests/test_worker.py needs untouched."""
    # Celery reads CELERY_BROKER_URL from the environment before its own setting.
    monkeypatch.setenv("CELERY_BROKER_URL", CLOSED_PORT)
    down = Celery("broker-down", broker=CLOSED_PORT, set_as_current=False)
    down.conf.broker_connection_timeout = django_settings.CELERY_BROKER_CONNECTION_TIMEOUT
    down.conf.task_publish_retry_policy = django_settings.CELERY_TASK_PUBLISH_RETRY_POLICY
    task = down.task(name=tasks.notify_web_referral.name)(tasks.notify_web_referral.run)
    monkeypatch.setattr(public, "notify_web_referral", task)


@pytest.fixture
def broker_url_down(monkeypatch):  # type: ignore[no-untyped-def]
    """Our app's broker address at a closed port, for /health/ (which opens no pool)."""
    # Celery reads CELERY_BROKER_URL from the environment before its own setting: the
    # setting is saved before the environment changes (else the closed port is "restored").
    saved = app.conf.broker_url
    monkeypatch.setenv("CELERY_BROKER_URL", CLOSED_PORT)
    app.conf.broker_url = CLOSED_PORT
    yield
    app.conf.broker_url = saved


@pytest.fixture
def pauses(monkeypatch) -> list[float]:  # type: ignore[no-untyped-def]
    """Every pause the test's thread takes while waiting to try again (time.sleep, and the
    sleep kombu and redis-py took from it): still taken, and recorded."""
    recorded: list[float] = []
    thread = threading.current_thread()
    real_sleep = time.sleep

    def sleep(seconds: float) -> None:
        if threading.current_thread() is thread:
            recorded.append(seconds)
        real_sleep(seconds)

    for module in (time, kombu.utils.functional, redis.retry):
        monkeypatch.setattr(module, "sleep", sleep)
    return recorded


@pytest.fixture
def redis_timeouts(monkeypatch) -> list[tuple[float, float]]:  # type: ignore[no-untyped-def]
    """The (connect, read) timeouts of each Redis connection /health/ opens."""
    opened: list[tuple[float, float]] = []
    real_from_url = redis.Redis.from_url.__func__  # type: ignore[attr-defined]

    def from_url(cls, url, **kwargs):  # type: ignore[no-untyped-def]
        opened.append((kwargs.get("socket_connect_timeout"), kwargs.get("socket_timeout")))
        return real_from_url(cls, url, **kwargs)

    monkeypatch.setattr(redis.Redis, "from_url", classmethod(from_url))
    return opened


def _under_a_second(timeouts: list[tuple[float, float]]) -> bool:
    return bool(timeouts) and all(t is not None and 0 < t < 1 for pair in timeouts for t in pair)


@pytest.fixture
def smtp_down(settings):  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1


def test_the_interest_form_saves_and_answers_with_the_broker_down(
    client,
    info,  # noqa: F811
    eva,
    broker_down,
    django_capture_on_commit_callbacks,
    mailoutbox,
    caplog,
    monkeypatch,
    pauses,
    settings,
) -> None:
    policies: list[dict[str, object]] = []
    real_publish = kombu.Producer.publish

    def publish(producer, body, **kwargs):  # type: ignore[no-untyped-def]
        policies.append(kwargs["retry_policy"] if kwargs.get("retry") else {})
        return real_publish(producer, body, **kwargs)

    monkeypatch.setattr(kombu.Producer, "publish", publish)
    with django_capture_on_commit_callbacks(execute=True):
        response = _submit(client, info)
    # The visitor waits for a bounded try, not a stopwatch: the publish was tried with the
    # settings' retry policy, and its pauses between tries add up to well under a second.
    assert policies
    for policy in policies:
        assert policy.items() >= settings.CELERY_TASK_PUBLISH_RETRY_POLICY.items()
    assert sum(pauses) < 1
    assert response.status_code == 302
    assert response["Location"] == reverse("public:thanks", args=["lotsen"])
    referral = Referral.objects.get()
    assert referral.notified_at is None
    assert mailoutbox == []
    assert "Broker unavailable" in caplog.text

    # Broker and mail server back: the daily run sends the notice, and only once.
    assert tasks.notify_unsent_web_referrals.apply().get() == 1
    assert tasks.notify_unsent_web_referrals.apply().get() == 0
    assert tasks.notify_web_referral.apply(args=[referral.pk]).get() == 0
    assert len(mailoutbox) == 1
    referral.refresh_from_db()
    assert referral.notified_at is not None


def test_the_notice_is_retried_when_the_mail_server_is_down(
    client,
    info,  # noqa: F811
    eva,
    settings,
    smtp_down,
    monkeypatch,
    django_capture_on_commit_callbacks,
) -> None:
    monkeypatch.setattr(tasks.notify_web_referral, "delay", lambda pk: None)
    with django_capture_on_commit_callbacks(execute=True):
        _submit(client, info)
    referral = Referral.objects.get()
    retries: list[int] = []

    def retry(*args, **kwargs):  # type: ignore[no-untyped-def]
        retries.append(kwargs["countdown"])
        raise kwargs["exc"]  # rather than queue it again: the test ends here

    monkeypatch.setattr(tasks.notify_web_referral, "retry", retry)
    with pytest.raises(OSError):
        tasks.notify_web_referral.apply(args=[referral.pk], throw=True)
    # Not acknowledged and lost: a retry was asked for, with back-off.
    assert retries == [settings.REMINDER_RETRY_BASE_SECONDS]
    referral.refresh_from_db()
    assert referral.notified_at is None


def test_the_notice_task_is_configured_to_retry_with_back_off(settings) -> None:
    for task in (tasks.notify_web_referral, tasks.notify_unsent_web_referrals):
        assert OSError in task.autoretry_for
        assert task.retry_backoff == settings.REMINDER_RETRY_BASE_SECONDS
        assert task.max_retries == settings.REMINDER_RETRY_MAX


def test_the_daily_schedule_sweeps_unsent_notices(settings) -> None:
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "referrals.tasks.notify_unsent_web_referrals" in scheduled


def test_health_names_the_broker_when_it_is_down_within_a_second(
    client, broker_url_down, redis_timeouts, pauses
) -> None:
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "error"}
    assert _under_a_second(redis_timeouts)
    assert sum(pauses) < 1


def test_health_within_a_second_when_the_broker_does_not_answer(
    client, monkeypatch, redis_timeouts, pauses
) -> None:
    """A listening socket that never answers: the check gives up on its own timeout (the
    answer can only come from that timeout, and it is under a second)."""
    import socket

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    url = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
    saved = app.conf.broker_url  # before the environment changes, which Celery reads first
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    app.conf.broker_url = url
    try:
        response = client.get(reverse("health"))
    finally:
        app.conf.broker_url = saved
        silent.close()
    assert response.json()["broker"] == "error"
    assert _under_a_second(redis_timeouts)
    assert sum(pauses) < 1


@pytest.fixture
def filesystem_broker(monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    saved = app.conf.broker_url, app.conf.broker_transport_options  # before the environment
    monkeypatch.setenv("CELERY_BROKER_URL", "filesystem://")
    app.conf.broker_url = "filesystem://"

    def use(folder):  # type: ignore[no-untyped-def]
        app.conf.broker_transport_options = {"data_folder_in": str(folder)}

    yield use
    app.conf.broker_url, app.conf.broker_transport_options = saved


def test_health_says_error_when_the_queue_folder_cannot_be_written(
    client, filesystem_broker, tmp_path
) -> None:
    filesystem_broker(tmp_path)
    assert client.get(reverse("health")).json()["broker"] == "ok"
    assert list(tmp_path.iterdir()) == []  # the probe leaves nothing behind
    # Not a folder (the tests run as root, for whom permissions would not stop a write).
    not_a_folder = tmp_path / "queue"
    not_a_folder.write_text("")
    filesystem_broker(not_a_folder)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["broker"] == "error"
    filesystem_broker(tmp_path / "missing")
    assert client.get(reverse("health")).json()["broker"] == "error"


def test_health_checks_a_redis_cache(client, settings, monkeypatch) -> None:
    settings.CACHE_URL = CLOSED_PORT
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["cache"] == "error"


def test_health_within_a_second_when_the_database_does_not_answer(client, monkeypatch) -> None:
    """A database that hangs (libpq waits 2 s at the least) costs the check its timeout, and
    while it hangs the next checks say "error" at once instead of queueing behind it."""
    from lotsen import views

    answer = threading.Event()
    monkeypatch.setattr(views, "_select_one", lambda: answer.wait(60))
    waits: list[float | None] = []
    submitted: list[object] = []
    real_submit = views._database_executor.submit

    def submit(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        future = real_submit(fn, *args, **kwargs)
        real_result = future.result

        def result(timeout=None):  # type: ignore[no-untyped-def]
            waits.append(timeout)
            return real_result(timeout=timeout)

        future.result = result  # type: ignore[method-assign]
        submitted.append(future)
        return future

    monkeypatch.setattr(views._database_executor, "submit", submit)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["database"] == "error"
    # The answer came while the query still hung, after a wait of under a second.
    assert len(submitted) == 1 and not submitted[0].done()  # type: ignore[attr-defined]
    assert waits == [views.CHECK_TIMEOUT] and 0 < views.CHECK_TIMEOUT < 1
    response = client.get(reverse("health"))
    assert response.json()["database"] == "error"
    # At once: no second query queued behind the hanging one, and no wait for it.
    assert len(submitted) == 1 and waits == [views.CHECK_TIMEOUT]
    answer.set()
    views._database_pending[0].result(timeout=5)
    assert client.get(reverse("health")).json()["database"] == "ok"


def test_the_daily_command_also_sends_the_notices_never_sent(
    client,
    info,  # noqa: F811
    eva,
    monkeypatch,
    django_capture_on_commit_callbacks,
    mailoutbox,
    capsys,
) -> None:
    """`manage.py run_daily_checks` does what the scheduler does in the morning, the sweep
    of web referrals' notices included (it sent only the reminders)."""
    from django.core.management import call_command

    monkeypatch.setattr(tasks.notify_web_referral, "delay", lambda pk: None)  # broker lost it
    with django_capture_on_commit_callbacks(execute=True):
        _submit(client, info)
    assert Referral.objects.get().notified_at is None
    call_command("run_daily_checks")
    assert len(mailoutbox) == 1
    assert Referral.objects.get().notified_at is not None
    assert "web referral notices sent: 1" in capsys.readouterr().out
