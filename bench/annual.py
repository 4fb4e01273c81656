"""A unit-year for the annual report at scale, seeded with SQL (generate_series).

A unit of its own ("Lotsen bench", slug `bench-annual`) runs copies of Lotsen's programmes,
so that the city's pages at Lotsen measure the same with or without it. The year 2025,
read on the bench's today (2026-11-23): PEOPLE people with a place in the year, VISITS
visits in it, plans with follow-ups (on time, late, never done), ended places with their
outcomes, referrals with their steps (accepted, still waiting at new year), anonymous
visits, group sessions, assessments, boendestöd records, outreach, the agreement with its
indices and a goal for every indicator of the day-activity report.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection

from lotsen.models import Programme, Role, Unit, User

SLUG = "bench-annual"
YEAR = 2025


@dataclass(frozen=True)
class UnitYear:
    people: int = 10_000
    visits: int = 1_000_000
    today: datetime.date = datetime.date(2026, 11, 23)


def seeded() -> dict[str, int] | None:
    """The ids the measurements use, if the unit-year is already in the database."""
    unit = Unit.objects.filter(slug=SLUG).first()
    if unit is None:
        return None
    manager = User.objects.get(username=f"{SLUG}-manager")
    return {"unit": unit.pk, "manager": manager.pk, "year": YEAR}


def seed(shape: UnitYear) -> dict[str, int]:
    """Seed the unit-year once; the ids for the measurements."""
    from reporting.models import Goal, Indicator, ReportText
    from treatment.models import Agreement, PriceIndex

    lotsen = Unit.objects.get(slug="lotsen")
    unit = Unit.objects.create(
        name="Lotsen bench",
        slug=SLUG,
        commissioned_open_days=lotsen.commissioned_open_days,
        evening_from=lotsen.evening_from,
    )
    for p in Programme.objects.filter(unit=lotsen).order_by("pk"):
        p.pk, p.unit, p.slug = None, unit, f"{p.slug}-{SLUG}"
        p.save()
    manager = User.objects.create_user(
        username=f"{SLUG}-manager",
        password="x",  # noqa: S106 (bench only)
        email=f"{SLUG}@lotsen.test",
        role=Role.MANAGER,
    )
    manager.units.add(unit)
    agreement = Agreement.objects.create(
        unit=unit, yearly_amount=Decimal(3_000_000), price_year=2020, description="Bench"
    )
    for year, percent in ((2021, "1.8"), (2023, "4.1"), (2024, "2.9"), (2025, "2.5")):
        PriceIndex.objects.create(agreement=agreement, year=year, percent=Decimal(percent))
    for year in (YEAR - 1, YEAR):
        for i, indicator in enumerate(
            [
                Indicator.NEXT_STEP_SHARE,
                Indicator.HOUSING_SUPPORT_CHANGE,
                Indicator.OPEN_DAYS,
                Indicator.MEDIAN_WAIT,
                Indicator.FOLLOW_UPS_ON_TIME,
                Indicator.TRAINING_HOURS_USE,
            ]
        ):
            Goal.objects.create(
                unit=unit,
                year=year,
                title=f"Mål {i + 1}",
                indicator=indicator,
                target=Decimal(40 + 5 * i),
                comment="",
                created_by=manager,
            )
    ReportText.objects.create(
        unit=unit, year=YEAR, introduction="Inledning.", analysis="Analys.", revision=1
    )
    _seed_sql(unit, manager, shape)
    ids = seeded()
    assert ids is not None
    return ids


def _seed_sql(unit: Unit, manager: User, shape: UnitYear) -> None:
    programmes = list(
        Programme.objects.filter(unit=unit).order_by("pk").values_list("pk", flat=True)
    )
    p: dict[str, Any] = {
        "unit": unit.pk,
        "lotsen": Unit.objects.get(slug="lotsen").pk,
        "people": shape.people,
        "programmes": programmes,
        "staff": manager.pk,
        "per": max(1, shape.visits // shape.people),
        "today": shape.today,
    }
    statements = [
        # Opening hours as Lotsen's (the calendar of the year).
        """INSERT INTO participants_openinghours (weekday, opens, closes, valid_from, valid_until,
               unit_id)
           SELECT weekday, opens, closes, valid_from, valid_until, %(unit)s
           FROM participants_openinghours WHERE unit_id = %(lotsen)s""",
        """INSERT INTO participants_participant
             (identity_number, identity_kind, birth_date, first_name, last_name, phone, email,
              address, municipality, residency_exception_reason, residency_exception_agreed_by,
              has_housing_support, protected_identity, created_at, gender, unit_id)
           SELECT NULL, 'reserve', date '1960-01-01' + (i %% 15000), 'Bench', 'Person ' || i,
                  '', '', '', 'Linköping', '', '', i %% 4 = 0, false, now(),
                  (array['woman','man','other','undisclosed'])[1 + i %% 4], %(unit)s
           FROM generate_series(1, %(people)s) AS i""",
        # One place each, in one of the four programmes; starts from mid-2023 to the end of
        # 2025; two in five ended (most of them in 2025) with an outcome.
        """INSERT INTO participants_enrolment
             (start_date, end_date, hours_per_week, created_at, contact_person_id, programme_id,
              participant_id, outcome, outcome_note, has_plan)
           SELECT s.start, CASE WHEN x.id %% 5 < 2 THEN s.start + 120 + (x.id %% 240)::int END,
                  8, now(), %(staff)s,
                  (%(programmes)s::bigint[])[1 + x.id %% cardinality(%(programmes)s::bigint[])],
                  x.id,
                  CASE WHEN x.id %% 5 < 2 THEN (array['employment','studies','internship',
                       'labour_market','other_service','ended_early','moved'])[1 + x.id %% 7]
                       ELSE '' END,
                  '', false
           FROM participants_participant x,
                LATERAL (SELECT date '2023-07-01' + ((x.id * 37) %% 900)::int AS start) s
           WHERE x.unit_id = %(unit)s""",
        # A plan for every place in a programme with follow-ups, ten days after the start.
        """INSERT INTO plans_plan
             (established_on, goals, participation, summary, follow_up_due, created_at,
              created_by_id, enrolment_id, collaboration, revision, updated_at)
           SELECT e.start_date + 10, 'Mål', '', 'Sammanfattning', NULL, now(), %(staff)s, e.id,
                  '', 1, now()
           FROM participants_enrolment e JOIN lotsen_programme g ON g.id = e.programme_id
           WHERE g.unit_id = %(unit)s AND g.follow_up_interval IS NOT NULL
             AND (e.end_date IS NULL OR e.end_date >= e.start_date + 10)""",
        # Follow-ups one interval apart: about every third follow-up a week late, every
        # seventh never followed up, the rest on time; none after the place ended.
        """INSERT INTO plans_followup (date, progress, next_steps, created_at, created_by_id,
               plan_id, attendees)
           SELECT d.day, '', '', now(), %(staff)s, pl.id, ''
           FROM plans_plan pl
           JOIN participants_enrolment e ON e.id = pl.enrolment_id
           JOIN lotsen_programme g ON g.id = e.programme_id,
                generate_series(1, 8) AS k,
                LATERAL (SELECT (pl.established_on
                        + CASE WHEN g.follow_up_interval_unit = 'weeks'
                               THEN make_interval(weeks => g.follow_up_interval * k)
                               ELSE make_interval(months => g.follow_up_interval * k) END
                        + CASE WHEN (pl.id + k) %% 3 = 0 THEN interval '7 days'
                               ELSE interval '-2 days' END)::date AS day) d
           WHERE g.unit_id = %(unit)s AND pl.id %% 7 <> 0
             AND d.day <= least(coalesce(e.end_date, %(today)s), %(today)s)
             AND NOT (pl.id %% 11 = 0 AND k > 2)""",
        """UPDATE plans_plan pl SET follow_up_due = (
               coalesce((SELECT max(f.date) FROM plans_followup f WHERE f.plan_id = pl.id),
                        pl.established_on)
               + CASE WHEN g.follow_up_interval_unit = 'weeks'
                      THEN make_interval(weeks => g.follow_up_interval)
                      ELSE make_interval(months => g.follow_up_interval) END)::date
           FROM participants_enrolment e JOIN lotsen_programme g ON g.id = e.programme_id
           WHERE e.id = pl.enrolment_id AND g.unit_id = %(unit)s""",
        """UPDATE participants_enrolment e SET has_plan = true,
               plan_follow_up_due = pl.follow_up_due
           FROM plans_plan pl WHERE pl.enrolment_id = e.id
             AND e.programme_id = ANY(%(programmes)s::bigint[])""",
        # VISITS visits in 2025 on distinct days, each person at the programme of their place.
        """INSERT INTO participants_visit (date, hours, recorded_at, participant_id, programme_id)
           SELECT date '2025-01-01' + ((x.id * 7 + k * 3) %% 365)::int, 2.5, now(), x.id,
                  e.programme_id
           FROM participants_enrolment e JOIN participants_participant x
                ON x.id = e.participant_id,
                generate_series(0, %(per)s - 1) AS k
           WHERE x.unit_id = %(unit)s""",
        # Visits counted without names at the drop-in programme: three a day, one undone.
        """INSERT INTO participants_anonymousvisit (date, delta, token, recorded_at,
               programme_id)
           SELECT date '2025-01-01' + (i / 4), CASE WHEN i %% 4 = 3 THEN -1 ELSE 1 END,
                  gen_random_uuid()::text, now(), (%(programmes)s::bigint[])[1]
           FROM generate_series(0, 4 * 365 - 1) AS i""",
        # Group activities: five weekly series, eight attendees each time, every tenth
        # session cancelled.
        """INSERT INTO participants_activity (kind, title, place, description, weekdays,
               first_date, last_date, starts_at, ends_at, max_participants, is_public,
               created_at, created_by_id, programme_id, unit_id)
           SELECT 'activity', 'Grupp ' || i, '', '', (i %% 5)::text, date '2025-01-01',
                  date '2025-12-31', time '13:00', time '15:00', 12, false, now(),
                  %(staff)s, (%(programmes)s::bigint[])[1 + i %% 4], %(unit)s
           FROM generate_series(0, 4) AS i""",
        """INSERT INTO participants_session (original_date, date, starts_at, ends_at, place,
               cancelled, cancel_reason, activity_id)
           SELECT d, d, time '13:00', time '15:00', '', (a.id + w) %% 10 = 0, '', a.id
           FROM participants_activity a, generate_series(0, 51) AS w,
                LATERAL (SELECT date '2025-01-06' + 7 * w + a.weekdays::int AS d) s
           WHERE a.unit_id = %(unit)s""",
        """INSERT INTO participants_sessionattendance (recorded_at, participant_id, session_id)
           SELECT now(), x.id, s.id
           FROM participants_session s JOIN participants_activity a ON a.id = s.activity_id,
                LATERAL (SELECT id FROM participants_participant
                         WHERE unit_id = %(unit)s ORDER BY id
                         OFFSET (s.id * 13) %% (%(people)s - 8) LIMIT 8) x
           WHERE a.unit_id = %(unit)s AND NOT s.cancelled""",
        # Assessments of work ability through the year.
        """INSERT INTO participants_assessment (date, conclusions, created_at, assessor_id,
               participant_id, unit_id, instrument_id)
           SELECT date '2025-01-01' + (x.id %% 365)::int, '', now(), %(staff)s, x.id,
                  %(unit)s, (SELECT min(id) FROM participants_assessmentinstrument)
           FROM participants_participant x WHERE x.unit_id = %(unit)s AND x.id %% 8 = 0""",
        # Boendestöd at start and at leaving, for those with it whose place ended.
        """INSERT INTO participants_housingsupport (recorded_on, occasion, provider,
               hours_per_week, participant_id)
           SELECT e.start_date, 'start', 'Boendestöd', 4 + x.id %% 6, x.id
           FROM participants_participant x JOIN participants_enrolment e
                ON e.participant_id = x.id
           WHERE x.unit_id = %(unit)s AND x.has_housing_support""",
        """INSERT INTO participants_housingsupport (recorded_on, occasion, provider,
               hours_per_week, participant_id)
           SELECT e.end_date, 'leave', 'Boendestöd', 2 + x.id %% 5, x.id
           FROM participants_participant x JOIN participants_enrolment e
                ON e.participant_id = x.id
           WHERE x.unit_id = %(unit)s AND x.has_housing_support AND e.end_date IS NOT NULL""",
        # Housing-support units and outreach during the year.
        """INSERT INTO referrals_housingsupportunit (name, provider, contact_name,
               contact_phone, contact_email, active, unit_id)
           SELECT 'Boendestöd ' || i, '', '', '', '', true, %(unit)s
           FROM generate_series(1, 4) AS i""",
        """INSERT INTO referrals_outreachactivity (date, kind, people_reached, isa_presented,
               notes, created_at, created_by_id, housing_support_unit_id, unit_id)
           SELECT date '2025-01-10' + 3 * i, 'information_meeting', 3 + i %% 7,
                  (array['yes','no','nobody_young'])[1 + i %% 3], '', now(), %(staff)s,
                  h.id, %(unit)s
           FROM generate_series(0, 119) AS i
           JOIN referrals_housingsupportunit h ON h.unit_id = %(unit)s
                AND h.name = 'Boendestöd ' || (1 + i %% 4)""",
        # Referrals over 2024-2025: waiting after two weeks; most accepted, some still
        # waiting at new year (accepted in 2026 or never), some declined.
        """INSERT INTO referrals_referral (initiator, referring_organisation, referrer_contact,
               received_on, first_name, last_name, identity_number, contact, interest, consent,
               prioritised, status, decline_reason, revision, created_at, unit_id,
               housing_support_unit_id, outreach_id, participant_id)
           SELECT (array['self','self_web','relative','psychiatry','primary_care',
                         'social_services'])[1 + i %% 6], '', '',
                  date '2024-01-01' + (i %% 730), 'Anmäld', 'Person ' || i, '', '', '', '',
                  false,
                  CASE WHEN i %% 10 < 7 THEN 'accepted' WHEN i %% 10 < 9 THEN 'waiting'
                       ELSE 'declined' END,
                  '', 0, now(), %(unit)s,
                  (SELECT min(id) FROM referrals_housingsupportunit WHERE unit_id = %(unit)s),
                  CASE WHEN i %% 17 = 0 THEN (SELECT min(id) FROM referrals_outreachactivity
                                             WHERE unit_id = %(unit)s) END,
                  (SELECT min(id) FROM participants_participant WHERE unit_id = %(unit)s) + i
           FROM generate_series(0, 2999) AS i""",
        """INSERT INTO referrals_referralstep (from_status, to_status, "on", note, at,
               referral_id)
           SELECT 'received', 'waiting', r.received_on + 14, '', now(), r.id
           FROM referrals_referral r WHERE r.unit_id = %(unit)s""",
        """INSERT INTO referrals_referralstep (from_status, to_status, "on", note, at,
               referral_id)
           SELECT 'waiting', r.status, r.received_on + 20 + (r.id %% 90)::int, '', now(), r.id
           FROM referrals_referral r
           WHERE r.unit_id = %(unit)s AND r.status IN ('accepted', 'declined')""",
    ]
    with connection.cursor() as c:
        for sql in statements:
            c.execute(sql, p)
        # VACUUM as well, as autovacuum would have long since done for a past year: the
        # visibility map lets the figures read the visits' covering index alone.
        c.execute("VACUUM ANALYZE")
