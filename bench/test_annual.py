"""The annual report (verksamhetsberättelse) of a unit-year with 10,000 people and 1,000,000
visits (bench/annual.py), against the goal of issue 17: at most 40 queries, figures in SQL,
under 2 s with the PDF.

Rows: the figures alone, the goals' indicators, the report page, and the whole PDF as the
background task makes it, split into its parts: charts (matplotlib) and the template with
WeasyPrint. PostgreSQL only; BENCH_ANNUAL_PEOPLE and BENCH_ANNUAL_VISITS change the shape.
"""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from bench.annual import UnitYear, seed, seeded
from bench.conftest import ON_POSTGRES, verified_login
from bench.measure import measure
from lotsen.models import Unit, User

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls"), ON_POSTGRES]

SHAPE = UnitYear(
    people=int(os.environ.get("BENCH_ANNUAL_PEOPLE", "10000")),
    visits=int(os.environ.get("BENCH_ANNUAL_VISITS", "1000000")),
)
GOAL = "mål ≤ 40 frågor"
HEAVY = 3  # rounds for the PDF rows (each takes a second or more)


@pytest.fixture(scope="module")
def unit_year(city, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        ids = seeded() or seed(SHAPE)  # with --reuse-db, seeded once for later runs
        return Unit.objects.get(pk=ids["unit"]), User.objects.get(pk=ids["manager"]), ids["year"]


def test_annual_figures(staff_client, unit_year) -> None:
    from reporting.figures import annual_figures

    unit, _manager, year = unit_year
    measure(
        "årsrapport: siffror",
        lambda: annual_figures(unit=unit, year=year, today=SHAPE.today),
        rounds=5,
        note=GOAL,
    )


def test_annual_goals(staff_client, unit_year) -> None:
    from reporting.indicators import goal_rows

    unit, _manager, year = unit_year
    measure(
        "årsrapport: effektmål (3 år)",
        lambda: goal_rows(unit=unit, year=year, today=SHAPE.today),
        rounds=5,
    )


def test_annual_report_page(staff_client, client, unit_year) -> None:
    unit, manager, year = unit_year
    verified_login(client, manager)
    url = reverse("reporting:report", args=[unit.pk, year])
    measure("årsrapport: sidan", lambda: client.get(url), rounds=5)


def test_annual_report_pdf(staff_client, unit_year) -> None:
    from reporting.charts import report_charts
    from reporting.figures import annual_report_pdf
    from reporting.services import report_context, report_pdf

    unit, _manager, year = unit_year
    today = SHAPE.today
    measure(
        "årsrapport: hela med PDF",
        lambda: report_pdf(unit=unit, year=year, today=today, base_url="/"),
        rounds=HEAVY,
        note=f"{GOAL}, < 2000 ms",
    )
    context = report_context(unit=unit, year=year, today=today)
    figures = context.pop("f")
    measure(
        "  varav diagram (matplotlib)",
        lambda: report_charts(figures, context["goals"]),
        rounds=HEAVY,
    )
    measure(
        "  varav mall + WeasyPrint",
        lambda: annual_report_pdf(figures, base_url="/", **context),
        rounds=HEAVY,
    )
