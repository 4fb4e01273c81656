"""L2: list pages log which people they showed; every read and change of a person's record
is in the record log; the unit manager reviews it, and reading the log is logged too."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from participants.models import RecordEvent, RecordEventKind
from tests.factories import (
    TODAY,
    make_entry,
    make_namesakes,
    make_participant,
    make_place,
    picks_namesakes_apart,
)

pytestmark = pytest.mark.django_db


def test_l2_the_registry_list_logs_each_person_it_showed(client, lotsen, anna, henrik) -> None:
    people = [make_participant(lotsen) for _ in range(3)]
    make_participant(henrik.units.get())  # another unit's person: not shown, not logged
    client.force_login(anna)
    assert client.get(reverse("participants:list")).status_code == 200
    listed = RecordEvent.objects.filter(kind=RecordEventKind.LISTED)
    assert set(listed.values_list("participant_id", flat=True)) == {p.pk for p in people}
    assert listed.count() == len(people)
    assert {(e.user_id, e.unit_id, e.page) for e in listed} == {
        (anna.pk, lotsen.pk, "participants:list")
    }


def test_l2_the_list_log_is_one_insert_whatever_the_number_shown(
    client, lotsen, anna, django_assert_max_num_queries
) -> None:
    client.force_login(anna)
    for _ in range(3):
        make_participant(lotsen)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("participants:list"))
    for _ in range(15):
        make_participant(lotsen)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("participants:list"))
    assert RecordEvent.objects.filter(kind=RecordEventKind.LISTED).count() == 3 + 18


def test_l2_staff_and_units_the_log_names_cannot_be_deleted(client, lotsen, anna) -> None:
    """The log's user and unit are not constraints in the database (a list page's rows are
    not each checked), but Django still refuses to delete what the log names."""
    from django.db.models import ProtectedError

    make_participant(lotsen)
    client.force_login(anna)
    client.get(reverse("participants:list"))
    with pytest.raises(ProtectedError):
        anna.delete()
    with pytest.raises(ProtectedError):
        lotsen.delete()
    assert RecordEvent.objects.filter(user=anna, unit=lotsen).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's constraint triggers")
def test_l2_a_list_page_logs_its_rows_without_a_check_per_row(lotsen, anna) -> None:
    """400 people shown are one insert whose time is the rows', not a foreign-key check of
    each row's user and unit (those were more than half of it)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "EXPLAIN (ANALYZE, COSTS OFF) INSERT INTO participants_recordevent"
            " (at, user_id, unit_id, kind, page, participant_id)"
            " SELECT now(), %s, %s, 'listed', 'test', g FROM generate_series(1, 400) g",
            [anna.pk, lotsen.pk],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Insert on participants_recordevent" in plan
    assert "Trigger for constraint" not in plan, plan


def test_l2_the_day_sheet_logs_the_people_expected(client, lotsen, drop_in, anna) -> None:
    person = make_participant(lotsen)
    make_place(person, drop_in, hours=None)
    client.force_login(anna)
    client.get(reverse("activities:sheet", args=["lotsen", TODAY]))
    event = RecordEvent.objects.get(kind=RecordEventKind.LISTED)
    assert event.participant_id == person.pk and event.page == "activities:sheet"


def test_l2_a_read_and_a_change_of_a_record_are_logged_with_who(
    client, lotsen, drop_in, anna
) -> None:
    person = make_participant(lotsen)
    client.force_login(anna)
    client.get(reverse("participants:detail", args=[person.pk]))
    read = RecordEvent.objects.get(kind=RecordEventKind.READ)
    assert (read.user_id, read.participant_id) == (anna.pk, person.pk)
    response = client.post(
        reverse("participants:visit", args=[person.pk]),
        {"programme": drop_in.pk, "date": TODAY.isoformat()},
    )
    assert response.status_code in (200, 302)
    # Registering a visit creates a record: logged as created, not as changed.
    created = RecordEvent.objects.filter(kind=RecordEventKind.CREATED, participant_id=person.pk)
    assert created.filter(user=anna, page="participants.Visit").exists()
    assert not RecordEvent.objects.filter(kind=RecordEventKind.CHANGED).exists()


@pytest.fixture
def log_url() -> str:
    return reverse("reporting:record_log")


def test_l2_the_log_page_is_for_the_unit_manager_only(client, log_url, anna, henrik) -> None:
    assert client.get(log_url).status_code == 302  # anonymous: to log in
    client.force_login(anna)
    assert client.get(log_url).status_code == 403


def test_namesakes_are_told_apart_in_the_log_filter_by_birth_year(
    client, log_url, lotsen, eva
) -> None:
    elin = make_namesakes(lotsen)
    client.force_login(eva)
    page = client.get(log_url).content.decode()
    assert picks_namesakes_apart(page, elin)


def test_l2_l4_the_manager_sees_reads_with_flags_and_her_reading_is_logged(
    client, log_url, lotsen, training, anna, omar, eva
) -> None:
    mine = make_participant(lotsen, first_name="Egen", last_name="Person")
    make_place(mine, training, contact_person=anna)
    protected = make_participant(
        lotsen, first_name="Skyddad", last_name="Person", protected_identity=True
    )
    protected.team.add(omar)
    other = make_participant(lotsen, first_name="Annan", last_name="Person")
    client.force_login(anna)
    client.get(reverse("participants:detail", args=[mine.pk]))
    client.get(reverse("participants:detail", args=[other.pk]))
    client.force_login(omar)
    client.get(reverse("participants:detail", args=[protected.pk]))

    client.force_login(eva)
    page = client.get(log_url).content.decode()
    assert "Egen Person" in page and "Skyddad Person" in page
    assert "skyddade personuppgifter" in page
    response = client.get(log_url, {"person": other.pk, "staff": anna.pk})
    rows = response.context["rows"]
    assert [(r.person, r.outside_caseload) for r in rows] == [(other, True)]
    rows = client.get(log_url, {"person": mine.pk}).context["rows"]
    assert [r.outside_caseload for r in rows if r.event.kind == "read"] == [False]
    flagged = client.get(log_url, {"person": protected.pk}).context["rows"]
    assert [(r.protected, r.outside_caseload) for r in flagged if r.event.kind == "read"] == [
        (True, False)
    ]
    # The manager's own reading of the log, with the person she chose, is in the log.
    assert RecordEvent.objects.filter(
        kind=RecordEventKind.LOG_READ, user=eva, participant_id=protected.pk
    ).exists()
    # The identity number never travels in the URL: the person is chosen by record number.
    assert protected.identity_number not in response.request["QUERY_STRING"]


def test_l2_the_log_filters_by_period_and_rejects_a_reversed_one(
    client, log_url, lotsen, anna, eva
) -> None:
    person = make_participant(lotsen)
    client.force_login(anna)
    client.get(reverse("participants:detail", args=[person.pk]))
    client.force_login(eva)
    later = {"start": "2026-12-01", "end": "2026-12-31"}
    assert client.get(log_url, later).context["rows"] == []
    today = {"start": TODAY.isoformat(), "end": TODAY.isoformat(), "person": person.pk}
    rows = client.get(log_url, today).context["rows"]
    assert [(r.event.kind, r.event.user) for r in rows if r.event.kind == "read"] == [
        ("read", anna)
    ]
    reversed_period = client.get(log_url, {"start": "2026-12-01", "end": "2026-11-01"})
    assert "Slutdatumet ligger före startdatumet" in reversed_period.content.decode()


def test_l2_another_units_person_is_404_and_their_events_are_not_shown(
    client, log_url, lotsen, anna, eva, henrik
) -> None:
    person = make_participant(lotsen, first_name="Lotsens", last_name="Deltagare")
    client.force_login(anna)
    client.get(reverse("participants:detail", args=[person.pk]))
    client.force_login(henrik)  # Hantverkshuset's manager
    assert "Lotsens Deltagare" not in client.get(log_url).content.decode()
    assert client.get(log_url, {"person": person.pk}).status_code == 404


def test_l2_exporting_the_log_is_logged_and_gives_csv(client, log_url, lotsen, anna, eva) -> None:
    person = make_participant(lotsen, first_name="Csv", last_name="Person")
    client.force_login(anna)
    client.get(reverse("participants:detail", args=[person.pk]))
    client.force_login(eva)
    response = client.get(log_url, {"format": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    # As every other export: the byte-order mark and ";" between fields.
    assert body.startswith("\ufeff") and body.splitlines()[0].count(";") == 6
    assert "Csv Person" in body and "Anna Lindqvist" in body
    assert person.identity_number not in body
    assert RecordEvent.objects.filter(kind=RecordEventKind.LOG_EXPORT, user=eva).count() == 1


def test_l2_the_log_names_pages_and_records_in_words_never_the_codes_names(
    client, log_url, lotsen, anna, eva
) -> None:
    person = make_participant(lotsen)
    client.force_login(anna)
    client.post(reverse("participants:list"), {"q": person.last_name})
    client.get(reverse("participants:list"))
    client.get(reverse("participants:detail", args=[person.pk]))
    client.force_login(eva)
    page = client.get(log_url, {"person": person.pk}).content.decode()
    assert "Deltagarregistret" in page and "Deltagare" in page
    assert "participants:" not in page and "participants.Participant" not in page
    csv_text = b"".join(client.get(log_url, {"format": "csv"}).streaming_content).decode()
    assert "Deltagarregistret" in csv_text and "participants:" not in csv_text


def test_l2_lists_and_the_managers_reads_are_not_flagged_as_outside_the_caseload(
    client, log_url, lotsen, anna, eva
) -> None:
    person = make_participant(lotsen)
    client.force_login(anna)
    client.get(reverse("participants:list"))  # listed: routine
    client.force_login(eva)
    client.get(reverse("participants:detail", args=[person.pk]))  # the manager's own unit
    rows = client.get(log_url, {"person": person.pk}).context["rows"]
    assert {r.event.kind for r in rows} >= {"listed", "read"}
    assert not any(r.outside_caseload for r in rows)


def test_l2_reading_the_journal_is_told_apart_from_the_persons_page_and_signing_is_created(
    client, log_url, lotsen, anna, eva
) -> None:
    """ "Who read X's journal" has an answer: the journal's pages have their own names."""
    person = make_participant(lotsen)
    entry = make_entry(person, by=anna)
    client.force_login(anna)
    client.get(reverse("participants:detail", args=[person.pk]))
    client.get(reverse("journal:list", args=[person.pk]))
    client.get(reverse("journal:entry", args=[entry.pk]))
    client.force_login(eva)
    rows = client.get(log_url, {"person": person.pk}).context["rows"]
    reads = [r.page for r in rows if r.event.kind == "read" and r.event.user == anna]
    assert "Journalen" in reads and "Journalanteckning" in reads and "Deltagare" in reads
    csv_text = b"".join(client.get(log_url, {"format": "csv"}).streaming_content).decode()
    assert "Journalen" in csv_text and "journal:" not in csv_text


def test_l2_signing_a_new_journal_entry_is_logged_as_created(
    client, log_url, lotsen, anna, eva
) -> None:
    person = make_participant(lotsen)
    make_entry(person, by=anna)
    event = RecordEvent.objects.get(page="journal.Entry", participant_id=person.pk)
    assert event.kind == RecordEventKind.CREATED
    client.force_login(eva)
    csv_text = b"".join(client.get(log_url, {"format": "csv"}).streaming_content).decode()
    assert "skapad" in csv_text


def test_l2_the_log_names_staff_by_full_name_and_a_nameless_account_by_username_marked(
    client, log_url, lotsen, anna, eva
) -> None:
    """The staff filter names people as the log's rows and its CSV do: by full name, and an
    account without a name (the administrator's) by its username, marked as one, never as
    a bare "admin" that reads like a person's name."""
    from lotsen.models import Role
    from tests.factories import make_staff

    admin = make_staff("admin", lotsen, Role.ADMINISTRATOR)
    person = make_participant(lotsen)
    for reader in (anna, admin):
        client.force_login(reader)
        client.get(reverse("participants:detail", args=[person.pk]))
    nameless = "admin (användarnamn, inget namn angivet)"
    client.force_login(eva)
    page = client.get(log_url, {"person": person.pk}).content.decode()
    assert f'<option value="{admin.pk}">{nameless}</option>' in page
    assert f'<option value="{anna.pk}">Anna Lindqvist</option>' in page
    assert f"<td>{nameless}</td>" in page and "<td>Anna Lindqvist</td>" in page
    assert "<td>admin</td>" not in page
    csv_text = b"".join(client.get(log_url, {"format": "csv"}).streaming_content).decode()
    assert f";{nameless};" in csv_text and ";Anna Lindqvist;" in csv_text
