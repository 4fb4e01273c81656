"""IPS case work at Hantverkshuset (R10, R11, R21, R22): the step rules, employer contacts,
job starts and every figure of the monthly follow-up from frozen data."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from employment.figures import period_figures, queue_rows, table
from employment.models import (
    Case,
    CaseOutcome,
    ContactKind,
    JobKind,
    Step,
)
from employment.services import (
    CaseConflict,
    case_end,
    case_move,
    case_open,
    contact_record,
    job_end,
    job_start_record,
)
from participants.models import Outcome
from tests.employment.factories import open_case
from tests.factories import TODAY, make_participant, make_place, make_referral

pytestmark = pytest.mark.django_db
D = datetime.date


def test_r21_seeded_numbers_are_programme_data(ips) -> None:
    assert (ips.new_cases_per_fte_min, ips.new_cases_per_fte_max) == (20, 25)
    assert ips.max_caseload_per_fte == 20
    assert ips.first_contact_days == 30
    assert ips.employer_contacts_per_week == 6
    assert (ips.retention_months_short, ips.retention_months_long) == (3, 6)


def test_r21_a_case_needs_a_specialist_of_the_programme(ips, henrik) -> None:
    person = make_participant(ips.programme.unit)
    place = make_place(person, ips.programme, hours=None)
    with pytest.raises(ValidationError, match="arbetsspecialist"):
        case_open(enrolment=place, specialist=henrik, intake_on=TODAY, by=henrik, today=TODAY)


def test_r21_a_place_has_one_case(ips, sofia) -> None:
    case = open_case(ips, sofia, intake=D(2026, 11, 2))
    with pytest.raises(ValidationError, match="redan ett ärende"):
        case_open(
            enrolment=case.enrolment, specialist=sofia, intake_on=TODAY, by=sofia, today=TODAY
        )


def test_r21_steps_follow_the_path_with_who_and_when(ips, sofia) -> None:
    case = open_case(ips, sofia, intake=D(2026, 11, 2))
    with pytest.raises(ValidationError, match="kan inte gå till"):
        case_move(case=case, to=Step.FOLLOW_ALONG, on=TODAY, by=sofia, revision=1, today=TODAY)
    case = case_move(
        case=case, to=Step.PROFILE, on=D(2026, 11, 5), by=sofia, revision=1, today=TODAY
    )
    assert case.step == Step.PROFILE
    step = case.steps.last()
    assert (step.from_step, step.to_step, step.on, step.by) == (
        Step.INTAKE,
        Step.PROFILE,
        D(2026, 11, 5),
        sofia,
    )


def test_r21_step_dates_in_order_and_not_in_the_future(ips, sofia) -> None:
    case = open_case(ips, sofia, intake=D(2026, 11, 2))
    with pytest.raises(ValidationError, match="före föregående steg"):
        case_move(case=case, to=Step.PROFILE, on=D(2026, 11, 1), by=sofia, revision=1, today=TODAY)
    with pytest.raises(ValidationError, match="framtiden"):
        case_move(case=case, to=Step.PROFILE, on=D(2026, 12, 1), by=sofia, revision=1, today=TODAY)


def test_r21_two_people_moving_a_case_at_once(ips, sofia, jonas) -> None:
    case = open_case(ips, sofia, intake=D(2026, 11, 2))
    case_move(case=case, to=Step.PROFILE, on=TODAY, by=sofia, revision=1, today=TODAY)
    with pytest.raises(CaseConflict):
        case_move(case=case, to=Step.JOB_SEARCH, on=TODAY, by=jonas, revision=1, today=TODAY)


def test_r11_ending_a_case_records_the_outcome_and_ends_the_place(ips, sofia) -> None:
    case = open_case(ips, sofia, intake=D(2026, 10, 1))
    with pytest.raises(ValidationError):
        case_end(case=case, outcome=CaseOutcome.NONE, on=TODAY, by=sofia, revision=1, today=TODAY)
    job_start_record(
        case=case,
        kind=JobKind.STUDIES,
        start_date=D(2026, 11, 2),
        by=sofia,
        today=TODAY,
        revision=1,
    )
    case = case_end(
        case=case, outcome=CaseOutcome.STUDIES, on=TODAY, by=sofia, revision=2, today=TODAY
    )
    case.enrolment.refresh_from_db()
    assert case.step == Step.ENDED and case.ended_on == TODAY
    assert case.enrolment.outcome == Outcome.STUDIES and case.enrolment.end_date == TODAY
    with pytest.raises(ValidationError):
        case_move(case=case, to=Step.PROFILE, on=TODAY, by=sofia, revision=None, today=TODAY)


def test_r11_an_outcome_of_work_or_studies_needs_such_a_start(ips, sofia, employer) -> None:
    """A case with one job still going on cannot end as studies (the walk-through's case);
    it ends as work, the job going on after the support ends."""
    case = open_case(ips, sofia, intake=D(2026, 9, 1))
    job = job_start_record(
        case=case,
        kind=JobKind.JOB,
        start_date=D(2026, 10, 5),
        employer=employer,
        by=sofia,
        today=TODAY,
        revision=1,
    )
    with pytest.raises(ValidationError) as refused:
        case_end(
            case=case, outcome=CaseOutcome.STUDIES, on=TODAY, by=sofia, revision=2, today=TODAY
        )
    messages = refused.value.message_dict["outcome"]
    assert "Utfallet studier kräver en registrerad start av det slaget" in messages[0]
    assert (
        f"Anställning hos {employer.name} från 2026-10-05 pågår fortfarande. Registrera när den "
        "slutade, eller välj utfallet arbete." in messages[1]
    )
    for outcome in (CaseOutcome.OTHER_MEASURE, CaseOutcome.INTERNSHIP):
        with pytest.raises(ValidationError, match="pågår fortfarande"):
            case_end(
                case=case, outcome=outcome, on=TODAY, by=sofia, revision=2, today=TODAY, note="x"
            )
    case.refresh_from_db()
    assert not case.is_ended
    case = case_end(case=case, outcome=CaseOutcome.JOB, on=TODAY, by=sofia, revision=2, today=TODAY)
    job.refresh_from_db()
    assert case.is_ended and job.end_date is None


def test_r11_a_start_that_ended_does_not_hold_up_another_outcome(ips, sofia, employer) -> None:
    case = open_case(ips, sofia, intake=D(2026, 9, 1))
    job = job_start_record(
        case=case,
        kind=JobKind.JOB,
        start_date=D(2026, 10, 5),
        employer=employer,
        by=sofia,
        today=TODAY,
        revision=1,
    )
    job_end(job=job, end_date=D(2026, 11, 2), reason="Provanställningen förlängdes inte.", by=sofia)
    job_start_record(
        case=case,
        kind=JobKind.STUDIES,
        start_date=D(2026, 11, 16),
        by=sofia,
        today=TODAY,
        revision=None,
    )
    # A start after the end date does not count for the outcome.
    with pytest.raises(ValidationError, match="kräver en registrerad start"):
        case_end(
            case=case,
            outcome=CaseOutcome.STUDIES,
            on=D(2026, 11, 10),
            by=sofia,
            revision=None,
            today=TODAY,
        )
    case = case_end(
        case=case, outcome=CaseOutcome.STUDIES, on=TODAY, by=sofia, revision=None, today=TODAY
    )
    assert case.outcome == CaseOutcome.STUDIES


def test_r21_a_job_start_moves_the_case_to_started(ips, sofia, employer) -> None:
    case = open_case(ips, sofia, intake=D(2026, 9, 1))
    job = job_start_record(
        case=case,
        kind=JobKind.JOB,
        start_date=D(2026, 11, 2),
        employer=employer,
        hours_per_week=Decimal(20),
        by=sofia,
        today=TODAY,
        revision=1,
    )
    case.refresh_from_db()
    assert case.step == Step.STARTED
    with pytest.raises(ValidationError, match="före startdatumet"):
        job_end(job=job, end_date=D(2026, 11, 1), reason="", by=sofia)
    job_end(job=job, end_date=D(2026, 11, 20), reason="Provanställning", by=sofia)
    with pytest.raises(ValidationError, match="redan avslutad"):
        job_end(job=job, end_date=D(2026, 11, 21), reason="", by=sofia)


def test_r21_employer_contact_rules_and_double_submit(ips, sofia, employer) -> None:
    case = open_case(ips, sofia, intake=D(2026, 11, 2))
    with pytest.raises(ValidationError, match="framtiden"):
        contact_record(
            employer=employer, on=D(2026, 12, 1), kind=ContactKind.FIRST, by=sofia, today=TODAY
        )
    with pytest.raises(ValidationError, match="före inskrivningen"):
        contact_record(
            employer=employer,
            on=D(2026, 11, 1),
            kind=ContactKind.FIRST,
            by=sofia,
            today=TODAY,
            case=case,
        )
    first, created = contact_record(
        employer=employer,
        on=TODAY,
        kind=ContactKind.FIRST,
        by=sofia,
        today=TODAY,
        submission_key="k1",
    )
    again, created_again = contact_record(
        employer=employer,
        on=TODAY,
        kind=ContactKind.FIRST,
        by=sofia,
        today=TODAY,
        submission_key="k1",
    )
    assert created and not created_again and first.pk == again.pk


def test_r21_figures_from_frozen_data(ips, sofia, jonas, world) -> None:
    f = period_figures(ips, start=D(2026, 10, 1), end=D(2026, 10, 31), today=TODAY)
    team = f.team
    assert team.fte == Decimal("1.5")
    assert team.new_cases == 2 and team.caseload == 6
    by_name = {r.name: r for r in f.specialists}
    s, j = by_name["Sofia Holm"], by_name["Jonas Ek"]
    assert (s.new_cases, s.caseload, j.new_cases, j.caseload) == (2, 3, 0, 3)
    # R21 target: 20-25 per FTE a year, for 31 days, part-time scaled.
    low, high = f.target_new(j)
    assert round(low, 2) == round(Decimal("0.5") * 20 * 31 / 365, 2)
    assert round(high, 2) == round(Decimal("0.5") * 25 * 31 / 365, 2)
    assert f.max_caseload(j) == 10
    # First contact: one after 10 days, one still within 30 days with none yet.
    assert s.first_contact_days == [10] and s.no_contact_yet == 1 and s.first_contact_late == 0
    assert f.first_contact_within(s) == 1
    # Contacts: two by sofia in October; 31 days is 4.43 weeks; her target 6 a week.
    assert s.contacts == 2 and j.contacts == 0
    assert f.contacts_target(j) == 3
    # Work, studies, retention at 3 months (marks 2026-10-01 and 2026-10-10 fall in October).
    assert len(team.started_studies) == 1 and len(team.got_work) == 0 and team.job_starts == 1
    assert (team.short_due, team.short_still) == (2, 1)
    assert (s.short_due, s.short_still, j.short_due, j.short_still) == (1, 1, 1, 0)


def test_r21_a_case_with_no_contact_after_the_target_counts_as_late(ips, jonas, world) -> None:
    f = period_figures(ips, start=D(2026, 9, 1), end=D(2026, 9, 30), today=TODAY)
    j = next(r for r in f.specialists if r.name == "Jonas Ek")
    assert j.new_cases == 2
    # 2026-09-15 is 15 days before the month's end: still within 30 days.
    assert j.no_contact_yet == 2
    f = period_figures(ips, start=D(2026, 9, 1), end=D(2026, 11, 23), today=TODAY)
    j = next(r for r in f.specialists if r.name == "Jonas Ek")
    assert j.first_contact_late == 2 and f.first_contact_within(j) == 0


def test_r21_counts_under_five_are_suppressed_when_leaving_the_unit(ips, world) -> None:
    f = period_figures(ips, start=D(2026, 10, 1), end=D(2026, 10, 31), today=TODAY)
    _columns, inside = table(f, suppress=False)
    _columns, outside = table(f, suppress=True)
    new_inside = dict(inside)["Nya ärenden"]
    new_outside = dict(outside)["Nya ärenden"]
    assert new_inside[0] == "2" and new_outside[0] == "färre än 5"
    assert dict(outside)["Årsarbetare i perioden, genomsnitt"][0] == "1,50"  # not a count of people


def test_r22_queue_by_month(ips, hantverkshuset, sofia) -> None:
    from referrals.models import ReferralStep

    referral = make_referral(
        hantverkshuset, programme=ips.programme, status="waiting", received_on=D(2026, 9, 1)
    )
    ReferralStep.objects.create(
        referral=referral, from_status="received", to_status="waiting", on=D(2026, 9, 10), by=sofia
    )
    f = period_figures(ips, start=D(2026, 8, 1), end=D(2026, 10, 31), today=TODAY)
    assert [(m.month, m.queue_at_end) for m in f.months] == [(8, 0), (9, 1), (10, 1)]
    assert f.waiting.count == 1
    assert queue_rows(f, suppress=True)[1][1] == "färre än 5"


def test_r21_figures_take_a_fixed_number_of_queries(
    ips, world, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(8):
        period_figures(ips, start=D(2026, 1, 1), end=D(2026, 11, 30), today=TODAY)
    for _ in range(5):
        open_case(ips, Case.objects.first().specialist, intake=D(2026, 10, 1))
    with django_assert_max_num_queries(8):
        period_figures(ips, start=D(2026, 1, 1), end=D(2026, 11, 30), today=TODAY)
