"""The activity, session, week and calendar pages (R16-R18, L8) with their messages."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from activities.models import (
    Activity,
    ActivityKind,
    ActivityMember,
    ClosureDay,
    ExtraOpening,
    SessionAttendance,
)
from activities.services import activity_create, member_add
from tests.factories import TODAY, make_namesakes, make_participant, picks_namesakes_apart

pytestmark = pytest.mark.django_db
D = datetime.date
T = datetime.time


def _form(**over):  # type: ignore[no-untyped-def]
    data = {
        "kind": ActivityKind.MOTIVATION_GROUP,
        "title": "Motivationsgruppen",
        "place": "Rum 2",
        "weekdays": ["1", "3"],
        "first_date": "2026-11-23",
        "last_date": "2027-02-28",
        "starts_at": "13:00",
        "ends_at": "14:30",
    }
    return {**data, **over}


def test_r18_motivation_group_two_days_a_week_is_created_as_a_series(
    client, maria, beroende
) -> None:
    client.force_login(maria)
    url = reverse("activities:activity_create", kwargs={"unit": beroende.slug})
    response = client.post(url, _form(leaders=[maria.pk]))
    activity = Activity.objects.get()
    assert response["Location"] == reverse("activities:activity", args=[activity.pk])
    weekdays = {s.date.weekday() for s in activity.sessions.all()}
    assert weekdays == {1, 3}
    # L8: no session on Christmas Eve or New Year's Eve (both Thursdays in 2026).
    assert not activity.sessions.filter(date__in=[D(2026, 12, 24), D(2026, 12, 31)]).exists()


def test_dates_in_the_wrong_order_keep_what_was_typed(client, maria, beroende) -> None:
    client.force_login(maria)
    url = reverse("activities:activity_create", kwargs={"unit": beroende.slug})
    response = client.post(url, _form(leaders=[maria.pk], last_date="2026-11-01"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Sista datum ligger före första datum" in page
    assert 'value="Motivationsgruppen"' in page
    assert not Activity.objects.exists()


def _group(beroende, maria, programme=None, **fields):  # type: ignore[no-untyped-def]
    return activity_create(
        unit=beroende,
        by=maria,
        leaders=[maria],
        weekdays=[0, 2],
        programme=programme,
        **{
            "kind": ActivityKind.GROUP_TREATMENT,
            "title": "12-steg grupp A",
            "place": "Gruppen",
            "first_date": TODAY,
            "last_date": TODAY + datetime.timedelta(weeks=6),
            "starts_at": T(9),
            "ends_at": T(11),
            **fields,
        },
    )


def test_r18_a_full_group_gets_a_clear_message(client, maria, beroende, twelve_step) -> None:
    group = _group(beroende, maria, twelve_step)
    for _ in range(8):
        member_add(activity=group, participant=make_participant(beroende), by=maria)
    ninth = make_participant(beroende)
    client.force_login(maria)
    url = reverse("activities:activity_member_add", args=[group.pk])
    response = client.post(url, {"participant": ninth.pk}, follow=True)
    assert "Gruppen är full: 8 av 8 platser är tagna." in response.content.decode()
    assert ActivityMember.objects.filter(activity=group).count() == 8
    # A double submit of an existing member adds nothing and says so.
    member = ActivityMember.objects.filter(activity=group).first()
    response = client.post(url, {"participant": member.participant_id}, follow=True)
    assert "redan med i gruppen" in response.content.decode()


def test_r18_group_below_its_minimum_is_pointed_out(client, maria, beroende, twelve_step) -> None:
    group = _group(beroende, maria, twelve_step)
    client.force_login(maria)
    page = client.get(reverse("activities:activity", args=[group.pk])).content.decode()
    assert "Gruppen behöver minst 6 deltagare." in page


def test_r17_age_outside_18_to_35_gets_a_clear_message(client, anna, lotsen, young_adults) -> None:
    activity = activity_create(
        unit=lotsen,
        by=anna,
        leaders=[anna],
        weekdays=[],
        programme=young_adults,
        kind=ActivityKind.ACTIVITY,
        title="Bowling",
        place="Bowlinghallen",
        first_date=TODAY,
        last_date=TODAY,
        starts_at=T(15),
        ends_at=T(17),
    )
    older = make_participant(lotsen, first_name="Äldre", birth_date=D(1970, 3, 3))
    client.force_login(anna)
    session = activity.sessions.get()
    response = client.post(
        reverse("activities:session_mark", args=[session.pk]),
        {"participant": older.pk, "action": "present"},
        follow=True,
    )
    assert "Bowling är för personer 18–35 år; Äldre" in response.content.decode()
    assert not SessionAttendance.objects.exists()


def test_session_move_and_cancel_from_the_page(client, maria, beroende) -> None:
    group = _group(beroende, maria)
    first = group.sessions.first()
    client.force_login(maria)
    move = reverse("activities:session_move", args=[first.pk])
    response = client.post(
        move, {"date": "2026-11-24", "starts_at": "10:00", "ends_at": "09:00", "place": ""}
    )
    assert response.status_code == 400
    assert "Sluttiden ligger före starttiden" in response.content.decode()
    client.post(move, {"date": "2026-11-24", "starts_at": "10:00", "ends_at": "12:00"})
    first.refresh_from_db()
    assert first.date == D(2026, 11, 24) and first.original_date == TODAY
    cancel = reverse("activities:session_cancel", args=[first.pk])
    assert client.post(cancel, {"reason": ""}).status_code == 400
    client.post(cancel, {"reason": "Ledaren sjuk"})
    first.refresh_from_db()
    assert first.cancelled and first.cancel_reason == "Ledaren sjuk"
    page = client.get(reverse("activities:week", kwargs={"unit": beroende.slug, "day": TODAY}))
    assert "inställt" in page.content.decode()


def test_session_attendance_appears_on_the_persons_page(client, maria, beroende) -> None:
    group = _group(beroende, maria)
    person = make_participant(beroende)
    member_add(activity=group, participant=person, by=maria)
    session = group.sessions.first()
    client.force_login(maria)
    mark = reverse("activities:session_mark", args=[session.pk])
    for _ in range(2):  # double submit
        client.post(mark, {"participant": person.pk, "action": "present"})
    assert SessionAttendance.objects.count() == 1
    page = client.get(reverse("participants:detail", args=[person.pk])).content.decode()
    assert "Med i gruppen 12-steg grupp A" in page
    assert page.count("12-steg grupp A") == 2  # the membership and the session


def test_r16_week_ahead_shows_hours_holidays_sessions_and_trainees(
    client, anna, lotsen, training
) -> None:
    from tests.factories import make_place

    make_place(make_participant(lotsen, first_name="Tränande"), training, hours=10)
    client.force_login(anna)
    url = reverse("activities:week", kwargs={"unit": lotsen.slug, "day": D(2026, 12, 21)})
    page = client.get(url).content.decode()
    assert "Stängt: Julafton" in page
    assert "09:00–16:00, 17:00–20:00" in page and "kvällsöppet" in page
    assert "Tränande" in page


def test_r16_week_ahead_speaks_of_the_units_own_programmes(
    client, anna, maria, lotsen, beroende, training, drop_in
) -> None:
    """Beroendemottagningen's week names its groups, not Lotsen's day activity or first-step
    training; Lotsen's keeps its training table."""
    from lotsen.models import Programme
    from tests.factories import make_place

    primary = Programme.objects.get(slug="12-steg-primar")
    for n in range(3):
        make_place(make_participant(beroende, first_name=f"Grupp{n}"), primary)
    make_place(make_participant(lotsen, first_name="Besökande"), drop_in)
    make_place(make_participant(lotsen, first_name="Tränande"), training, hours=10)
    day = D(2026, 11, 23)
    client.force_login(maria)
    page = client.get(reverse("activities:week", kwargs={"unit": beroende.slug, "day": day}))
    text = page.content.decode()
    assert "12-steg primärbehandling: 3 personer med plats" in text
    assert "dagverksamheten" not in text and "förstegsträning" not in text.lower()
    client.force_login(anna)
    text = client.get(
        reverse("activities:week", kwargs={"unit": lotsen.slug, "day": day})
    ).content.decode()
    assert f"{drop_in.name}: 1 person med plats" in text
    assert "I förstegsträning" in text and "Tränande" in text
    assert "12-steg" not in text


def test_r16_week_ahead_says_helgoppet_once_and_keeps_a_note_that_adds_something(
    client, anna, eva, lotsen
) -> None:
    t = datetime.time
    ExtraOpening.objects.create(
        unit=lotsen,
        date=D(2026, 11, 28),
        opens=t(11),
        closes=t(15),
        note="Helgöppet",
        created_by=eva,
    )
    ExtraOpening.objects.create(
        unit=lotsen,
        date=D(2026, 11, 29),
        opens=t(11),
        closes=t(15),
        note="Julmarknad",
        created_by=eva,
    )
    client.force_login(anna)
    url = reverse("activities:week", kwargs={"unit": lotsen.slug, "day": D(2026, 11, 23)})
    page = " ".join(client.get(url).content.decode().split())
    assert page.casefold().count("helgöppet") == 2  # Saturday and Sunday, once each
    assert "Öppet 11:00–15:00 · helgöppet" in page
    assert "Öppet 11:00–15:00 (Julmarknad) · helgöppet" in page


def test_r16_calendar_counts_and_manager_adds_closure_and_weekend_opening(
    client, eva, anna, lotsen
) -> None:
    url = reverse("activities:calendar", kwargs={"unit": lotsen.slug, "year": 2026})
    client.force_login(anna)
    page = client.get(url).content.decode()
    assert "av beställda 230" in page and "Midsommarafton" in page
    closure = reverse("activities:closure_add", kwargs={"unit": lotsen.slug})
    assert client.post(closure, {"closure-date": "2026-12-28"}).status_code == 403
    client.force_login(eva)
    for _ in range(2):  # double submit saves once
        client.post(closure, {"closure-date": "2026-12-28", "closure-reason": "Planeringsdag"})
    assert ClosureDay.objects.count() == 1
    extra = reverse("activities:extra_add", kwargs={"unit": lotsen.slug})
    response = client.post(
        extra, {"extra-date": "2026-12-05", "extra-opens": "12:00", "extra-closes": "11:00"}
    )
    assert response.status_code == 400
    assert "Stängningstiden ligger före öppningstiden" in response.content.decode()
    client.post(
        extra, {"extra-date": "2026-12-05", "extra-opens": "11:00", "extra-closes": "15:00"}
    )
    assert ExtraOpening.objects.count() == 1
    page = client.get(url).content.decode()
    assert "Planeringsdag" in page and "11:00–15:00" in page


def test_r18_a_single_information_meeting_needs_no_last_date(client, eva, lotsen) -> None:
    client.force_login(eva)
    url = reverse("activities:activity_create", kwargs={"unit": lotsen.slug})
    data = _form(
        kind=ActivityKind.INFORMATION_MEETING,
        title="Informationsmöte",
        weekdays=[],
        first_date="2026-12-07",
        last_date="",
        is_public="on",
        leaders=[eva.pk],
    )
    client.post(url, data)
    activity = Activity.objects.get()
    assert activity.last_date == D(2026, 12, 7) and activity.is_public
    assert [s.date for s in activity.sessions.all()] == [D(2026, 12, 7)]


def test_r17_session_attendance_by_htmx_answers_with_the_row(client, anna, lotsen) -> None:
    activity = activity_create(
        unit=lotsen,
        by=anna,
        leaders=[anna],
        weekdays=[],
        kind=ActivityKind.ACTIVITY,
        title="Bowling",
        place="Hallen",
        first_date=TODAY,
        last_date=TODAY,
        starts_at=T(15),
        ends_at=T(17),
        max_participants=1,
    )
    session = activity.sessions.get()
    first, second = make_participant(lotsen), make_participant(lotsen)
    client.force_login(anna)
    url = reverse("activities:session_mark", args=[session.pk])
    htmx = {"HTTP_HX_REQUEST": "true"}
    body = client.post(url, {"participant": first.pk}, **htmx).content.decode()
    assert "<html" not in body and f"Ångra närvaro för {first.full_name}" in body
    body = client.post(url, {"participant": second.pk}, **htmx).content.decode()
    assert "Tillfället är fullt: 1 av 1" in body and 'role="alert"' in body
    assert SessionAttendance.objects.count() == 1


def test_namesakes_are_told_apart_where_a_group_adds_people(
    client, maria, beroende, twelve_step
) -> None:
    elin = make_namesakes(beroende)
    group = _group(beroende, maria, twelve_step)
    client.force_login(maria)
    session = group.sessions.get(date=TODAY)
    for url in (
        reverse("activities:activity", kwargs={"activity_pk": group.pk}),
        reverse("activities:session", args=[session.pk]),
    ):
        page = client.get(url).content.decode()
        assert picks_namesakes_apart(page, elin), url


def test_r18_a_session_still_ahead_takes_no_attendance(
    client, maria, beroende, twelve_step
) -> None:
    """As on the day sheet, a future session's "Närvarande" saves nothing: no mark, no
    visit dated ahead for the monthly statement to count."""
    from participants.models import Visit

    group = _group(beroende, maria, twelve_step)
    person = make_participant(beroende)
    member_add(activity=group, participant=person, by=maria)
    ahead = group.sessions.filter(date__gt=TODAY).first()
    client.force_login(maria)
    page = client.get(reverse("activities:session", args=[ahead.pk])).content.decode()
    assert "Dagen har inte varit ännu; närvaro kan registreras från och med dagen." in page
    assert "Registrera närvaro" not in page
    url = reverse("activities:session_mark", args=[ahead.pk])
    response = client.post(url, {"participant": person.pk, "action": "present"}, follow=True)
    assert "Dagen har inte varit ännu. Närvaro registreras samma dag eller senare." in (
        response.content.decode()
    )
    body = client.post(
        url, {"participant": person.pk, "action": "present"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'role="alert"' in body and "disabled" in body
    assert not SessionAttendance.objects.exists()
    assert not Visit.objects.filter(participant=person).exists()
    # Today's session still takes the mark.
    today = group.sessions.get(date=TODAY)
    client.post(reverse("activities:session_mark", args=[today.pk]), {"participant": person.pk})
    assert Visit.objects.get(participant=person).date == TODAY
