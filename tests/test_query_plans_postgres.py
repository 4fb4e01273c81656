"""The indexes the busy pages rely on at a city's scale exist and fit their queries (PostgreSQL).

A test database is too small for the planner to prefer an index, so each check forbids
sequential and plain index scans for one EXPLAIN (bitmap scans stay): the plan then shows
the named index if, and only if, an index matches the query's expressions. Without the
index (or with a query the index does not fit) the plan falls back to a scan and fails.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.db.models import QuerySet

from participants.models import Participant, Visit
from participants.services import registry_search
from tests.factories import TODAY, make_participant

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the indexes and JIT setting are PostgreSQL's"
    ),
]


def _plan(queryset: QuerySet) -> str:  # type: ignore[type-arg]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # a GIN index answers by bitmap
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("lindqv", "participant_last_name_trgm"),
        ("ANNA", "participant_first_name_trgm"),
        ("8112", "participant_identity_number_trgm"),
    ],
)
def test_registry_search_by_part_of_a_name_or_number_uses_a_trigram_index(
    lotsen, query: str, index: str
) -> None:
    make_participant(lotsen)
    found = registry_search(Participant.objects.all(), query=query, filters={}, today=TODAY)
    assert index in _plan(found.values("pk"))


def _ordered_plan(queryset: QuerySet) -> str:  # type: ignore[type-arg]
    """The plan when neither a sequential scan nor a sort is allowed: an ordered page can
    then only come from an index in that order."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("sort", "index"),
    [
        ("name", "participant_last_na_32f240_idx"),
        ("birth", "participant_birth_date"),
        ("newest", "participant_newest"),
    ],
)
def test_a_registry_page_in_each_order_is_read_by_index(
    lotsen, anna, sort: str, index: str
) -> None:
    make_participant(lotsen)
    visible = Participant.objects.visible_to(anna)
    page = registry_search(visible, query="", filters={"sort": sort}, today=TODAY)[:50]
    plan = _ordered_plan(page)
    # Equal names are put in id order as they come (an incremental sort), never all rows.
    assert index in plan and not re.search(r"(?<!Incremental )Sort  \(", plan)


def test_the_protected_check_runs_only_for_the_protected_rows_met(lotsen, training, anna) -> None:
    """L4's test runs as a plain subplan after NOT protected_identity in an OR, for the
    protected rows a scan meets; never as a hash of every place the user was ever contact
    person for (what two EXISTS in the OR became once the user had thousands)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO participants_participant (identity_kind, birth_date, first_name,"
            " last_name, phone, email, address, municipality, residency_exception_reason,"
            " residency_exception_agreed_by, has_housing_support, protected_identity,"
            " created_at, gender, unit_id) SELECT 'reserve', '1980-01-01', 'Test', 'Testsson',"
            " '', '', '', '', '', '', false, i %% 100 = 0, now(), '', %s"
            " FROM generate_series(1, 20000) AS i",
            [lotsen.pk],
        )
        cursor.execute(
            "INSERT INTO participants_enrolment (participant_id, programme_id, start_date,"
            " contact_person_id, outcome, outcome_note, created_at, has_plan)"
            " SELECT id, %s, '2020-01-01', %s, 'moved', '', now(), false"
            " FROM participants_participant",
            [training.pk, anna.pk],
        )
        cursor.execute("ANALYZE participants_participant, participants_enrolment")
    plan = _plan(Participant.objects.visible_to(anna).values("pk")[:50])
    assert "(NOT protected_identity) OR (SubPlan" in plan and "hashed" not in plan


def test_the_trigram_indexes_have_no_pending_list() -> None:
    """fastupdate off: a search never reads a list of recent rows end to end (0020)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname LIKE 'participant_%_trgm'"
        )
        options = dict(cursor.fetchall())
    assert len(options) == 3
    assert all("fastupdate=off" in (found or []) for found in options.values())


def test_the_days_visits_of_a_programme_are_read_by_index(lotsen, training) -> None:
    day = Visit.objects.filter(programme=training, date=TODAY).values("pk")
    assert "visit_programme_date_cover" in _plan(day)


def test_a_years_visits_for_the_annual_figures_are_read_from_the_index_alone(
    lotsen, training
) -> None:
    """The annual figures' pass over a year's visits reads the programme and date index,
    which holds the person and the hours too: on a vacuumed register (the bench's) that is
    an index-only scan, no table page read per visit."""
    from reporting.figures import VISITS_BY_DAY_SQL

    params = [[training.pk], datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + VISITS_BY_DAY_SQL, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'visit_programme_date_cover'"
        )
        (definition,) = cursor.fetchone()
    assert "using visit_programme_date_cover" in plan, plan
    assert "(programme_id, date) INCLUDE (participant_id, hours)" in definition


def test_the_places_on_a_days_sheet_are_read_by_index(lotsen, training) -> None:
    """Years of ended places make the start date useless: the end date finds today's."""
    from activities.attendance import sheet_places
    from participants.models import Enrolment

    person = make_participant(lotsen)
    ended = datetime.date(2016, 1, 1)
    Enrolment.objects.bulk_create(
        Enrolment(participant=person, programme=training, start_date=ended, end_date=ended)
        for _ in range(2000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE participants_enrolment")
    places = sheet_places([training.pk], day=TODAY, visible=Participant.objects.all())
    assert "enrolment_programme_end" in _plan(places)


def test_jit_is_off_for_this_load() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_random_reads_cost_as_from_memory() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone() == ("1.1",)


def _explain_without(queryset: QuerySet, *settings: str) -> str:  # type: ignore[type-arg]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        for setting in settings:
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_overdue_ranking_reads_its_covering_index_in_the_windows_order(lotsen) -> None:
    """The morning run ranks a third of a million overdue places per contact person and
    programme: read from the index alone, already in the window's order (nothing sorted
    but the few lines kept). Sorting is forbidden here, so a plan that needs it for the
    window shows the sort on the contact person, and the test fails."""
    from plans.reminders import ranked_places, reminder_querysets

    overdue = reminder_querysets(today=TODAY)["overdue"]
    plan = _explain_without(
        ranked_places(overdue, per_partition=20),
        "enable_seqscan",
        "enable_bitmapscan",
        "enable_sort",
        "enable_incremental_sort",  # else a contact-person index plus a sort of the rest wins
    )
    assert "Index Only Scan using enrolment_follow_up_rank" in plan
    assert "Sort Key: participants_enrolment.contact_person_id" not in plan


def test_the_lines_shown_read_places_and_their_plans_by_key(lotsen) -> None:
    """Tens of thousands of lines a morning: places by primary key (the ids as one array)
    and each plan by its place's unique key, never by reading every plan."""
    from plans.reminders import place_lines

    plan = _explain_without(place_lines([3, 1, 2]), "enable_seqscan")
    assert "participants_enrolment_pkey" in plan and "= ANY" in plan
    assert "SubPlan" in plan and "plans_plan_enrolment_id_key" in plan


@pytest.mark.parametrize("index", ["enrolment_follow_up_rank", "enrolment_without_plan"])
def test_open_places_are_indexed_without_the_years_of_ended_ones(index: str) -> None:
    """Home's caseload, the attendance watch and the reminders read places without an
    outcome (every one of their queries says outcome = ''), from indexes of those alone:
    at a million people the bench's contact person had 50,000 ended places and the search
    for missing plans read a million ended ones; with these, the morning's selection took
    the same time at 100,000 and 1,000,000 people (README, Performance)."""
    from participants.models import Enrolment

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [index])
        (definition,) = cursor.fetchone()
    assert definition.endswith("((outcome)::text = ''::text))") or definition.endswith(
        "((outcome)::text = ''::text)"
    ), definition
    running = Enrolment.objects.running_on(TODAY)
    assert "outcome" in str(running.query)  # the condition the partial indexes need
