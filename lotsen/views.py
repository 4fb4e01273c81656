from __future__ import annotations

import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lotsen.celery import app as celery_app

# Each check gives up after this long, so that a load balancer hears back within a second
# even when a server does not answer at all.
CHECK_TIMEOUT = 0.4


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when every part answers, else 503 naming the part."""
    checks = {"database": _check_database(), "broker": _check_broker()}
    if settings.CACHE_URL.startswith(("redis://", "rediss://")):
        checks["cache"] = _check_redis(settings.CACHE_URL)
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


# The database check runs in a thread of its own, so that a server that accepts the
# connection and never answers (libpq's connect timeout is 2 s at the least) costs the
# load balancer CHECK_TIMEOUT; while one such check hangs, the next ones say "error" at once.
_database_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="health-db")
_database_pending: list[Future[None]] = []


def _select_one() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        connection.close()  # this thread's own connection


def _check_database() -> str:
    if _database_pending and not _database_pending[0].done():
        return "error"
    _database_pending[:] = [_database_executor.submit(_select_one)]
    try:
        _database_pending[0].result(timeout=CHECK_TIMEOUT)
    except Exception:
        return "error"
    return "ok"


def _check_broker() -> str:
    url = str(celery_app.conf.broker_url or "")
    if url.startswith("filesystem://"):
        return _check_queue_folder()
    if url.startswith(("redis://", "rediss://")):
        return _check_redis(url)
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=CHECK_TIMEOUT)
    except Exception:
        return "error"
    return "ok"


def _check_redis(url: str) -> str:
    try:
        client = redis.Redis.from_url(
            url, socket_connect_timeout=CHECK_TIMEOUT, socket_timeout=CHECK_TIMEOUT
        )
        client.ping()
        client.close()
    except Exception:
        return "error"
    return "ok"


def _check_queue_folder() -> str:
    """The file-system broker is only as good as its folder: a message must be writable."""
    options = celery_app.conf.broker_transport_options or {}
    folder = Path(options.get("data_folder_in", "."))
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".health-"):
            pass
    except OSError:
        return "error"
    return "ok"


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form that came back without a valid token: Swedish, the site's look, no reason."""
    return render(request, "403_csrf.html", status=403)
