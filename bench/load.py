# ruff: noqa: S603 (the bench starts its own gunicorn and locust from the venv)
"""`make bench-load`: marks under load against the empty page, through gunicorn.

Runs on the database `make bench` seeded (DATABASE_URL names it, e.g. test_lotsen). Starts
gunicorn (3 workers, DEBUG off), runs each locust scenario of bench/locustfile.py for the
same time with the same users, in BENCH_LOAD_ROUNDS alternating rounds, and prints requests
per second, failures and each round's ratio with their median; then checks that no person
has two visits of a programme on one day.
"""

from __future__ import annotations

import csv
import datetime
import os
import statistics
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
ROUNDS = int(os.environ.get("BENCH_LOAD_ROUNDS", "3"))


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
        # Alternating rounds: on a shared machine the load changes within a minute, so
        # each round's ratio compares two runs made one after the other.
        rounds = [
            {name: _locust(name, env, bin_dir) for name in ("EmptyPage", "Marks")}
            for _ in range(ROUNDS)
        ]
    finally:
        server.terminate()
        server.wait(10)
    with connection.cursor() as c:
        c.execute(
            "SELECT count(*) FROM (SELECT 1 FROM participants_visit "
            "GROUP BY participant_id, programme_id, date HAVING count(*) > 1) AS twice"
        )
        duplicates = c.fetchone()[0]
    print(f"\nLoad bench: {USERS} users, {SECONDS} s a run, {ROUNDS} rounds, gunicorn 3 workers")
    print(f"{'round':<8}{'empty req/s':>12}{'marks/s':>10}{'× empty':>10}{'failures':>10}")
    ratios = []
    for n, results in enumerate(rounds, 1):
        (empty, empty_failed), (marks, marks_failed) = results["EmptyPage"], results["Marks"]
        ratios.append(marks / empty)
        failed = empty_failed + marks_failed
        print(f"{n:<8}{empty:>12.1f}{marks:>10.1f}{marks / empty:>10.2f}{failed:>10}")
    print(f"median × empty: {statistics.median(ratios):.2f}")
    print(f"duplicate visits: {duplicates}")
    failures = sum(f for results in rounds for _, f in results.values())
    return 0 if duplicates == 0 and failures == 0 else 1


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
                "--run-time",  # a cap: the locustfile stops SECONDS after the logins
                f"{int(SECONDS) * 4 + 60}s",
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
