# ruff: noqa: S603 (the bench starts its own gunicorn and locust from the venv)
"""`make bench-load`: marks under load against the empty page, through gunicorn.

Runs on the database `make bench` seeded (DATABASE_URL names it, e.g. test_lotsen). Starts
gunicorn (3 workers, DEBUG off), runs each locust scenario of bench/locustfile.py for the
same time with the same users, and prints requests per second, failures and the ratio;
then checks that no person has two visits of a programme on one day.
"""

from __future__ import annotations

import csv
import datetime
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8199"))
USERS = os.environ.get("BENCH_USERS", "8")
SECONDS = os.environ.get("BENCH_SECONDS", "20")


SERVER = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
    "REQUIRE_TWO_FACTOR": "false",
}


def main() -> int:
    os.environ.update(SERVER)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotsen.settings")
    django.setup()
    from django.db import connection

    from lotsen.models import Programme

    programme = Programme.objects.get(slug="forstegstraning")
    with connection.cursor() as c:
        c.execute(
            "SELECT participant_id FROM participants_enrolment e "
            "JOIN participants_participant p ON p.id = e.participant_id "
            "WHERE e.programme_id = %s AND e.end_date IS NULL AND NOT p.protected_identity "
            "ORDER BY participant_id LIMIT 20",
            [programme.pk],
        )
        people = [str(row[0]) for row in c.fetchall()]
    env = {
        **os.environ,
        "BENCH_MARK_PEOPLE": ",".join(people),
        "BENCH_MARK_PROGRAMME": str(programme.pk),
        "BENCH_MARK_DAY": datetime.date.today().isoformat(),
    }
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, check=True
    )
    server = subprocess.Popen(
        [bin_dir / "gunicorn", "bench.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "3"],
        env=env,
        cwd=ROOT,
    )
    try:
        _wait_for(f"http://127.0.0.1:{PORT}/health/")
        results = {name: _locust(name, env, bin_dir) for name in ("EmptyPage", "Marks")}
    finally:
        server.terminate()
        server.wait(10)
    with connection.cursor() as c:
        c.execute(
            "SELECT count(*) FROM (SELECT 1 FROM participants_visit "
            "GROUP BY participant_id, programme_id, date HAVING count(*) > 1) AS twice"
        )
        duplicates = c.fetchone()[0]
    empty_rps = results["EmptyPage"][0]
    print(f"\nLoad bench: {USERS} users, {SECONDS} s each, gunicorn 3 workers")
    print(f"{'scenario':<12}{'req/s':>10}{'failures':>10}{'× empty':>10}")
    for name, (rps, failures) in results.items():
        print(f"{name:<12}{rps:>10.1f}{failures:>10}{rps / empty_rps:>10.2f}")
    print(f"duplicate visits: {duplicates}")
    return 0 if duplicates == 0 and all(f == 0 for _, f in results.values()) else 1


def _wait_for(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 (a local URL)
            return
        except OSError:
            time.sleep(0.2)  # the server starting; a bench, not a test
    raise SystemExit(f"gunicorn did not answer at {url}")


def _locust(user_class: str, env: dict[str, str], bin_dir: Path) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as out:
        prefix = str(Path(out) / "stats")
        subprocess.run(
            [
                bin_dir / "locust",
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                USERS,
                "--spawn-rate",
                USERS,
                "--run-time",
                f"{SECONDS}s",
                "--host",
                f"http://127.0.0.1:{PORT}",
                "--csv",
                prefix,
                "--only-summary",  # the statistics start once every user has signed in
                user_class,
            ],
            env=env,
            cwd=ROOT,
            check=False,
        )
        with open(f"{prefix}_stats.csv", newline="") as f:
            rows = {row["Name"]: row for row in csv.DictReader(f)}
    name = "empty page" if user_class == "EmptyPage" else "mark"
    return float(rows[name]["Requests/s"]), int(rows[name]["Failure Count"])


if __name__ == "__main__":
    raise SystemExit(main())
