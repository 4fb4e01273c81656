"""L2 for every page: anonymous visitors are sent to log in; another unit's staff get 404.

The URL patterns are read from the URLconf, so a new page is checked without being listed
here; a new kind of URL argument must be added to OBJECTS, or this test fails.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from activities.models import ActivityKind, ClosureDay, ExtraOpening
from activities.services import activity_create
from journal.models import Draft
from participants.models import Visit
from referrals.models import CollaborationAction, CollaborationMeeting, OutreachActivity
from reporting.models import Goal, ReportFile, RetentionRun
from tests.factories import (
    TODAY,
    make_course,
    make_entry,
    make_housing_unit,
    make_participant,
    make_place,
    make_plan,
    make_referral,
)
from treatment.models import Measurement, Stage
from treatment.services import course_join, individual_session_record

pytestmark = pytest.mark.django_db
PUBLIC = {"health", "login", "logout", "set_language"}
# The pages for visitors need no login by design; tests/test_public_pages.py covers them.
PUBLIC_NAMESPACES = {"public"}
# django-otp-webauthn's JSON endpoints answer 401/403 themselves; tests/test_two_factor.py.
LIBRARY_NAMESPACES = {"otp_webauthn"}
OUR_NAMESPACES = {
    None,
    "participants",
    "plans",
    "reporting",
    "activities",
    "referrals",
    "journal",
    "treatment",
    "employment",
    "account",
}


def _patterns() -> list[tuple[str, list[str]]]:
    found = []

    def walk(patterns, namespace):  # type: ignore[no-untyped-def]
        for p in patterns:
            if isinstance(p, URLResolver):
                known = OUR_NAMESPACES | PUBLIC_NAMESPACES | LIBRARY_NAMESPACES | {"admin", None}
                assert p.namespace in known, (
                    f"{p.namespace}: add it to OUR_NAMESPACES or PUBLIC_NAMESPACES"
                )
                if p.namespace in OUR_NAMESPACES:
                    walk(p.url_patterns, p.namespace)
            elif isinstance(p, URLPattern) and p.name:
                name = f"{namespace}:{p.name}" if namespace else p.name
                found.append((name, list(p.pattern.regex.groupindex)))

    walk(get_resolver().url_patterns, None)
    return [(n, a) for n, a in found if n not in PUBLIC]


PAGES = _patterns()


@pytest.fixture
def lotsen_objects(training, lotsen, anna, twelve_step, beroende, maria):  # type: ignore[no-untyped-def]
    person = make_participant(lotsen)
    place = make_place(person, training, contact_person=anna)
    plan = make_plan(place, established_on=datetime.date(2026, 11, 1), by=anna)
    referral = make_referral(lotsen, programme=training, status="intake")
    housing = make_housing_unit(lotsen)
    outreach = OutreachActivity.objects.create(
        unit=lotsen,
        date=datetime.date(2026, 11, 2),
        housing_support_unit=housing,
        kind="home_visit",
        people_reached=1,
        isa_presented="no",
        created_by=anna,
    )
    meeting = CollaborationMeeting.objects.create(
        unit=lotsen,
        housing_support_unit=housing,
        planned_on=datetime.date(2026, 12, 1),
        created_by=anna,
    )
    action = CollaborationAction.objects.create(
        meeting=meeting,
        description="Ring",
        owner="Anna",
        due_on=datetime.date(2026, 12, 5),
        created_by=anna,
    )
    activity = activity_create(
        unit=lotsen,
        by=anna,
        leaders=[anna],
        weekdays=[1],
        kind=ActivityKind.ACTIVITY,
        title="Promenad",
        place="Entrén",
        first_date=TODAY,
        last_date=TODAY + datetime.timedelta(days=30),
        starts_at=datetime.time(10),
        ends_at=datetime.time(11),
    )
    closure = ClosureDay.objects.create(unit=lotsen, date=TODAY, reason="Stängt")
    extra = ExtraOpening.objects.create(
        unit=lotsen, date=TODAY, opens=datetime.time(18), closes=datetime.time(20)
    )
    entry = make_entry(person, by=anna)
    draft = Draft.objects.create(participant=person, author=anna, text="Utkast")
    session = activity.sessions.first()
    session.attendances.create(participant=person, recorded_by=anna)
    course = make_course(twelve_step, by=maria)
    membership, _created = course_join(
        course=course, participant=make_participant(beroende), on=TODAY, by=maria
    )
    talk, _created = individual_session_record(
        participant=membership.participant,
        programme=twelve_step,
        date=TODAY,
        starts_at=datetime.time(10),
        minutes=45,
        kind="individual",
        therapist=maria,
        today=TODAY,
        by=maria,
    )
    ips = employment_objects(lotsen, anna)
    goal = Goal.objects.create(
        unit=lotsen, year=2026, title="Fler vidare", indicator="next_step_share", target=50
    )
    report_file = ReportFile.objects.create(unit=lotsen, year=2026, version=1)
    return {
        **ips,
        ("reporting", "unit_pk"): lotsen.pk,
        ("reporting", "year"): 2026,
        ("reporting", "goal_pk"): goal.pk,
        ("reporting", "file_pk"): report_file.pk,
        ("reporting", "fmt"): "csv",
        ("treatment", "unit"): beroende.slug,
        ("treatment", "course_pk"): course.pk,
        ("treatment", "membership_pk"): membership.pk,
        ("treatment", "session_pk"): talk.pk,
        ("treatment", "measurement_pk"): Measurement.objects.create(
            membership=membership,
            stage=Stage.objects.get(anchor="intake"),
            measured_on=TODAY,
            recorded_by=maria,
        ).pk,
        ("treatment", "year"): 2026,
        ("treatment", "month"): 10,
        ("journal", "participant_pk"): person.pk,
        ("journal", "key"): draft.key,
        ("journal", "entry_pk"): entry.pk,
        ("journal", "session_pk"): session.pk,
        ("referrals", "pk"): referral.pk,
        ("referrals", "programme_pk"): training.pk,
        ("referrals", "housing_pk"): housing.pk,
        ("referrals", "outreach_pk"): outreach.pk,
        ("referrals", "meeting_pk"): meeting.pk,
        ("referrals", "action_pk"): action.pk,
        ("activities", "unit"): lotsen.slug,
        ("activities", "day"): TODAY,
        ("activities", "year"): TODAY.year,
        ("activities", "activity_pk"): activity.pk,
        ("activities", "session_pk"): activity.sessions.first().pk,
        ("activities", "closure_pk"): closure.pk,
        ("activities", "extra_pk"): extra.pk,
        ("participants", "pk"): person.pk,
        ("participants", "place_pk"): place.pk,
        ("participants", "programme_pk"): training.pk,
        ("plans", "pk"): plan.pk,
        ("plans", "enrolment_pk"): place.pk,
        ("plans", "revision"): 1,
        # A visit that the correction page corrects.
        ("activities", "participant_pk"): Visit.objects.create(
            participant=person, programme=training, date=TODAY
        ).participant_id,
        ("activities", "programme_pk"): training.pk,
        ("reporting", "participant_pk"): person.pk,
        ("reporting", "run_pk"): RetentionRun.objects.create(
            unit=lotsen, year=TODAY.year, cutoff=TODAY
        ).pk,
    }


def employment_objects(lotsen, anna) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """An IPS case, employer and job start at Lotsen: the IPS programme is moved there for
    this test, so that Hantverkshuset's henrik is the other unit's staff."""
    from employment.models import Employer, EmploymentProgramme, EmploymentSpecialist
    from employment.services import case_open, job_start_record

    ips = EmploymentProgramme.objects.select_related("programme").get()
    ips.programme.unit = lotsen
    ips.programme.save()
    EmploymentSpecialist.objects.create(programme=ips, user=anna)
    place = make_place(make_participant(lotsen), ips.programme, hours=None)
    case = case_open(enrolment=place, specialist=anna, intake_on=TODAY, by=anna, today=TODAY)
    employer = Employer.objects.create(unit=lotsen, name="Bageriet", created_by=anna)
    job = job_start_record(
        case=case, kind="job", start_date=TODAY, by=anna, today=TODAY, revision=None
    )
    return {
        ("employment", "place_pk"): place.pk,
        ("employment", "case_pk"): case.pk,
        ("employment", "job_pk"): job.pk,
        ("employment", "employer_pk"): employer.pk,
    }


def _url(name: str, args: list[str], objects: dict) -> str:  # type: ignore[type-arg]
    namespace = name.split(":")[0]
    return reverse(name, kwargs={arg: objects[(namespace, arg)] for arg in args})


def test_the_pages_were_found() -> None:
    names = {name for name, _ in PAGES}
    assert {"home", "participants:detail", "plans:detail", "reporting:annual"} <= names
    assert {"referrals:detail", "referrals:waiting", "referrals:meeting"} <= names
    assert not any(name.startswith("public:") for name in names)


@pytest.mark.parametrize(("name", "args"), PAGES, ids=[n for n, _ in PAGES])
def test_l2_anonymous_is_sent_to_log_in(client, lotsen_objects, name, args) -> None:
    for method in (client.get, client.post):
        response = method(_url(name, args, lotsen_objects))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("name", "args"), [(n, a) for n, a in PAGES if a], ids=[n for n, a in PAGES if a]
)
def test_l2_another_units_staff_get_404(client, henrik, lotsen_objects, name, args) -> None:
    client.force_login(henrik)
    url = _url(name, args, lotsen_objects)
    assert client.get(url).status_code in (404, 405)
    assert client.post(url, {}).status_code == 404
