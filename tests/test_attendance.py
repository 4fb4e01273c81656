"""Logging a day: the attendance sheet (R6, L7), by plain form posts and by htmx."""

from __future__ import annotations

import datetime
import re
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from activities.attendance import anonymous_counts
from activities.models import AnonymousVisit
from lotsen.models import Programme, VisitRecording
from participants.models import Enrolment, Visit
from participants.training_hours import training_attendance
from tests.factories import TODAY, make_participant, make_place

ONE_DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.django_db
D = datetime.date
HTMX = {"HTTP_HX_REQUEST": "true"}


def _sheet(unit, day=TODAY) -> str:  # type: ignore[no-untyped-def]
    return reverse("activities:sheet", kwargs={"unit": unit.slug, "day": day})


def _mark(unit, day=TODAY) -> str:  # type: ignore[no-untyped-def]
    return reverse("activities:sheet_mark", kwargs={"unit": unit.slug, "day": day})


@pytest.fixture
def day_people(lotsen, training, drop_in, anna):  # type: ignore[no-untyped-def]
    trainee = make_participant(lotsen, first_name="Tilda", last_name="Tränare")
    make_place(trainee, training, hours=12, contact_person=anna, start=D(2026, 9, 1))
    regular = make_participant(lotsen, first_name="Rolf", last_name="Regelbunden")
    make_place(regular, drop_in, hours=None, start=D(2026, 1, 1))
    gone = make_participant(lotsen, first_name="Gösta", last_name="Slutat")
    make_place(gone, drop_in, hours=None, start=D(2026, 1, 1), end=D(2026, 10, 1))
    return trainee, regular, gone


def test_r6_sheet_lists_trainees_with_planned_hours_and_regular_visitors(
    client, anna, lotsen, day_people
) -> None:
    client.force_login(anna)
    page = client.get(_sheet(lotsen)).content.decode()
    assert "Tränare, Tilda" in page and "planerat 12 tim/vecka" in page
    assert "Regelbunden, Rolf" in page
    assert "Slutat" not in page  # the place has ended
    assert "Timmar i dag för Tilda Tränare" in page  # an accessible name per hours field
    assert "Anonyma besökare, Basverksamhet" in page  # L7: drop-in counts visitors


def test_mark_without_javascript_redirects_to_the_row_and_counts_once(
    client, anna, lotsen, drop_in, day_people
) -> None:
    _, regular, _ = day_people
    client.force_login(anna)
    data = {"participant": regular.pk, "programme": drop_in.pk, "action": "present"}
    for _ in range(2):  # a double click or a retry
        response = client.post(_mark(lotsen), data)
        assert response.status_code == 302
        assert response["Location"].endswith(f"#row-{regular.pk}-{drop_in.pk}")
    assert Visit.objects.filter(participant=regular, date=TODAY).count() == 1


@pytest.mark.parametrize("action", ["present", "absent"])
def test_a_marks_htmx_answer_is_the_row_as_the_sheet_shows_it(
    client, anna, lotsen, training, day_people, action
) -> None:
    """One renderer draws the sheet's rows and a mark's answer: they never differ."""
    trainee, _, _ = day_people
    client.force_login(anna)
    data = {"participant": trainee.pk, "programme": training.pk, "hours": "3,5"}
    client.post(_mark(lotsen), {**data, "action": "present"})
    answer = client.post(_mark(lotsen), {**data, "action": action}, **HTMX).content.decode()
    page = client.get(_sheet(lotsen)).content.decode()
    row = re.search(rf'<li [^>]*id="row-{trainee.pk}-{training.pk}">(.*?)</li>', page, re.S)
    assert row is not None

    def without_token(html: str) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert without_token(row.group(1)) == without_token(answer)
    assert ("Ångra närvaro för" in answer) == (action == "present")


def test_every_row_posts_a_valid_csrf_token_without_javascript(
    anna, lotsen, drop_in, day_people
) -> None:
    """The sheet's rows share one token value; each form still posts it (no JavaScript)."""
    from django.test import Client

    _, regular, _ = day_people
    client = Client(enforce_csrf_checks=True)
    client.force_login(anna)
    page = client.get(_sheet(lotsen)).content.decode()
    row = re.search(rf'id="row-{regular.pk}-{drop_in.pk}">(.*?)</li>', page, re.S)
    assert row is not None
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', row.group(1))
    assert token is not None
    data = {"participant": regular.pk, "programme": drop_in.pk, "action": "present"}
    assert client.post(_mark(lotsen), data).status_code == 403  # the token is required
    response = client.post(_mark(lotsen), {**data, "csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302
    assert Visit.objects.filter(participant=regular, date=TODAY).exists()


def test_mark_with_htmx_answers_with_the_row(client, anna, lotsen, drop_in, day_people) -> None:
    _, regular, _ = day_people
    client.force_login(anna)
    response = client.post(
        _mark(lotsen), {"participant": regular.pk, "programme": drop_in.pk}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and "Ångra närvaro för Rolf Regelbunden" in body
    response = client.post(
        _mark(lotsen),
        {"participant": regular.pk, "programme": drop_in.pk, "action": "absent"},
        **HTMX,
    )
    assert "Närvarande: Rolf Regelbunden" in response.content.decode()
    assert not Visit.objects.filter(participant=regular).exists()


def test_r6_trainee_hours_with_a_decimal_comma_and_a_second_save_updates(
    client, anna, lotsen, training, day_people
) -> None:
    trainee, _, _ = day_people
    client.force_login(anna)
    data = {"participant": trainee.pk, "programme": training.pk, "hours": "2,5"}
    client.post(_mark(lotsen), data, **HTMX)
    client.post(_mark(lotsen), {**data, "hours": "3"}, **HTMX)
    visit = Visit.objects.get(participant=trainee)
    assert visit.hours == Decimal(3)


def test_r6_a_trainee_marked_without_hours_is_pointed_out(
    client, anna, lotsen, training, day_people
) -> None:
    trainee, _, _ = day_people
    client.force_login(anna)
    data = {"participant": trainee.pk, "programme": training.pk, "action": "present"}
    assert "timmar saknas" in client.post(_mark(lotsen), data, **HTMX).content.decode()
    data["hours"] = "4"
    assert "timmar saknas" not in client.post(_mark(lotsen), data, **HTMX).content.decode()
    assert Visit.objects.get(participant=trainee).hours == Decimal(4)


def test_bad_hours_get_a_clear_message_and_save_nothing(
    client, anna, lotsen, training, day_people
) -> None:
    trainee, _, _ = day_people
    client.force_login(anna)
    for typed, message in (("tre", "Ange timmarna som ett tal"), ("30", "mellan 0,25 och 24")):
        response = client.post(
            _mark(lotsen),
            {"participant": trainee.pk, "programme": training.pk, "hours": typed},
            **HTMX,
        )
        body = response.content.decode()
        assert message in body and f'value="{typed}"' in body  # what was typed stays
    assert not Visit.objects.exists()


def test_a_day_that_has_not_come_cannot_be_marked(client, anna, lotsen, drop_in, day_people):  # type: ignore[no-untyped-def]
    _, regular, _ = day_people
    client.force_login(anna)
    tomorrow = TODAY + datetime.timedelta(days=1)
    client.post(_mark(lotsen, tomorrow), {"participant": regular.pk, "programme": drop_in.pk})
    page = client.get(_sheet(lotsen)).content.decode()
    assert "Dagen har inte varit ännu" in page
    assert not Visit.objects.exists()


def test_walk_in_search_keeps_the_text_out_of_the_url(client, anna, lotsen, drop_in) -> None:
    visitor = make_participant(lotsen, first_name="Wilma", last_name="Walkin")
    client.force_login(anna)
    url = reverse("activities:sheet_search", kwargs={"unit": lotsen.slug, "day": TODAY})
    response = client.post(url, {"q": "Wilma"})
    assert "wilma" not in response["Location"].lower()
    page = client.get(response["Location"]).content.decode()
    assert "Registrera besök: Wilma Walkin" in page
    client.post(_mark(lotsen), {"participant": visitor.pk, "programme": drop_in.pk})
    assert "kom utan att väntas" in client.get(_sheet(lotsen)).content.decode()
    client.post(url, {"q": "", "clear": "1"})
    assert "Registrera besök: Wilma" not in client.get(_sheet(lotsen)).content.decode()


def test_a_walk_in_is_offered_the_programme_of_their_place_else_not_work_training(
    client, anna, lotsen, drop_in, training
) -> None:
    """The walk-in form chooses the programme the visit most likely belongs to: a person
    with a place running today gets its programme, anyone else the first programme that is
    not work training, never work training by its place in the list."""
    placed = make_participant(lotsen, first_name="Ida", last_name="Walkin")
    make_place(placed, drop_in, hours=None, start=D(2026, 1, 1))
    trainee = make_participant(lotsen, first_name="Tor", last_name="Walkin")
    make_place(trainee, training, hours=10, start=D(2026, 1, 1))
    nobody = make_participant(lotsen, first_name="Nils", last_name="Walkin")
    client.force_login(anna)
    client.post(reverse("activities:sheet_search", kwargs={"unit": "lotsen", "day": TODAY}),
                {"q": "Walkin"})  # fmt: skip
    page = client.get(_sheet(lotsen)).content.decode()

    def chosen(person) -> str:  # type: ignore[no-untyped-def]
        select = page.split(f'id="walkin-{person.pk}"', 1)[1].split("</select>", 1)[0]
        return select.split(" selected>", 1)[1].split("<", 1)[0]

    assert chosen(placed) == drop_in.name
    assert chosen(trainee) == training.name
    assert chosen(nobody) != training.name


def test_l4_protected_person_is_only_on_their_teams_sheet(
    client, anna, omar, lotsen, drop_in
) -> None:
    hidden = make_participant(lotsen, first_name="Hemlig", protected_identity=True)
    make_place(hidden, drop_in, hours=None, start=D(2026, 1, 1))
    hidden.team.add(anna)
    client.force_login(omar)
    assert "Hemlig" not in client.get(_sheet(lotsen)).content.decode()
    response = client.post(_mark(lotsen), {"participant": hidden.pk, "programme": drop_in.pk})
    assert response.status_code == 404
    assert not Visit.objects.exists()
    client.force_login(anna)
    assert "Hemlig" in client.get(_sheet(lotsen)).content.decode()
    client.post(_mark(lotsen), {"participant": hidden.pk, "programme": drop_in.pk})
    assert Visit.objects.filter(participant=hidden).exists()


def test_l2_a_mark_reaches_no_programme_or_person_of_another_unit(
    client, anna, lotsen, hantverkshuset, drop_in
) -> None:
    """Anna works at Lotsen only: another unit's programme, person or sheet is a 404 and
    nothing is written, whichever of the three the post names."""
    ours = make_participant(lotsen)
    make_place(ours, drop_in, hours=None, start=D(2026, 1, 1))
    theirs = make_participant(hantverkshuset)
    their_programme = hantverkshuset.programmes.first()
    client.force_login(anna)
    for url, person, programme in [
        (_mark(lotsen), ours, their_programme),
        (_mark(lotsen), theirs, drop_in),
        (_mark(hantverkshuset), ours, drop_in),
        (_mark(hantverkshuset), theirs, their_programme),
    ]:
        posted = {"participant": person.pk, "programme": programme.pk, "action": "present"}
        assert client.post(url, posted, HTTP_HX_REQUEST="true").status_code == 404
    assert not Visit.objects.exists()
    not_a_person = {"participant": "x", "programme": drop_in.pk, "action": "present"}
    assert client.post(_mark(lotsen), not_a_person).status_code == 400


def test_l7_a_counted_programme_shows_no_names_and_refuses_named_visits(
    client, anna, lotsen, drop_in
) -> None:
    drop_in.visit_recording = VisitRecording.COUNT_ONLY
    drop_in.save()
    person = make_participant(lotsen, first_name="Namnlös")
    make_place(person, drop_in, hours=None, start=D(2026, 1, 1))
    client.force_login(anna)
    page = client.get(_sheet(lotsen)).content.decode()
    assert "Namnlös" not in page and "dokumenteras utan namn" in page
    client.post(_mark(lotsen), {"participant": person.pk, "programme": drop_in.pk})
    assert not Visit.objects.exists()


def test_l7_anonymous_count_once_per_token_and_never_below_zero(
    client, anna, lotsen, drop_in
) -> None:
    client.force_login(anna)
    url = reverse("activities:sheet_count", kwargs={"unit": lotsen.slug, "day": TODAY})
    token = str(uuid.uuid4())
    for _ in range(3):  # a double click and a retry of the same button
        client.post(url, {"programme": drop_in.pk, "delta": "1", "token": token}, **HTMX)
    response = client.post(
        url, {"programme": drop_in.pk, "delta": "1", "token": str(uuid.uuid4())}, **HTMX
    )
    assert "<strong>2</strong>" in response.content.decode()
    for _ in range(3):
        response = client.post(
            url, {"programme": drop_in.pk, "delta": "-1", "token": str(uuid.uuid4())}, **HTMX
        )
    assert "Antalet är redan noll" in response.content.decode()
    assert anonymous_counts(unit=lotsen, day=TODAY) == {drop_in.pk: 0}
    assert AnonymousVisit.objects.count() == 4


def _attend(person, programme, weeks_hours):  # type: ignore[no-untyped-def]
    """One visit on the Tuesday of each of the last complete weeks, oldest first."""
    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    for n, hours in enumerate(reversed(weeks_hours), start=1):
        day = monday - datetime.timedelta(weeks=n) + datetime.timedelta(days=1)
        if hours:
            Visit.objects.create(
                participant=person, programme=programme, date=day, hours=Decimal(hours)
            )


def test_r6_below_the_minimum_three_weeks_in_a_row_is_flagged(
    client, anna, lotsen, training
) -> None:
    low = make_participant(lotsen, first_name="Låg")
    ok = make_participant(lotsen, first_name="Bra")
    for person in (low, ok):
        make_place(person, training, hours=8, contact_person=anna, start=D(2026, 9, 1))
    _attend(low, training, [6, 6, 3, 2, 3.5])  # three weeks in a row under 4
    _attend(ok, training, [2, 2, 2, 5, 2])  # the streak was broken
    rows = {
        r.place.participant.first_name: r
        for r in training_attendance(Enrolment.objects.all(), today=TODAY)
    }
    assert rows["Låg"].weeks_below_in_a_row == 3 and rows["Låg"].flagged
    assert rows["Bra"].weeks_below_in_a_row == 1 and not rows["Bra"].flagged
    client.force_login(anna)
    page = client.get(reverse("home")).content.decode()
    assert "Låg närvaro i förstegsträning" in page
    assert "Under 4 timmar i veckan 3 veckor i rad." in page
    assert "Bra " not in page.split("Låg närvaro")[1].split("</section>")[0]


def test_r6_weeks_before_the_place_started_are_not_counted(lotsen, training) -> None:
    person = make_participant(lotsen)
    make_place(person, training, hours=8, start=TODAY - datetime.timedelta(days=10))
    (row,) = training_attendance(Enrolment.objects.all(), today=TODAY)
    assert len(row.weeks) == 1 and not row.flagged


def test_r6_the_warning_is_configurable_per_programme(lotsen, training, anna) -> None:
    person = make_participant(lotsen)
    make_place(person, training, hours=8, contact_person=anna, start=D(2026, 9, 1))
    assert training_attendance(Enrolment.objects.all(), today=TODAY)[0].flagged
    Programme.objects.filter(pk=training.pk).update(low_attendance_weeks=None)
    assert not training_attendance(Enrolment.objects.all(), today=TODAY)[0].flagged


def test_the_persons_page_shows_attendance(client, anna, lotsen, training, day_people) -> None:
    trainee, _, _ = day_people
    _attend(trainee, training, [5])
    client.force_login(anna)
    page = client.get(reverse("participants:detail", args=[trainee.pk])).content.decode()
    assert "Närvaro per vecka i Förstegsträning på Lotsen" in page
    assert "5 tim" in page


@pytest.mark.parametrize(("saved", "shown"), [("2.50", "2,5"), ("10.00", "10"), ("0.25", "0,25")])
def test_hours_are_shown_as_typed(lotsen, training, saved, shown) -> None:
    from activities.attendance import SheetRow

    person = make_participant(lotsen)
    visit = Visit(participant=person, programme=training, date=TODAY, hours=Decimal(saved))
    assert SheetRow(person, training, visit).hours_text == shown


def test_the_day_picker_opens_another_days_sheet(client, anna, lotsen) -> None:
    client.force_login(anna)
    url = reverse("activities:sheet_today", kwargs={"unit": lotsen.slug})
    assert client.get(url, {"dag": "2026-11-02"})["Location"] == _sheet(lotsen, D(2026, 11, 2))
    assert client.get(url, {"dag": "nonsense"})["Location"] == _sheet(lotsen)


def test_r6_training_hours_page_shows_attended_of_planned_per_week(
    client, anna, lotsen, training
) -> None:
    low = make_participant(lotsen, first_name="Låg", last_name="Närvaro")
    make_place(low, training, hours=8, contact_person=anna, start=D(2026, 9, 1))
    _attend(low, training, [6, 6, 3, 2, 3.5])
    client.force_login(anna)
    page = client.get(
        reverse("activities:training_hours", kwargs={"unit": lotsen.slug})
    ).content.decode()
    assert "Låg Närvaro" in page and "3 veckor i rad under minsta tid" in page
    assert "3,5&nbsp;/&nbsp;8" in page and "6&nbsp;/&nbsp;8" in page


def test_the_sheet_and_calendar_in_english(client, anna, lotsen, day_people) -> None:
    client.force_login(anna)
    client.cookies["django_language"] = "en"
    page = client.get(_sheet(lotsen)).content.decode()
    assert "Hours today for Tilda Tränare" in page and "Present: Rolf Regelbunden" in page
    calendar = reverse("activities:calendar", kwargs={"unit": lotsen.slug, "year": 2026})
    assert "of the commissioned 230" in client.get(calendar).content.decode()


def test_r6_the_database_flags_exactly_the_places_the_weekly_view_flags(
    lotsen, training, anna
) -> None:
    """The home page finds flagged trainees in SQL (any caseload); it must agree with the
    week-by-week computation on the edge cases."""
    from participants.training_hours import low_attendance_places

    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    cases = {
        "under": [3, 3, 3],
        "exactly_minimum_last_week": [3, 3, 4],
        "broken_streak": [2, 5, 2],
        "none_at_all": [],
        "old_good_weeks": [6, 6, 1, 1, 1],
    }
    places = {}
    for name, hours in cases.items():
        person = make_participant(lotsen, first_name=name)
        places[name] = make_place(
            person, training, hours=8, contact_person=anna, start=D(2026, 9, 1)
        )
        _attend(person, training, hours)
    # Two visits in one week that together reach the minimum.
    split = make_participant(lotsen, first_name="split")
    places["split"] = make_place(split, training, hours=8, contact_person=anna, start=D(2026, 9, 1))
    _attend(split, training, [3, 3, 3])
    Visit.objects.create(
        participant=split,
        programme=training,
        date=monday - datetime.timedelta(days=3),
        hours=Decimal(1),
    )
    # A visit without hours counts as none; a place too new for three complete weeks.
    no_hours = make_participant(lotsen, first_name="no_hours")
    places["no_hours"] = make_place(
        no_hours, training, hours=8, contact_person=anna, start=D(2026, 9, 1)
    )
    Visit.objects.create(participant=no_hours, programme=training, date=monday - ONE_DAY * 6)
    new = make_participant(lotsen, first_name="new")
    places["new"] = make_place(
        new, training, hours=8, contact_person=anna, start=TODAY - ONE_DAY * 15
    )

    weekly = {
        r.place.pk for r in training_attendance(Enrolment.objects.all(), today=TODAY) if r.flagged
    }
    database = set(
        low_attendance_places(Enrolment.objects.all(), today=TODAY).values_list("pk", flat=True)
    )
    assert database == weekly
    names = {name for name, place in places.items() if place.pk in database}
    assert names == {"under", "none_at_all", "old_good_weeks", "no_hours"}
