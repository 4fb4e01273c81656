"""Named personas: a support assistant and an occupational therapist at Lotsen, the unit
manager, and staff of another unit who must see nothing."""

from __future__ import annotations

import datetime
import importlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.utils import translation

from lotsen.models import Programme, Role, Unit, User
from tests.factories import TODAY, make_staff

NOW = datetime.datetime.combine(TODAY, datetime.time(10, 0), tzinfo=ZoneInfo("Europe/Stockholm"))


@pytest.fixture(autouse=True)
def _frozen_today(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Every test runs on TODAY (the clock ticks from 10:00), so dates never drift,
    unless it is marked `real_clock` (the browser and worker tests say so and why)."""
    if request.node.get_closest_marker("real_clock"):
        yield
        return
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The visits trigger compares with the database's real date while tests run on TODAY:
    widen the database's correction window by the difference, so that both clocks agree
    on which days are past the window (decision 0016).

    A commit does not wait for the WAL to reach the disk (a test database need not survive
    a crash): what other connections see is unchanged, and the tests that commit (the
    browser's live server, the races) no longer wait ~3 ms for every statement."""
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    skew = (datetime.date.today() - TODAY).days
    days = max(skew, 0) + settings.ATTENDANCE_CORRECTION_DAYS
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        name = connection.ops.quote_name(connection.settings_dict["NAME"])
        cursor.execute(f"ALTER DATABASE {name} SET lotsen.correction_days = '{days}'")
        cursor.execute(f"ALTER DATABASE {name} SET synchronous_commit = off")
    connection.close()


@pytest.fixture(scope="session", autouse=True)
def _flush_by_delete():  # type: ignore[no-untyped-def]
    """A transactional test's flush deletes rows rather than truncating (tests/emptying.py)."""
    from tests import emptying

    undo = emptying.install()
    yield
    undo()


@pytest.fixture(autouse=True)
def _swedish():  # type: ignore[no-untyped-def]
    """Every test starts in Swedish and leaves the language as it found it.

    The language middleware activates the visitor's language in the thread that serves
    the request, which for the test client is the test's own thread.
    """
    with translation.override("sv"):
        yield


@pytest.fixture(autouse=True)
def _password_alone(settings) -> None:  # type: ignore[no-untyped-def]
    """Tests log in with force_login; the ones about the second factor turn it on."""
    settings.REQUIRE_TWO_FACTOR = False


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    """No test is about the hash; Django's PBKDF2 costs most of a second per password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


_seeds = [
    importlib.import_module("lotsen.migrations.0002_seed_units_and_programmes").seed,
    importlib.import_module(
        "lotsen.migrations.0003_programme_external_workplace"
    )._team_isa_is_outside,
    importlib.import_module("participants.migrations.0004_seed_instruments").seed,
    importlib.import_module("lotsen.migrations.0004_plan_renewal").renew_yearly,
    importlib.import_module("plans.migrations.0004_seed_methods").seed,
    importlib.import_module("lotsen.migrations.0007_seed_visit_recording_and_open_days").seed,
    importlib.import_module("participants.migrations.0011_seed_opening_hours").seed,
    importlib.import_module("lotsen.migrations.0008_programme_presented_at_outreach").seed,
    importlib.import_module("journal.migrations.0002_seed_kinds_and_rules").seed,
    importlib.import_module("treatment.migrations.0002_seed_courses_measures_agreement").seed,
    importlib.import_module("employment.migrations.0002_seed_ips_programme").seed,
    importlib.import_module("reporting.migrations.0002_seed_compensation_and_schedule").seed,
]


class _AppsAfterTheMove:
    """The opening-hours seed predates the activities app and asks for its model by the old
    app label (decision 0011); migrations see the old label, the tests' registry the new."""

    def get_model(self, app_label: str, model_name: str):  # type: ignore[no-untyped-def]
        if app_label == "participants" and model_name == "OpeningHours":
            app_label = "activities"
        return apps.get_model(app_label, model_name)


@pytest.fixture
def domain(db: None) -> None:
    """The seeded units and programmes; seeded again after a transactional test's flush."""
    for seed in _seeds:
        seed(_AppsAfterTheMove(), None)


@pytest.fixture
def lotsen(domain: None) -> Unit:
    return Unit.objects.get(slug="lotsen")


@pytest.fixture
def hantverkshuset(domain: None) -> Unit:
    return Unit.objects.get(slug="hantverkshuset")


@pytest.fixture
def training(domain: None) -> Programme:
    return Programme.objects.get(slug="forstegstraning")


@pytest.fixture
def isa(domain: None) -> Programme:
    return Programme.objects.get(slug="team-isa")


@pytest.fixture
def drop_in(domain: None) -> Programme:
    return Programme.objects.get(slug="basverksamhet")


@pytest.fixture
def beroende(domain: None) -> Unit:
    return Unit.objects.get(slug="beroendemottagningen")


@pytest.fixture
def young_adults(domain: None) -> Programme:
    return Programme.objects.get(slug="yngre-lotsen")


@pytest.fixture
def twelve_step(domain: None) -> Programme:
    return Programme.objects.get(slug="12-steg-primar")


@pytest.fixture
def maria(beroende: Unit) -> User:
    """Alcohol and drug therapist at Beroendemottagningen."""
    return make_staff("maria", beroende, Role.DRUG_THERAPIST, first_name="Maria")


@pytest.fixture
def anna(lotsen: Unit) -> User:
    """Support assistant at Lotsen, contact person for trainees."""
    return make_staff("anna", lotsen, first_name="Anna", last_name="Lindqvist")


@pytest.fixture
def omar(lotsen: Unit) -> User:
    """Occupational therapist at Lotsen."""
    return make_staff("omar", lotsen, Role.OCCUPATIONAL_THERAPIST, first_name="Omar")


@pytest.fixture
def eva(lotsen: Unit) -> User:
    """Unit manager at Lotsen."""
    return make_staff("eva", lotsen, Role.MANAGER, first_name="Eva")


@pytest.fixture
def henrik(hantverkshuset: Unit) -> User:
    """Staff of another unit (Hantverkshuset): must see nothing of Lotsen's people."""
    return make_staff("henrik", hantverkshuset, Role.MANAGER, first_name="Henrik")


@pytest.fixture(autouse=True)
def _static_without_manifest(settings) -> None:  # type: ignore[no-untyped-def]
    """Tests render pages without running collectstatic; the manifest is tested on its own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
