"""Individual and evening sessions at Beroendemottagningen (R16): recorded on the unit's
visit of the day (one record of who came, decision 0013) and counted in the statement (R25)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.attendance import visit_mark, visit_unmark
from lotsen.models import Programme, Role
from participants.models import Visit
from tests.factories import (
    TODAY,
    make_namesakes,
    make_participant,
    make_staff,
    picks_namesakes_apart,
)
from treatment.models import IndividualSession, Statement
from treatment.services import individual_session_record, individual_session_remove
from treatment.statement import month_figures, statement_confirm

pytestmark = pytest.mark.django_db


def _record(person, programme, by, *, at=datetime.time(10), day=TODAY, minutes=45, **kw):  # type: ignore[no-untyped-def]
    return individual_session_record(
        participant=person,
        programme=programme,
        date=day,
        starts_at=at,
        minutes=minutes,
        kind=kw.get("kind", "individual"),
        therapist=kw.get("therapist", by),
        today=TODAY,
        by=by,
    )


def test_r16_an_individual_session_is_a_visit_and_a_double_submit_records_once(
    twelve_step, beroende, maria
) -> None:
    person = make_participant(beroende)
    session, created = _record(person, twelve_step, maria)
    again, created_again = _record(person, twelve_step, maria)
    assert created and not created_again and again == session
    visit = Visit.objects.get(participant=person, programme=twelve_step, date=TODAY)
    assert session.visit == visit
    # A second session the same day shares the day's visit: a visit is one per day.
    _record(person, twelve_step, maria, at=datetime.time(18))
    assert Visit.objects.filter(participant=person).count() == 1
    assert IndividualSession.objects.filter(participant=person).count() == 2


def test_r16_unmarking_the_visit_on_the_day_sheet_removes_the_session(
    twelve_step, beroende, maria
) -> None:
    person = make_participant(beroende)
    _record(person, twelve_step, maria)
    assert visit_unmark(participant=person, programme=twelve_step, day=TODAY, today=TODAY)
    assert not IndividualSession.objects.exists()


def test_r16_removing_a_session_keeps_a_visit_with_hours_or_another_session(
    twelve_step, beroende, maria
) -> None:
    person = make_participant(beroende)
    first, _c = _record(person, twelve_step, maria)
    second, _c = _record(person, twelve_step, maria, at=datetime.time(14))
    individual_session_remove(session=first, today=TODAY)
    assert Visit.objects.filter(participant=person).exists()
    individual_session_remove(session=second, today=TODAY)
    assert not Visit.objects.filter(participant=person).exists()
    other = make_participant(beroende)
    visit_mark(
        participant=other,
        programme=twelve_step,
        day=TODAY,
        hours=Decimal(2),
        by=maria,
        today=TODAY,
    )
    third, _c = _record(other, twelve_step, maria)
    individual_session_remove(session=third, today=TODAY)
    assert Visit.objects.filter(participant=other, hours=2).exists()


def test_r16_bad_input_is_refused_with_a_clear_message(
    twelve_step, beroende, lotsen, maria, anna
) -> None:
    person = make_participant(beroende)
    with pytest.raises(ValidationError) as error:
        _record(person, twelve_step, maria, day=TODAY + datetime.timedelta(days=1), minutes=0)
    assert "Dagen har inte varit ännu" in str(error.value)
    assert "mellan 1 och 480" in str(error.value)
    with pytest.raises(ValidationError, match="terapeut som arbetar vid enheten"):
        _record(person, twelve_step, maria, therapist=anna)
    lotsen_programme = Programme.objects.filter(unit=lotsen).first()
    with pytest.raises(ValidationError, match="personens enhet"):
        _record(person, lotsen_programme, maria)
    assert not Visit.objects.exists()


def test_r25_individual_and_evening_sessions_in_the_statement(twelve_step, beroende, maria) -> None:
    people = [make_participant(beroende) for _ in range(3)]
    _record(people[0], twelve_step, maria, day=datetime.date(2026, 10, 5))
    _record(people[1], twelve_step, maria, day=datetime.date(2026, 10, 6), at=datetime.time(18))
    _record(people[2], twelve_step, maria, day=datetime.date(2026, 10, 7), at=datetime.time(17))
    _record(people[2], twelve_step, maria, day=datetime.date(2026, 11, 2))
    october = month_figures(unit=beroende, month=datetime.date(2026, 10, 1))
    assert october["individual_sessions"] == 3
    # The unit's evening starts at 17:00 (data on the unit).
    assert october["evening_sessions"] == 2


def test_l2_the_session_pages_log_whose_sessions_they_showed(
    client, twelve_step, beroende, maria
) -> None:
    from participants.models import RecordEvent, RecordEventKind

    person = make_participant(beroende)
    session, _created = _record(person, twelve_step, maria)
    client.force_login(maria)
    client.get(reverse("treatment:individual_sessions", kwargs={"unit": beroende.slug}))
    listed = RecordEvent.objects.filter(participant_id=person.pk, kind=RecordEventKind.LISTED)
    assert listed.filter(user=maria).count() == 1
    client.get(reverse("treatment:individual_session_delete", kwargs={"session_pk": session.pk}))
    read = RecordEvent.objects.filter(participant_id=person.pk, kind=RecordEventKind.READ)
    assert read.filter(user=maria).count() == 1


def test_namesakes_are_told_apart_in_the_session_picker(client, twelve_step, beroende, maria):  # type: ignore[no-untyped-def]
    elin = make_namesakes(beroende)
    client.force_login(maria)
    url = reverse("treatment:individual_sessions", kwargs={"unit": beroende.slug})
    page = client.get(url).content.decode()
    assert picks_namesakes_apart(page, elin)


def test_r16_individual_sessions_page(client, twelve_step, beroende, maria, henrik) -> None:
    url = reverse("treatment:individual_sessions", kwargs={"unit": beroende.slug})
    assert client.get(url).status_code == 302
    client.force_login(henrik)
    assert client.get(url).status_code == 404
    client.force_login(maria)
    person = make_participant(beroende)
    data = {
        "participant": person.pk,
        "programme": twelve_step.pk,
        "kind": "relatives",
        "date": TODAY.isoformat(),
        "starts_at": "18:30",
        "minutes": "50",
        "therapist": maria.pk,
    }
    response = client.post(url, data, follow=True)
    page = response.content.decode()
    assert "Samtalet är registrerat." in page and person.full_name in page and "kväll" in page
    response = client.post(url, data, follow=True)
    assert "Samtalet var redan registrerat." in response.content.decode()
    assert IndividualSession.objects.count() == 1
    page = client.post(url, {**data, "starts_at": "09:00", "minutes": "fyrtio"}).content.decode()
    assert "Skriv längden som ett heltal" in page and "fyrtio" in page
    session = IndividualSession.objects.get()
    delete = reverse("treatment:individual_session_delete", kwargs={"session_pk": session.pk})
    client.force_login(henrik)
    assert client.post(delete).status_code == 404
    client.force_login(maria)
    client.post(delete)
    assert not IndividualSession.objects.exists() and not Visit.objects.exists()


def test_r25_the_manager_home_shows_last_month_until_it_is_confirmed(client, beroende) -> None:
    boss = make_staff("sara", beroende, Role.MANAGER)
    client.force_login(boss)
    assert "Förra månaden vid Beroendemottagningen" in client.get(reverse("home")).content.decode()
    statement_confirm(
        unit=beroende, month=datetime.date(2026, 10, 1), reason="", today=TODAY, by=boss
    )
    page = client.get(reverse("home")).content.decode()
    assert "Förra månaden vid Beroendemottagningen" not in page


def test_r25_a_confirmed_statement_is_frozen_and_a_correction_counts_the_late_session(
    client, twelve_step, beroende, maria
) -> None:
    boss = make_staff("sara", beroende, Role.MANAGER)
    october = datetime.date(2026, 10, 1)
    first = statement_confirm(unit=beroende, month=october, reason="", today=TODAY, by=boss)
    assert first.figures["individual_sessions"] == 0
    # A session recorded late does not change what was confirmed.
    _record(make_participant(beroende), twelve_step, maria, day=datetime.date(2026, 10, 20))
    first.refresh_from_db()
    assert first.figures["individual_sessions"] == 0
    if connection.vendor == "postgresql":  # the database refuses; SQLite has no triggers
        with pytest.raises(DatabaseError), transaction.atomic():
            Statement.objects.filter(pk=first.pk).update(amount=0)
        with pytest.raises(DatabaseError), transaction.atomic():
            Statement.objects.filter(pk=first.pk).delete()
    second = statement_confirm(
        unit=beroende, month=october, reason="Ett samtal kom sent", today=TODAY, by=boss
    )
    assert second.version == 2 and second.figures["individual_sessions"] == 1
    url = reverse("treatment:statement", kwargs={"unit": beroende.slug, "year": 2026, "month": 10})
    client.force_login(boss)
    assert "Ett samtal kom sent" in client.get(url).content.decode()
    old = client.get(url, {"version": 1}).content.decode()
    assert "Version 1" in old


def test_individual_sessions_page_queries_do_not_grow_with_data(
    client, twelve_step, beroende, maria
) -> None:
    url = reverse("treatment:individual_sessions", kwargs={"unit": beroende.slug})
    client.force_login(maria)
    _record(make_participant(beroende), twelve_step, maria)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for day in range(1, 8):
        _record(make_participant(beroende), twelve_step, maria, day=TODAY.replace(day=day))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few) <= 25


def test_r25_statement_page_and_pdf_show_kronor_in_swedish(client, beroende) -> None:
    boss = make_staff("sara", beroende, Role.MANAGER)
    client.force_login(boss)
    url = reverse("treatment:statement", kwargs={"unit": beroende.slug, "year": 2026, "month": 10})
    page = client.get(url).content.decode()
    assert "1\xa0827\xa0000,00" in page or "1 827 000,00" in page
    csv_text = client.get(url + "csv/").content.decode()
    assert "1827000,00" in csv_text  # no grouping, a decimal comma: for a Swedish spreadsheet


def test_l1_a_session_of_a_past_day_is_not_removed(twelve_step, beroende, maria) -> None:
    """Past the correction window the session and its visit stay; the message says why."""
    from django.core.exceptions import ValidationError

    person = make_participant(beroende)
    session, _created = _record(person, twelve_step, maria)
    with pytest.raises(ValidationError, match="Dagen är passerad"):
        individual_session_remove(session=session, today=TODAY + datetime.timedelta(days=1))
    assert IndividualSession.objects.filter(pk=session.pk).exists()
    assert Visit.objects.filter(participant=person).exists()


def test_r16_removing_an_individual_session_asks_first_and_only_where_it_can(
    client, twelve_step, beroende, maria
) -> None:
    """ "Ta bort" leads to a page that asks; only the confirming POST removes. A session past
    the correction window offers no "Ta bort" (it could only refuse) and stays (L1)."""
    person = make_participant(beroende, first_name="Tora", last_name="Samtal")
    today, _ = _record(person, twelve_step, maria)
    old, _ = _record(person, twelve_step, maria, day=TODAY - datetime.timedelta(days=7))
    client.force_login(maria)
    listing = reverse("treatment:individual_sessions", kwargs={"unit": beroende.slug})
    page = client.get(listing).content.decode()
    delete = reverse("treatment:individual_session_delete", kwargs={"session_pk": today.pk})
    keep = reverse("treatment:individual_session_delete", kwargs={"session_pk": old.pk})
    assert f'href="{delete}"' in page and keep not in page
    confirm = client.get(delete).content.decode()
    assert "Ta bort samtalet?" in confirm and "Tora Samtal" in confirm
    assert "Ja, ta bort samtalet" in confirm
    assert IndividualSession.objects.filter(pk=today.pk).exists()  # asking removes nothing
    locked = client.get(keep).content.decode()
    assert "står kvar" in locked and "Ja, ta bort samtalet" not in locked
    response = client.post(delete, follow=True)
    assert "Samtalet är borttaget." in response.content.decode()
    assert list(IndividualSession.objects.all()) == [old]
