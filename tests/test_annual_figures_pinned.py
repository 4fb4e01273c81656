"""Every figure and indicator of Lotsen's annual report pinned on a crafted dataset, so that a
rewrite of how they are computed (SQL aggregates instead of loops) is proven to give the same
report: values and their types (40 is not 40.0, Decimal('5.00') is not Decimal('5')).

Edge cases: follow-ups on time, late, never done and owed after the place ended; a plan made on
30 November (the next follow-up is due 28 February); medians of even and odd counts; waiting
at new year and accepted since; training weeks without hours and ISO week 1 at both ends of
the year; boendestöd with two starts and two leaves; indexation with years missing; another
unit's records that never count."""

from __future__ import annotations

import dataclasses
import datetime
import pprint
import re
from decimal import Decimal

import pytest
from django.db import connection

from activities.models import Activity, AnonymousVisit, Session, SessionAttendance
from participants.models import HousingSupport, Outcome, Visit
from plans.models import FollowUp
from referrals.models import OutreachActivity, ReferralStep
from reporting.figures import AnnualFigures, annual_figures
from reporting.indicators import goal_rows
from reporting.models import Goal, Indicator
from tests.factories import (
    TODAY,
    make_housing_unit,
    make_participant,
    make_place,
    make_plan,
    make_referral,
)
from treatment.models import Agreement, PriceIndex

pytestmark = pytest.mark.django_db
D = datetime.date


def _place(unit, programme, by, start, end=None, outcome="", **person):  # type: ignore[no-untyped-def]
    place = make_place(
        make_participant(unit, **person), programme, contact_person=by, start=start, end=end
    )
    if outcome:
        place.outcome = outcome
        place.save(update_fields=["outcome"])
    return place


def _plan(place, by, established, *follow_ups):  # type: ignore[no-untyped-def]
    plan = make_plan(place, established_on=established, by=by)
    for day in follow_ups:
        FollowUp.objects.create(plan=plan, date=day, created_by=by)
    return plan


def _referral(unit, received, *steps, **fields):  # type: ignore[no-untyped-def]
    referral = make_referral(unit, received_on=received, **fields)
    last = "received"
    for to, on in steps:
        ReferralStep.objects.create(referral=referral, from_status=last, to_status=to, on=on)
        last = to
    referral.status = last
    referral.save(update_fields=["status"])
    return referral


@pytest.fixture
def crafted(lotsen, hantverkshuset, training, isa, drop_in, anna):  # type: ignore[no-untyped-def]
    p1 = _place(lotsen, training, anna, D(2024, 9, 1), D(2025, 6, 30), Outcome.EMPLOYMENT)
    _plan(p1, anna, D(2024, 9, 10), D(2024, 12, 10), D(2025, 3, 20))  # late; then owed
    p2 = _place(lotsen, training, anna, D(2024, 11, 30), D(2025, 9, 30), Outcome.LABOUR_MARKET)
    _plan(p2, anna, D(2024, 11, 30), D(2025, 2, 28), D(2025, 5, 28))  # due 28 Feb: on time
    p3 = _place(lotsen, training, anna, D(2025, 1, 15), has_housing_support=True)
    _plan(
        p3,
        anna,
        D(2025, 1, 20),
        D(2025, 4, 20),
        D(2025, 7, 25),
        D(2025, 10, 25),
        D(2026, 1, 30),
        D(2026, 4, 30),
    )
    p4 = _place(lotsen, isa, anna, D(2025, 3, 1), young=True)
    _plan(p4, anna, D(2025, 3, 1))  # every six weeks, never followed up
    p5 = _place(lotsen, isa, anna, D(2025, 3, 1), D(2025, 5, 1), Outcome.ENDED_EARLY, young=True)
    _plan(p5, anna, D(2025, 3, 10))
    p6 = _place(lotsen, training, anna, D(2025, 8, 1), D(2025, 8, 20), Outcome.STUDIES)
    _plan(p6, anna, D(2025, 8, 5))  # ended before anything was owed
    p7 = _place(lotsen, training, anna, D(2026, 2, 1))
    _plan(p7, anna, D(2026, 2, 3), D(2026, 5, 3), D(2026, 8, 10))
    _place(lotsen, drop_in, anna, D(2023, 1, 1), D(2024, 12, 31), Outcome.MOVED)
    v1 = _place(lotsen, drop_in, anna, D(2025, 1, 1), has_housing_support=True)

    visits = [
        (v1, drop_in, D(2025, 2, 3), None),
        (v1, drop_in, D(2025, 2, 4), None),
        (v1, drop_in, D(2025, 5, 5), None),
        (v1, drop_in, D(2026, 2, 2), None),
        (v1, drop_in, D(2024, 12, 30), None),
        (p3, training, D(2025, 1, 1), Decimal("1.5")),  # ISO week 1 begins in 2024
        (p3, training, D(2025, 1, 20), Decimal("2.5")),
        (p3, training, D(2025, 1, 21), Decimal("3")),
        (p3, training, D(2025, 3, 3), None),  # a week with no hours noted
        (p3, training, D(2025, 12, 29), Decimal("2")),  # ISO week 1 of 2026
        (p4, isa, D(2025, 6, 2), Decimal("4.25")),
        (p3, training, D(2026, 3, 2), Decimal("3")),
    ]
    for place, programme, day, hours in visits:
        Visit.objects.create(
            participant=place.participant, programme=programme, date=day, hours=hours
        )
    for i, (day, delta) in enumerate(
        [(D(2025, 2, 3), 1), (D(2025, 2, 3), 1), (D(2025, 2, 3), -1), (D(2025, 7, 7), 1)]
    ):
        AnonymousVisit.objects.create(programme=drop_in, date=day, delta=delta, token=f"t{i}")
    activity = Activity.objects.create(
        unit=lotsen,
        programme=drop_in,
        kind="activity",
        title="Promenad",
        place="Parken",
        first_date=D(2025, 3, 5),
        last_date=D(2025, 9, 10),
        starts_at=datetime.time(10),
        ends_at=datetime.time(11),
    )
    for day, cancelled, people in (
        (D(2025, 3, 5), False, [v1, p3]),
        (D(2025, 3, 12), True, []),
        (D(2025, 9, 10), False, [v1]),
    ):
        session = Session.objects.create(
            activity=activity,
            original_date=day,
            date=day,
            starts_at=datetime.time(10),
            ends_at=datetime.time(11),
            place="Parken",
            cancelled=cancelled,
        )
        for place in people:
            SessionAttendance.objects.create(session=session, participant=place.participant)

    housing = make_housing_unit(lotsen)
    outreach = OutreachActivity.objects.create(
        unit=lotsen,
        date=D(2025, 4, 2),
        housing_support_unit=housing,
        kind="information_meeting",
        people_reached=7,
        isa_presented="yes",
        created_by=anna,
    )
    _referral(lotsen, D(2025, 3, 1), ("waiting", D(2025, 3, 2)), ("accepted", D(2025, 4, 9)))
    _referral(lotsen, D(2025, 4, 1), ("accepted", D(2025, 4, 21)), initiator="psychiatry")
    _referral(lotsen, D(2025, 5, 5), ("accepted", D(2025, 5, 10)), housing_support_unit=housing)
    _referral(lotsen, D(2025, 11, 1), ("waiting", D(2025, 11, 15)), ("accepted", D(2026, 2, 1)))
    _referral(lotsen, D(2025, 6, 1), ("waiting", D(2025, 6, 3)))
    _referral(lotsen, D(2024, 12, 1), ("waiting", D(2024, 12, 10)), ("declined", D(2025, 1, 15)))
    _referral(
        lotsen,
        D(2025, 2, 1),
        ("accepted", D(2025, 2, 20)),
        outreach=outreach,
        participant=p3.participant,
    )

    for place, day, occasion, weekly in (
        (v1, D(2024, 6, 1), "start", 4),
        (v1, D(2025, 1, 2), "start", 6),
        (v1, D(2025, 6, 1), "leave", 2),
        (v1, D(2025, 10, 1), "leave", 1),
        (p1, D(2024, 9, 1), "start", 5),
        (p1, D(2025, 6, 30), "leave", 5),
        (p2, D(2025, 9, 30), "leave", 3),
        (p5, D(2025, 3, 1), "start", 3),
        (p5, D(2026, 1, 10), "leave", 2),
    ):
        HousingSupport.objects.create(
            participant=place.participant,
            recorded_on=day,
            occasion=occasion,
            provider="Kommunen",
            hours_per_week=Decimal(weekly),
        )

    agreement = Agreement.objects.get(unit=lotsen)
    PriceIndex.objects.create(agreement=agreement, year=2023, percent=Decimal("1.0"))
    PriceIndex.objects.create(agreement=agreement, year=2025, percent=Decimal("2.5"))
    for year, indicator, target in [
        *((2025, i, Decimal(50)) for i in list(Indicator)[:6]),
        (2024, Indicator.MEDIAN_WAIT, Decimal(30)),
        (2026, Indicator.FOLLOW_UPS_ON_TIME, Decimal(80)),
        (2026, Indicator.HOUSING_SUPPORT_CHANGE, Decimal(-1)),
    ]:
        Goal.objects.create(
            unit=lotsen, year=year, title=f"{indicator}", indicator=indicator, target=target
        )

    # Another unit's place, visit and referral never count.
    other = make_place(
        make_participant(hantverkshuset), hantverkshuset.programmes.first(), start=D(2025, 2, 1)
    )
    Visit.objects.create(
        participant=other.participant,
        programme=hantverkshuset.programmes.first(),
        date=D(2025, 2, 3),
    )
    _referral(hantverkshuset, D(2025, 3, 1), ("accepted", D(2025, 3, 5)))
    return lotsen


def _plain(f: AnnualFigures) -> str:
    data = dataclasses.asdict(f)
    data.pop("unit")
    data["collaboration"].pop("unit")
    return pprint.pformat(data, width=100)


def _goals(unit, year) -> str:  # type: ignore[no-untyped-def]
    rows = goal_rows(unit=unit, year=year, today=TODAY)
    return pprint.pformat(
        [(g.indicator, [(c.year, c.target, c.actual) for c in g.cells]) for g in rows]
    )


def _scale(text: str) -> str:
    """SQLite sums decimals without their scale (1.5 for PostgreSQL's 1.50); elsewhere the
    scale is pinned too."""
    if connection.vendor == "postgresql":
        return text
    return re.sub(r"Decimal\('(-?\d+)\.(\d*?)0*'\)", r"Decimal('\1.\2')", text).replace(".')", "')")


def test_r20_lotsen_2025_figures_are_pinned(crafted) -> None:
    f = annual_figures(unit=crafted, year=2025, today=TODAY)
    assert _scale(_plain(f)) == _scale(FIGURES_2025)


def test_r20_lotsen_2026_figures_are_pinned(crafted) -> None:
    f = annual_figures(unit=crafted, year=2026, today=TODAY)
    assert _scale(_plain(f)) == _scale(FIGURES_2026)


def test_r19_lotsen_goals_are_pinned(crafted) -> None:
    assert _scale(_goals(crafted, 2025)) == _scale(GOALS_2025)
    assert _scale(_goals(crafted, 2026)) == _scale(GOALS_2026)


FIGURES_2025 = """\
{'as_of': datetime.date(2025, 12, 31),
 'assessments': 0,
 'attendance': {'anonymous_visits': 2,
                'session_attendances': 3,
                'session_attendees': 2,
                'sessions_cancelled': 1,
                'sessions_held': 2,
                'training_hours': Decimal('13.25')},
 'collaboration': {'isa_presented': 1,
                   'outreach_activities': 1,
                   'participants': 7,
                   'people_reached': 7,
                   'rows': [{'accepted': 1,
                             'activities': 1,
                             'meetings_held': 0,
                             'name': 'Boendestöd Öst',
                             'people_reached': 7,
                             'referrals': 1}],
                   'via_outreach': 1,
                   'with_housing_support': 2,
                   'year': 2025},
 'cost': {'amount': Decimal('3105750.00'),
          'base_amount': Decimal('3000000.00'),
          'missing_index_years': [2021, 2022, 2024],
          'participants': 7,
          'price_year': 2020,
          'service_label': 'besök',
          'services': 11},
 'ended_places': 4,
 'handed_over': 1,
 'in_work_training': 6,
 'ips': None,
 'kind': 'day_activity',
 'months': [{'anonymous_visits': 0,
             'attendances': 0,
             'month': 1,
             'visits': 3,
             'waits': {'count': 0, 'longest_days': None, 'median_days': None}},
            {'anonymous_visits': 1,
             'attendances': 0,
             'month': 2,
             'visits': 2,
             'waits': {'count': 1, 'longest_days': 19, 'median_days': 19}},
            {'anonymous_visits': 0,
             'attendances': 2,
             'month': 3,
             'visits': 1,
             'waits': {'count': 0, 'longest_days': None, 'median_days': None}},
            {'anonymous_visits': 0,
             'attendances': 0,
             'month': 4,
             'visits': 0,
             'waits': {'count': 2, 'longest_days': 39, 'median_days': 29.5}},
            {'anonymous_visits': 0,
             'attendances': 0,
             'month': 5,
             'visits': 1,
             'waits': {'count': 1, 'longest_days': 5, 'median_days': 5}},
            {'anonymous_visits': 0,
             'attendances': 0,
             'month': 6,
             'visits': 1,
             'waits': {'count': 0, 'longest_days': None, 'median_days': None}},
            {'anonymous_visits': 1,
             'attendances': 0,
             'month': 7,
             'visits': 0,
             'waits': {'count': 0, 'longest_days': None, 'median_days': None}},
            {'anonymous_visits': 0,
             'attendances': 0,
             'month': 8,
             'visits': 0,
             'waits': {'count': 0, 'longest_days': None, 'median_days': None}},
            {'anonymous_visits': 0,
             'attendances': 1,
             'month': 9,
             'visits': 0,
             'waits': {'count': 0, 'longest_days': None, 'median_days': None}},
            {'anonymous_visits': 0,
             'attendances': 0,
             'month': 10,
             'visits': 0,
             'waits': {'count': 0, 'longest_days': None, 'median_days': None}},
            {'anonymous_visits': 0,
             'attendances': 0,
             'month': 11,
             'visits': 0,
             'waits': {'count': 0, 'longest_days': None, 'median_days': None}},
            {'anonymous_visits': 0,
             'attendances': 0,
             'month': 12,
             'visits': 1,
             'waits': {'count': 0, 'longest_days': None, 'median_days': None}}],
 'new_places': 5,
 'open_days_to_date': 249,
 'opening': {'closure_days': 0,
             'commissioned_open_days': 230,
             'evening_openings': 50,
             'holidays_on_weekdays': 12,
             'open_days': 249,
             'weekend_openings': 0,
             'year': 2025},
 'outcomes': [('anställning', 1),
              ('studier', 1),
              ('överlämnad till arbetsmarknadsförvaltningen (IAF)', 1),
              ('avslutad i förtid', 1)],
 'participants': 7,
 'plans_overdue': 1,
 'programmes': [{'anonymous_visits': 2,
                 'name': 'Basverksamhet (social samvaro)',
                 'new_places': 1,
                 'participants': 1,
                 'sessions': 2,
                 'visits': 3},
                {'anonymous_visits': 0,
                 'name': 'Förstegsträning på Lotsen',
                 'new_places': 2,
                 'participants': 4,
                 'sessions': 0,
                 'visits': 5},
                {'anonymous_visits': 0,
                 'name': 'Team ISA',
                 'new_places': 2,
                 'participants': 2,
                 'sessions': 0,
                 'visits': 1},
                {'anonymous_visits': 0,
                 'name': 'Yngre Lotsen',
                 'new_places': 0,
                 'participants': 0,
                 'sessions': 0,
                 'visits': 0}],
 'referrals': {'accepted': 4,
               'by_initiator': [('personen själv', 5), ('psykiatrisk klinik', 1)],
               'received': 6,
               'waited_in_year': {'count': 4, 'longest_days': 39, 'median_days': 19.5},
               'waiting_now': {'count': 1, 'longest_days': 540, 'median_days': 540}},
 'training_hours_per_week': Decimal('0.25'),
 'treatment': None,
 'visitors': 3,
 'visits': 9,
 'waiting_at_end': {'count': 2, 'longest_days': 213, 'median_days': 136.5},
 'weeks': [('01', Decimal('1.50')),
           ('02', Decimal('0')),
           ('03', Decimal('0')),
           ('04', Decimal('5.50')),
           ('05', Decimal('0')),
           ('06', Decimal('0')),
           ('07', Decimal('0')),
           ('08', Decimal('0')),
           ('09', Decimal('0')),
           ('10', Decimal('0')),
           ('11', Decimal('0')),
           ('12', Decimal('0')),
           ('13', Decimal('0')),
           ('14', Decimal('0')),
           ('15', Decimal('0')),
           ('16', Decimal('0')),
           ('17', Decimal('0')),
           ('18', Decimal('0')),
           ('19', Decimal('0')),
           ('20', Decimal('0')),
           ('21', Decimal('0')),
           ('22', Decimal('0')),
           ('23', Decimal('4.25')),
           ('24', Decimal('0')),
           ('25', Decimal('0')),
           ('26', Decimal('0')),
           ('27', Decimal('0')),
           ('28', Decimal('0')),
           ('29', Decimal('0')),
           ('30', Decimal('0')),
           ('31', Decimal('0')),
           ('32', Decimal('0')),
           ('33', Decimal('0')),
           ('34', Decimal('0')),
           ('35', Decimal('0')),
           ('36', Decimal('0')),
           ('37', Decimal('0')),
           ('38', Decimal('0')),
           ('39', Decimal('0')),
           ('40', Decimal('0')),
           ('41', Decimal('0')),
           ('42', Decimal('0')),
           ('43', Decimal('0')),
           ('44', Decimal('0')),
           ('45', Decimal('0')),
           ('46', Decimal('0')),
           ('47', Decimal('0')),
           ('48', Decimal('0')),
           ('49', Decimal('0')),
           ('50', Decimal('0')),
           ('51', Decimal('0')),
           ('52', Decimal('0')),
           ('01', Decimal('2.00'))],
 'with_housing_support': 2,
 'year': 2025}"""
FIGURES_2026 = """\
{'as_of': datetime.date(2026, 11, 23),
 'assessments': 0,
 'attendance': {'anonymous_visits': 0,
                'session_attendances': 0,
                'session_attendees': 0,
                'sessions_cancelled': 0,
                'sessions_held': 0,
                'training_hours': Decimal('3.00')},
 'collaboration': {'isa_presented': 0,
                   'outreach_activities': 0,
                   'participants': 4,
                   'people_reached': 0,
                   'rows': [{'accepted': 0,
                             'activities': 0,
                             'meetings_held': 0,
                             'name': 'Boendestöd Öst',
                             'people_reached': 0,
                             'referrals': 0}],
                   'via_outreach': 1,
                   'with_housing_support': 2,
                   'year': 2026},
 'cost': {'amount': Decimal('3105750.00'),
          'base_amount': Decimal('3000000.00'),
          'missing_index_years': [2021, 2022, 2024, 2026],
          'participants': 4,
          'price_year': 2020,
          'service_label': 'besök',
          'services': 2},
 'ended_places': 0,
 'handed_over': 0,
 'in_work_training': 3,
 'ips': None,
 'kind': 'day_activity',
 'months': [{'anonymous_visits': 0,
             'attendances': 0,
             'month': 1,
             'visits': 0,
             'waits': {'count': 0, 'longest_days': None, 'median_days': None}},
            {'anonymous_visits': 0,
             'attendances': 0,
             'month': 2,
             'visits': 1,
             'waits': {'count': 1, 'longest_days': 92, 'median_days': 92}},
            {'anonymous_visits': 0,
             'attendances': 0,
             'month': 3,
             'visits': 1,
             'waits': {'count': 0, 'longest_days': None, 'median_days': None}},
            {'anonymous_visits': 0,
             'attendances': 0,
             'month': 4,
             'visits': 0,
             'waits': {'count': 0, 'longest_days': None, 'median_days': None}},
            {'anonymous_visits': 0,
             'attendances': 0,
             'month': 5,
             'visits': 0,
             'waits': {'count': 0, 'longest_days': None, 'median_days': None}},
            {'anonymous_visits': 0,
             'attendances': 0,
             'month': 6,
             'visits': 0,
             'waits': {'count': 0, 'longest_days': None, 'median_days': None}},
            {'anonymous_visits': 0,
             'attendances': 0,
             'month': 7,
             'visits': 0,
             'waits': {'count': 0, 'longest_days': None, 'median_days': None}},
            {'anonymous_visits': 0,
             'attendances': 0,
             'month': 8,
             'visits': 0,
             'waits': {'count': 0, 'longest_days': None, 'median_days': None}},
            {'anonymous_visits': 0,
             'attendances': 0,
             'month': 9,
             'visits': 0,
             'waits': {'count': 0, 'longest_days': None, 'median_days': None}},
            {'anonymous_visits': 0,
             'attendances': 0,
             'month': 10,
             'visits': 0,
             'waits': {'count': 0, 'longest_days': None, 'median_days': None}},
            {'anonymous_visits': 0,
             'attendances': 0,
             'month': 11,
             'visits': 0,
             'waits': {'count': 0, 'longest_days': None, 'median_days': None}}],
 'new_places': 1,
 'open_days_to_date': 226,
 'opening': {'closure_days': 0,
             'commissioned_open_days': 230,
             'evening_openings': 52,
             'holidays_on_weekdays': 10,
             'open_days': 251,
             'weekend_openings': 0,
             'year': 2026},
 'outcomes': [],
 'participants': 4,
 'plans_overdue': 3,
 'programmes': [{'anonymous_visits': 0,
                 'name': 'Basverksamhet (social samvaro)',
                 'new_places': 0,
                 'participants': 1,
                 'sessions': 0,
                 'visits': 1},
                {'anonymous_visits': 0,
                 'name': 'Förstegsträning på Lotsen',
                 'new_places': 1,
                 'participants': 2,
                 'sessions': 0,
                 'visits': 1},
                {'anonymous_visits': 0,
                 'name': 'Team ISA',
                 'new_places': 0,
                 'participants': 1,
                 'sessions': 0,
                 'visits': 0},
                {'anonymous_visits': 0,
                 'name': 'Yngre Lotsen',
                 'new_places': 0,
                 'participants': 0,
                 'sessions': 0,
                 'visits': 0}],
 'referrals': {'accepted': 1,
               'by_initiator': [],
               'received': 0,
               'waited_in_year': {'count': 1, 'longest_days': 92, 'median_days': 92},
               'waiting_now': {'count': 1, 'longest_days': 540, 'median_days': 540}},
 'training_hours_per_week': Decimal('0.06'),
 'treatment': None,
 'visitors': 2,
 'visits': 2,
 'waiting_at_end': {'count': 1, 'longest_days': 540, 'median_days': 540},
 'weeks': [('01', Decimal('0')),
           ('02', Decimal('0')),
           ('03', Decimal('0')),
           ('04', Decimal('0')),
           ('05', Decimal('0')),
           ('06', Decimal('0')),
           ('07', Decimal('0')),
           ('08', Decimal('0')),
           ('09', Decimal('0')),
           ('10', Decimal('3.00')),
           ('11', Decimal('0')),
           ('12', Decimal('0')),
           ('13', Decimal('0')),
           ('14', Decimal('0')),
           ('15', Decimal('0')),
           ('16', Decimal('0')),
           ('17', Decimal('0')),
           ('18', Decimal('0')),
           ('19', Decimal('0')),
           ('20', Decimal('0')),
           ('21', Decimal('0')),
           ('22', Decimal('0')),
           ('23', Decimal('0')),
           ('24', Decimal('0')),
           ('25', Decimal('0')),
           ('26', Decimal('0')),
           ('27', Decimal('0')),
           ('28', Decimal('0')),
           ('29', Decimal('0')),
           ('30', Decimal('0')),
           ('31', Decimal('0')),
           ('32', Decimal('0')),
           ('33', Decimal('0')),
           ('34', Decimal('0')),
           ('35', Decimal('0')),
           ('36', Decimal('0')),
           ('37', Decimal('0')),
           ('38', Decimal('0')),
           ('39', Decimal('0')),
           ('40', Decimal('0')),
           ('41', Decimal('0')),
           ('42', Decimal('0')),
           ('43', Decimal('0')),
           ('44', Decimal('0')),
           ('45', Decimal('0')),
           ('46', Decimal('0')),
           ('47', Decimal('0')),
           ('48', Decimal('0'))],
 'with_housing_support': 2,
 'year': 2026}"""
GOALS_2025 = """\
[('next_step_share',
  [(2023, None, None),
   (2024, None, None),
   (2025, Decimal('50.0'), Decimal('75.0'))]),
 ('housing_support_change',
  [(2023, None, None),
   (2024, None, None),
   (2025, Decimal('50.0'), Decimal('-1.5'))]),
 ('open_days',
  [(2023, None, Decimal('251')),
   (2024, None, Decimal('251')),
   (2025, Decimal('50.0'), Decimal('249'))]),
 ('median_wait',
  [(2023, None, None),
   (2024, Decimal('30.0'), None),
   (2025, Decimal('50.0'), Decimal('20'))]),
 ('follow_ups_on_time',
  [(2023, None, None),
   (2024, None, Decimal('100.0')),
   (2025, Decimal('50.0'), Decimal('40.0'))]),
 ('training_hours_use',
  [(2023, None, Decimal('0.0')),
   (2024, None, Decimal('0.0')),
   (2025, Decimal('50.0'), Decimal('0.2'))])]"""
GOALS_2026 = """\
[('follow_ups_on_time',
  [(2024, None, Decimal('100.0')),
   (2025, Decimal('50.0'), Decimal('40.0')),
   (2026, Decimal('80.0'), Decimal('33.3'))]),
 ('housing_support_change',
  [(2024, None, None),
   (2025, Decimal('50.0'), Decimal('-1.5')),
   (2026, Decimal('-1.0'), Decimal('-1.0'))])]"""


def test_r20_the_whole_report_is_at_most_40_queries(crafted, django_assert_max_num_queries) -> None:
    """Figures, goals over three years, text and charts: a fixed number of queries, counted
    in the database however many plans, follow-ups and visits there are (issue 17)."""
    from reporting.services import report_context

    with django_assert_max_num_queries(40):
        context = report_context(unit=crafted, year=2025, today=TODAY)
    assert context["f"].plans_overdue == 1 and len(context["goals"]) == 6
