"""Start-up configuration: bad values fail naming the variable; production settings pass
`check --deploy`; the compose stack names its services; /health/ reports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from lotsen.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x9!kT2#vQ8zL4$mN7^pR1&sW6*yB3(cF5)hJ0_gD8+eA2=uI4~oK7",
    "ALLOWED_HOSTS": "lotsen.example.se",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_COOKIES": "true",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "DJANGO_SETTINGS_MODULE"
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_with_debug_off() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "nosuchdb://x"),
        ("DAILY_CHECKS_HOUR", "25"),
        ("SECURE_HSTS_SECONDS", "a year"),
        ("CACHE_URL", "memcached://x"),
        ("PUBLIC_FORM_LIMIT_PER_HOUR", "0"),
        ("PUBLIC_FORM_MAX_BYTES", "many"),
        ("EMAIL_CONNECTIONS", "11"),
    ],
)
def test_bad_values_fail_at_start_up_naming_the_variable(variable: str, value: str) -> None:
    result = _manage("check", **{**PRODUCTION, variable: value})
    assert result.returncode != 0
    assert variable in result.stderr.splitlines()[-1]


@pytest.mark.parametrize("variable", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_needs_a_secret_key_and_hosts(variable: str) -> None:
    result = _manage("check", **{k: v for k, v in PRODUCTION.items() if k != variable})
    assert result.returncode != 0
    assert variable in result.stderr.splitlines()[-1]


def test_static_files_collect_with_the_manifest(tmp_path) -> None:
    result = _manage("collectstatic", "--noinput", STATIC_ROOT=str(tmp_path), **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists()


def test_docker_compose_names_the_production_services() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert set(compose["services"]) >= {"web", "worker", "scheduler", "db", "redis", "mail"}
    assert "gunicorn" in compose["services"]["web"]["command"]
    # Several gunicorn workers share the public form's rate limit through Redis.
    assert compose["x-app"]["environment"]["CACHE_URL"].startswith("redis://")
    assert "beat" in compose["services"]["scheduler"]["command"]
    assert "worker" in compose["services"]["worker"]["command"]


def test_env_example_documents_every_variable_the_settings_read() -> None:
    settings_source = (ROOT / "lotsen" / "settings.py").read_text()
    example = (ROOT / ".env.example").read_text()
    import re

    for variable in set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', settings_source)):
        assert f"{variable}=" in example, variable


@pytest.mark.django_db
def test_health_reports_database_and_broker(client, settings) -> None:
    settings.CACHE_URL = "locmem://"  # no Redis cache configured: no cache part to check
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_health_checks_a_redis_cache_when_one_is_configured(client, settings) -> None:
    settings.CACHE_URL = "redis://127.0.0.1:9/2"  # nothing listens there
    response = client.get(reverse("health"))
    assert response.status_code == 503 and response.json()["cache"] == "error"
    if settings.CELERY_BROKER_URL.startswith("redis://"):  # the suite on Redis, as in CI
        settings.CACHE_URL = settings.CELERY_BROKER_URL
        assert client.get(reverse("health")).json()["cache"] == "ok"


@pytest.mark.django_db
def test_health_is_503_when_the_broker_is_down(client, monkeypatch) -> None:
    saved = celery_app.conf.broker_url
    # Celery reads CELERY_BROKER_URL from the environment before its own setting.
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:9/0")
    celery_app.conf.broker_url = "redis://127.0.0.1:9/0"
    try:
        response = client.get(reverse("health"))
    finally:
        celery_app.conf.broker_url = saved
    assert response.status_code == 503
    assert response.json()["broker"] == "error"


@pytest.mark.django_db
def test_swedish_by_default_even_for_an_english_browser_and_english_on_request(client) -> None:
    login = reverse("login")
    assert "Logga in" in client.get(login, HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": login})
    assert response.status_code == 302
    page = client.get(login).content.decode()
    assert 'lang="en"' in page and "Log in" in page and "Logga in" not in page
    # The choice is this visitor's own: the next visitor, served by the same thread (as the
    # test client is), gets Swedish again.
    assert "Logga in" in Client().get(login).content.decode()


@pytest.mark.django_db
def test_demo_data_is_refused_with_debug_off(domain) -> None:
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")


def test_earlier_secret_keys_are_read_from_the_environment() -> None:
    """Recovery codes are sealed with the secret key: a rotated key keeps them working only
    while the old key is among the fallbacks (decision 0015)."""
    read = "from django.conf import settings; print(settings.SECRET_KEY_FALLBACKS)"
    result = _manage("shell", "-c", read, **PRODUCTION, SECRET_KEY_FALLBACKS="old-one,old-two")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "['old-one', 'old-two']"
