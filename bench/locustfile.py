"""Load scenarios for `make bench-load` (bench/load.py runs them against gunicorn).

EmptyPage: a signed-in member of staff asks for the empty page of the site, as fast as the
server answers. Marks: the same staff mark people present on today's sheet and undo it,
at random, racing each other over the same few people (what a busy morning looks like).
"""

from __future__ import annotations

import os
import random
import re

import gevent
from gevent.event import Event
from locust import HttpUser, constant, task

PEOPLE = [int(p) for p in os.environ["BENCH_MARK_PEOPLE"].split(",")]
PROGRAMME = os.environ["BENCH_MARK_PROGRAMME"]
DAY = os.environ["BENCH_MARK_DAY"]
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# Signing in (PBKDF2) takes seconds: every user waits until all have signed in, and the
# last one resets the statistics and stops the run BENCH_SECONDS later, so that the rates
# count only the scenario's requests, over the same time in every run.
SIGNED_IN = Event()
_signed_in = [0]


class _Staff(HttpUser):
    abstract = True
    wait_time = constant(0)

    def on_start(self) -> None:
        page = self.client.get("/logga-in/", name="login")
        token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        self.client.post(
            "/logga-in/",
            {"username": "bench0", "password": "x", "csrfmiddlewaretoken": token},
            name="login",
        )
        self.token = self.client.cookies.get("csrftoken", "")
        _signed_in[0] += 1
        if _signed_in[0] == self.environment.parsed_options.num_users:
            self.environment.stats.reset_all()
            SIGNED_IN.set()
            runner = self.environment.runner
            assert runner is not None
            gevent.spawn_later(SECONDS, runner.quit)  # the measured time, without logins
        SIGNED_IN.wait()


class EmptyPage(_Staff):
    @task
    def empty(self) -> None:
        self.client.get("/bench/tom-sida/", name="empty page")


class Marks(_Staff):
    @task
    def mark_or_undo(self) -> None:
        person = random.choice(PEOPLE)  # noqa: S311 (load pattern, not security)
        self.client.post(
            f"/verksamhet/lotsen/narvaro/{DAY}/markera/",
            {
                "participant": person,
                "programme": PROGRAMME,
                "action": random.choice(["present", "absent"]),  # noqa: S311
                "hours": "2,5",
            },
            headers={"X-CSRFToken": self.token, "HX-Request": "true"},
            name="mark",
        )
