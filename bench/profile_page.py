"""Print one page's queries with their times on an already seeded bench database.

    DATABASE_URL=postgres://…/test_lotsen_bench DEBUG=true \\
        .venv/bin/python -m bench.profile_page /deltagare/ [--explain] [--python] [--all]

--explain: the slow queries' plans; --python: where the Python time goes (cProfile, cumulative);
--all: every query in order.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotsen.settings")
django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from lotsen.models import User  # noqa: E402


def main(path: str, explain: bool, python: bool) -> None:
    from bench.conftest import verified_login

    client = Client()
    verified_login(client, User.objects.get(username="bench0"))
    with override_settings(ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["*"]):
        for _ in range(2):
            client.get(path)
        reset_queries()
        started = time.perf_counter()
        response = client.get(path)
        total = (time.perf_counter() - started) * 1000
        if python:
            profile = cProfile.Profile()
            profile.runcall(client.get, path)
            pstats.Stats(profile).sort_stats(os.environ.get("PROF_SORT", "cumulative")).print_stats(
                45
            )
    queries = list(connection.queries)
    print(f"{path}: {response.status_code}, {len(queries)} queries, {total:.1f} ms")
    if "--all" in sys.argv:
        for q in queries:
            print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:160]}")
    for q in sorted(queries, key=lambda q: -float(q["time"]))[:6]:
        print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:400]}")
        if explain and float(q["time"]) > 0.005:
            with connection.cursor() as c:
                c.execute("EXPLAIN ANALYZE " + q["sql"])
                print("\n".join("      " + r[0] for r in c.fetchall()))


if __name__ == "__main__":
    main(sys.argv[1], "--explain" in sys.argv, "--python" in sys.argv)
