"""Pages keep a fixed number of SQL queries whatever the data size."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants.services import visit_record
from tests.factories import make_participant, make_place, make_plan

pytestmark = pytest.mark.django_db
D = datetime.date


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    assert connection.features.supports_json_field  # SQLite finds out once, with a query
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _overdue_plans(n: int, training, lotsen, anna) -> None:  # type: ignore[no-untyped-def]
    for _ in range(n):
        place = make_place(
            make_participant(lotsen), training, contact_person=anna, start=D(2026, 1, 1)
        )
        make_plan(place, established_on=D(2026, 1, 5), by=anna)


def test_home_queries_do_not_grow_with_overdue_plans(client, training, lotsen, anna) -> None:
    client.force_login(anna)
    _overdue_plans(2, training, lotsen, anna)
    few = _queries(client, reverse("home"))
    _overdue_plans(20, training, lotsen, anna)
    assert _queries(client, reverse("home")) == few


def test_participant_page_queries_do_not_grow_with_places_and_visits(
    client, drop_in, training, lotsen, anna
) -> None:
    client.force_login(anna)
    person = make_participant(lotsen)
    url = reverse("participants:detail", args=[person.pk])
    make_place(person, drop_in, hours=None, start=D(2026, 1, 1), end=D(2026, 1, 31))
    few = _queries(client, url)
    for month in range(2, 12):
        place = make_place(
            person, training, contact_person=anna, start=D(2026, month, 1), end=D(2026, month, 20)
        )
        make_plan(place, established_on=D(2026, month, 2), by=anna)
        visit_record(participant=person, programme=drop_in, date=D(2026, month, 3), by=anna)
    assert _queries(client, url) == few


def test_plan_page_queries_do_not_grow_with_follow_ups(client, training, lotsen, anna) -> None:
    client.force_login(anna)
    place = make_place(make_participant(lotsen), training, contact_person=anna, start=D(2026, 1, 1))
    plan = make_plan(place, established_on=D(2026, 1, 5), by=anna)
    url = reverse("plans:detail", args=[plan.pk])
    plan.record_follow_up(on=D(2026, 2, 1), by=anna, progress="1")
    few = _queries(client, url)
    for day in range(2, 20):
        plan.record_follow_up(on=D(2026, 3, day), by=anna, progress=str(day))
    assert _queries(client, url) == few


def test_r13_digest_queries_do_not_grow_with_plans(training, lotsen, anna, omar) -> None:
    """One query per kind of reminder, then a fixed handful per recipient."""
    from plans.models import ReminderDigest
    from plans.services import reminder_digests_send

    def count() -> int:
        ReminderDigest.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            assert reminder_digests_send(today=D(2026, 11, 23)) == 2
        return len(captured)

    _overdue_plans(1, training, lotsen, anna)
    _overdue_plans(1, training, lotsen, omar)
    few = count()
    _overdue_plans(15, training, lotsen, anna)
    _overdue_plans(15, training, lotsen, omar)
    assert count() == few


def test_home_lists_what_to_do_in_order(client, training, lotsen, anna) -> None:
    # Nobody here has attended: keep the R6 low-attendance list out of the order under test.
    training.low_attendance_weeks = None
    training.save()
    late = make_place(
        make_participant(lotsen, last_name="Sen"),
        training,
        contact_person=anna,
        start=D(2026, 1, 1),
    )
    make_plan(late, established_on=D(2026, 1, 5), by=anna)
    make_place(
        make_participant(lotsen, last_name="Utanplan"),
        training,
        contact_person=anna,
        start=D(2026, 10, 1),
    )
    ending = make_place(
        make_participant(lotsen, last_name="Slutar"),
        training,
        contact_person=anna,
        start=D(2025, 1, 10),
        end=D(2027, 1, 9),
    )
    make_plan(ending, established_on=D(2026, 11, 1), by=anna)
    client.force_login(anna)
    page = client.get(reverse("home")).content.decode()
    assert page.index("Sen") < page.index("Utanplan") < page.index("Slutar")
    assert "2027-01-09" in page  # R7: two years from 2025-01-10


def _referrals(n: int, lotsen, training, status: str = "waiting") -> None:  # type: ignore[no-untyped-def]
    from tests.factories import make_referral

    for index in range(n):
        make_referral(
            lotsen,
            programme=training,
            status=status,
            participant=make_participant(lotsen) if index % 2 else None,
            received_on=D(2026, 10, 1 + index % 28),
        )


@pytest.mark.parametrize("name", ["referrals:list", "referrals:waiting"])
def test_r22_referral_lists_do_not_grow_with_referrals(
    client, anna, lotsen, training, name
) -> None:
    client.force_login(anna)
    url = reverse(name)
    _referrals(2, lotsen, training)
    few = _queries(client, url)
    _referrals(25, lotsen, training)
    assert _queries(client, url) == few
    assert few <= 20


def test_r22_waiting_list_of_a_programme_does_not_grow(client, anna, lotsen, training) -> None:
    client.force_login(anna)
    url = reverse("referrals:waiting_programme", args=[training.pk])
    _referrals(2, lotsen, training)
    few = _queries(client, url)
    _referrals(25, lotsen, training)
    assert _queries(client, url) == few


def test_referral_page_does_not_grow_with_steps(client, anna, lotsen, training) -> None:
    from referrals.services import referral_move
    from tests.factories import make_referral

    referral = make_referral(lotsen, programme=training, received_on=D(2026, 11, 1))
    client.force_login(anna)
    url = reverse("referrals:detail", args=[referral.pk])
    few = _queries(client, url)
    for to in ("contacted", "intake", "waiting", "intake", "waiting"):
        referral_move(
            referral=referral,
            to=to,
            on=D(2026, 11, 20),
            by=anna,
            revision=None,
            today=D(2026, 11, 23),
        )
    assert _queries(client, url) == few


def test_r4_collaboration_pages_do_not_grow(client, anna, lotsen) -> None:
    from referrals.models import CollaborationAction, CollaborationMeeting
    from referrals.services import outreach_record
    from tests.factories import make_housing_unit

    def add(n: int, start: int) -> None:
        for index in range(start, start + n):
            housing = make_housing_unit(lotsen, f"Boendestöd {index}")
            outreach_record(
                by=anna,
                participants=[make_participant(lotsen)],
                unit=lotsen,
                date=D(2026, 5, 1),
                housing_support_unit=housing,
                kind="home_visit",
                people_reached=2,
                isa_presented="yes",
            )
            meeting = CollaborationMeeting.objects.create(
                unit=lotsen,
                housing_support_unit=housing,
                planned_on=D(2026, 12, 1),
                created_by=anna,
            )
            CollaborationAction.objects.create(
                meeting=meeting,
                description="x",
                owner="y",
                due_on=D(2026, 12, 5),
                created_by=anna,
            )

    client.force_login(anna)
    urls = [reverse("referrals:collaboration"), reverse("referrals:figures")]
    add(2, 0)
    few = [_queries(client, url) for url in urls]
    add(15, 2)
    assert [_queries(client, url) for url in urls] == few


def _people_on_the_sheet(n: int, lotsen, training, drop_in, anna) -> None:  # type: ignore[no-untyped-def]
    from activities.attendance import visit_mark

    for i in range(n):
        trainee = make_participant(lotsen)
        make_place(trainee, training, hours=5, contact_person=anna, start=D(2026, 10, 1))
        regular = make_participant(lotsen)
        make_place(regular, drop_in, hours=None, start=D(2026, 1, 1))
        if i % 2:
            visit_mark(
                participant=regular,
                programme=drop_in,
                day=D(2026, 11, 23),
                hours=None,
                by=anna,
                today=D(2026, 11, 23),
            )


def test_sheet_and_week_queries_do_not_grow_with_people(
    client, lotsen, training, drop_in, anna
) -> None:
    client.force_login(anna)
    sheet = reverse("activities:sheet", kwargs={"unit": "lotsen", "day": D(2026, 11, 23)})
    week = reverse("activities:week", kwargs={"unit": "lotsen", "day": D(2026, 11, 23)})
    _people_on_the_sheet(2, lotsen, training, drop_in, anna)
    few = (_queries(client, sheet), _queries(client, week), _queries(client, reverse("home")))
    _people_on_the_sheet(20, lotsen, training, drop_in, anna)
    assert (
        _queries(client, sheet),
        _queries(client, week),
        _queries(client, reverse("home")),
    ) == few


def test_activity_pages_queries_do_not_grow_with_sessions_and_members(client, lotsen, anna) -> None:
    from activities.models import ActivityKind
    from activities.services import activity_create, attendance_mark, member_add

    def series(title: str, weeks: int):  # type: ignore[no-untyped-def]
        activity = activity_create(
            unit=lotsen,
            by=anna,
            leaders=[anna],
            weekdays=[0, 2, 4],
            kind=ActivityKind.ACTIVITY,
            title=title,
            place="Lotsen",
            first_date=D(2026, 11, 2),
            last_date=D(2026, 11, 2) + datetime.timedelta(weeks=weeks),
            starts_at=datetime.time(10),
            ends_at=datetime.time(11),
        )
        for _ in range(weeks):
            person = make_participant(lotsen)
            member_add(activity=activity, participant=person, by=anna)
            attendance_mark(session=activity.sessions.first(), participant=person, by=anna)
        return activity

    client.force_login(anna)
    first = series("A", 4)
    urls = [
        reverse("activities:activity_list", kwargs={"unit": "lotsen"}),
        reverse("activities:activity", args=[first.pk]),
        reverse("activities:session", args=[first.sessions.first().pk]),
        reverse("activities:calendar", kwargs={"unit": "lotsen", "year": 2026}),
    ]
    few = [_queries(client, url) for url in urls]
    big = series("B", 10)
    for _ in range(3):
        series("C", 2)
    urls[1:3] = [
        reverse("activities:activity", args=[big.pk]),
        reverse("activities:session", args=[big.sessions.first().pk]),
    ]
    assert [_queries(client, url) for url in urls] == few


# The busy pages at most 12 queries as `make bench` counts them: signed in with both steps
# (the second factor's device is read on every request), the same count with more data.
BUSY_PAGE_QUERIES = 12


def _both_steps(client, user, settings) -> None:  # type: ignore[no-untyped-def]
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.REQUIRE_TWO_FACTOR = True
    device = TOTPDevice.objects.create(user=user, name="telefon", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def _caseload(n: int, training, lotsen, anna) -> None:  # type: ignore[no-untyped-def]
    """Places of every kind the home page lists: follow-ups overdue, plans missing, renewals
    due, follow-ups due soon, longest durations reached; and an unsigned draft."""
    from journal.models import Draft

    for _ in range(n):
        _overdue_plans(1, training, lotsen, anna)
        make_place(make_participant(lotsen), training, contact_person=anna, start=D(2026, 10, 1))
        renewal = make_place(
            make_participant(lotsen), training, contact_person=anna, start=D(2025, 11, 1)
        )
        make_plan(renewal, established_on=D(2025, 11, 25), by=anna)
        soon = make_place(
            make_participant(lotsen), training, contact_person=anna, start=D(2026, 8, 1)
        )
        make_plan(soon, established_on=D(2026, 8, 25), by=anna)
        make_place(make_participant(lotsen), training, contact_person=anna, start=D(2025, 1, 2))
        Draft.objects.create(participant=make_participant(lotsen), author=anna, text="Utkast")


def test_home_in_twelve_queries_whatever_the_caseload(
    client, training, lotsen, anna, settings
) -> None:
    # R6's low-attendance list reads the shown places' weeks (one query) when there are any;
    # here everyone attends enough, see the next test.
    training.low_attendance_weeks = None
    training.save()
    _both_steps(client, anna, settings)
    _caseload(1, training, lotsen, anna)
    few = _queries(client, reverse("home"))
    _caseload(8, training, lotsen, anna)
    page = client.get(reverse("home")).content.decode()
    for label in ("Försenad uppföljning", "Plan saknas", "Planen ska förnyas", "Uppföljning snart"):
        assert label in page
    assert "Platsen når längsta tid" in page and "Osignerade journalutkast" in page
    assert _queries(client, reverse("home")) == few <= BUSY_PAGE_QUERIES


def test_home_with_low_attendance_does_not_grow(client, training, lotsen, anna, settings) -> None:
    _both_steps(client, anna, settings)
    _caseload(1, training, lotsen, anna)
    few = _queries(client, reverse("home"))
    _caseload(8, training, lotsen, anna)
    assert "Låg närvaro i förstegsträning" in client.get(reverse("home")).content.decode()
    assert _queries(client, reverse("home")) == few <= BUSY_PAGE_QUERIES


def _everything_about(person, drop_in, training, lotsen, anna, n: int) -> None:  # type: ignore[no-untyped-def]
    """A person with n of every kind of row the participant page lists."""
    from journal.models import Draft
    from participants.models import Assessment, AssessmentInstrument, HousingSupport, Relative
    from tests.factories import make_entry, make_referral

    awp = AssessmentInstrument.objects.get(name="AWP")
    start = Relative.objects.filter(participant=person).count()
    for i in range(start, start + n):
        month = 1 + i % 10
        place = make_place(
            person, training, contact_person=anna, start=D(2026, month, 1), end=D(2026, month, 20)
        )
        make_plan(place, established_on=D(2026, month, 2), by=anna)
        visit_record(participant=person, programme=drop_in, date=D(2026, month, 3 + i), by=anna)
        Relative.objects.create(participant=person, name=f"R{i}", relation="syster", consent="-")
        HousingSupport.objects.create(
            participant=person,
            recorded_on=D(2026, month, 1 + i),
            occasion="start",
            hours_per_week=2,
        )
        Assessment.objects.create(
            participant=person, unit=lotsen, instrument=awp, date=D(2026, month, 1 + i),
            assessor=anna, conclusions="c",
        )  # fmt: skip
        make_referral(lotsen, programme=training, participant=person, received_on=D(2026, month, 1))
        make_entry(person, by=anna)
        Draft.objects.create(participant=person, author=anna, text="Utkast")


def test_participant_page_in_twelve_queries_whatever_the_record(
    client, drop_in, training, lotsen, anna, settings
) -> None:
    _both_steps(client, anna, settings)
    person = make_participant(lotsen)
    url = reverse("participants:detail", args=[person.pk])
    _everything_about(person, drop_in, training, lotsen, anna, 1)
    few = _queries(client, url)
    _everything_about(person, drop_in, training, lotsen, anna, 6)
    page = client.get(url).content.decode()
    assert "R6" in page and "Osignerat" not in page and "Ditt osignerade utkast" in page
    assert _queries(client, url) == few <= BUSY_PAGE_QUERIES


def test_plan_page_in_twelve_queries_whatever_its_history(
    client, training, lotsen, anna, settings
) -> None:
    from plans.services import plan_update

    _both_steps(client, anna, settings)
    place = make_place(make_participant(lotsen), training, contact_person=anna, start=D(2026, 1, 1))
    plan = make_plan(place, established_on=D(2026, 1, 5), by=anna)
    url = reverse("plans:detail", args=[plan.pk])
    assert _queries(client, url) <= BUSY_PAGE_QUERIES, [q["sql"][:120] for q in connection.queries]
    plan.record_follow_up(on=D(2026, 2, 1), by=anna, progress="1")
    few = _queries(client, url)
    for day in range(2, 12):
        plan.record_follow_up(on=D(2026, 3, day), by=anna, progress=str(day))
    plan.refresh_from_db()
    plan_update(plan=plan, by=anna, expected_revision=plan.revision, fields={"goals": "Nya mål"})
    assert _queries(client, url) == few <= BUSY_PAGE_QUERIES


def test_the_sheet_takes_eleven_queries_with_trainees_walk_ins_and_a_correction(
    client, lotsen, training, drop_in, anna, django_assert_max_num_queries
) -> None:
    """The session, the user, the user's units (the menu's too), the programmes with their
    anonymous counts (the menu's too), the places with their planned hours, the day's visits,
    the record log, the corrections and the day's opening hours (three). The bench adds the
    second factor's device."""
    from activities.attendance import visit_correct, visit_mark

    day = D(2026, 11, 20)  # past the correction window: rows link to a correction
    _people_on_the_sheet(5, lotsen, training, drop_in, anna)
    walk_in = make_participant(lotsen, first_name="Wilma")
    visit_mark(participant=walk_in, programme=drop_in, day=day, hours=None, by=anna, today=day)
    visit_mark(participant=walk_in, programme=training, day=day, hours=None, by=anna, today=day)
    visit_correct(
        participant=walk_in,
        programme=training,
        day=day,
        hours=None,
        remove=True,
        reason="Fel person",
        by=anna,
    )
    client.force_login(anna)
    sheet = reverse("activities:sheet", kwargs={"unit": "lotsen", "day": day})
    with django_assert_max_num_queries(11):
        page = client.get(sheet).content.decode()
    assert "Wilma" in page and "kom utan att väntas" in page
    assert "Rättelser av närvaro" in page and "Fel person" in page


def test_a_mark_and_its_undo_take_a_fixed_few_queries(
    client, lotsen, training, anna, settings
) -> None:
    """A mark, signed in with both steps: the session with its user and their device, the
    programme and the person with their place and whether they are marked (one query), and
    the visit written with its audit trail (insert, audit log, record log). The savepoints
    are the test's transaction's: in production that atomic block is BEGIN and COMMIT,
    which Django does not count either. An undo also reads the visit, its group-session
    marks (whether there are any, in the same query) and treatment sessions before it
    deletes it."""
    from django.contrib.contenttypes.models import ContentType

    from participants.models import Visit

    ContentType.objects.get_for_model(Visit)  # cached for the life of the process
    person = make_participant(lotsen)
    make_place(person, training, hours=5, contact_person=anna, start=D(2026, 10, 1))
    _both_steps(client, anna, settings)
    url = reverse("activities:sheet_mark", kwargs={"unit": "lotsen", "day": D(2026, 11, 23)})
    data = {"participant": person.pk, "programme": training.pk, "hours": "2,5"}

    def post(**changed: str) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            answer = client.post(url, {**data, **changed}, HTTP_HX_REQUEST="true")
        assert answer.status_code == 200
        counted = [q for q in captured if "SAVEPOINT" not in q["sql"]]
        return len(counted), answer.content.decode()

    queries, marked = post(action="present")
    assert queries <= 5
    assert "Ångra närvaro för" in marked
    assert Visit.objects.get(participant=person).hours == Decimal("2.5")
    assert post(action="present")[0] <= 3  # a double click: the visit is read, not written
    assert post(action="present", hours="3")[0] <= 7  # the audit log reads the old row
    assert Visit.objects.get(participant=person).hours == Decimal(3)
    queries, undone = post(action="absent")
    assert queries <= 7
    assert "planerat 5 tim/vecka" in undone
    assert f"Närvarande: {person.full_name}" in undone
    assert not Visit.objects.filter(participant=person).exists()
