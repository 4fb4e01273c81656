"""The treatment demo gives every page something real: a year of courses, measurements at
every stage, the motivation group all year and twelve confirmed statements."""

from __future__ import annotations

import datetime

import pytest

from activities.models import ActivityKind, Session
from lotsen.demo import TEST_NUMBERS, load_demo
from lotsen.models import Role, User
from participants.models import Participant
from tests.factories import TODAY
from treatment.home import therapist_home
from treatment.models import Course, IndividualSession, Stage, Statement

pytestmark = pytest.mark.django_db


def test_demo_has_a_year_of_treatment_history(domain) -> None:
    assert load_demo(today=TODAY)
    running = Course.objects.filter(start_date__lte=TODAY, end_date__gte=TODAY)
    assert running.filter(programme__slug="12-steg-primar").count() == 2
    assert running.filter(programme__slug="forlangd-behandling").exists()
    assert running.filter(programme__slug="aterfallsbehandling").exists()
    sara = User.objects.get(username="sara")
    assert sara.role == Role.MANAGER and sara.units.filter(slug="beroendemottagningen").exists()
    statements = Statement.objects.filter(unit__slug="beroendemottagningen")
    assert statements.count() == 12 and all(s.confirmed_by == sara for s in statements)
    assert all(s.figures["group_sessions"] > 0 for s in statements)
    assert all(s.figures["motivation_sessions"] > 0 for s in statements)
    for stage in Stage.objects.all():
        assert stage.measurements.exists(), stage.name
    year_ago = TODAY - datetime.timedelta(days=365)
    motivation = Session.objects.filter(activity__kind=ActivityKind.MOTIVATION_GROUP)
    assert motivation.filter(date__lte=year_ago).exists()
    assert IndividualSession.objects.filter(starts_at__gte=datetime.time(17)).exists()
    home = therapist_home(User.objects.get(username="maria"), today=TODAY)
    assert any(flag for _c, flag in home["courses"])  # the coming group is below minimum
    assert home["due_measurements"]
    # L6: demo people have Skatteverket's test numbers only.
    numbers = set(Participant.objects.values_list("identity_number", flat=True))
    test_numbers = {n.replace("-", "").replace("+", "") for n in TEST_NUMBERS.read_text().split()}
    assert {n.replace("-", "").replace("+", "") for n in numbers} <= test_numbers
