"""R22: the waiting list per programme, in order, with days waited; median and longest
waiting time now and by month. Time is frozen at 2026-11-23 (tests/conftest.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from lotsen.models import Programme
from referrals.models import ReferralStep, Status
from referrals.services import referral_accept, waiting_figures, waiting_now, waits_ended
from tests.factories import TODAY, make_participant, make_place, make_referral

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def queue(lotsen, training):  # type: ignore[no-untyped-def]
    """Three people waiting for förstegsträning: 10, 40 and 23 days."""
    return [
        make_referral(
            lotsen,
            programme=training,
            status=Status.WAITING,
            first_name=name,
            received_on=TODAY - datetime.timedelta(days=days),
            **extra,
        )
        for name, days, extra in (
            ("Tio", 10, {}),
            ("Fyrtio", 40, {}),
            ("Prio", 23, {"prioritised": True}),
        )
    ]


def test_r22_waiting_now_median_and_longest(queue, training) -> None:
    figures = waiting_now(training, today=TODAY)
    assert (figures.count, figures.median_days, figures.longest_days) == (3, 23, 40)


def test_r22_waiting_now_with_an_even_count_takes_the_middle_two(queue, training, lotsen) -> None:
    make_referral(
        lotsen,
        programme=training,
        status=Status.WAITING,
        received_on=TODAY - datetime.timedelta(days=1),
    )
    assert waiting_now(training, today=TODAY).median_days == 16.5  # (10 + 23) / 2


def test_r22_others_are_not_waiting(queue, training, lotsen, isa) -> None:
    make_referral(lotsen, programme=training, status=Status.INTAKE, received_on=D(2026, 1, 1))
    make_referral(lotsen, programme=isa, status=Status.WAITING, received_on=D(2026, 1, 1))
    assert waiting_now(training, today=TODAY).count == 3


def test_r4_r22_the_list_is_in_order_prioritised_first_then_longest_waited(
    client, anna, queue
) -> None:
    client.force_login(anna)
    page = client.get(reverse("referrals:waiting")).content.decode()
    assert page.index("Prio") < page.index("Fyrtio") < page.index("Tio")
    assert "<td>40</td>" in page and "<td>23</td>" in page and "<td>10</td>" in page
    assert "Median 23 dagar, längst 40 dagar" in page


def test_r22_waits_by_month_count_days_from_received_to_accepted(anna, lotsen, training) -> None:
    for received, accepted in (
        (D(2026, 9, 1), D(2026, 10, 1)),  # 30 days
        (D(2026, 9, 20), D(2026, 10, 30)),  # 40 days
        (D(2026, 9, 1), D(2026, 10, 11)),  # 40 days
        (D(2026, 10, 20), D(2026, 11, 2)),  # 13 days
    ):
        referral = make_referral(
            lotsen, programme=training, status=Status.ACCEPTED, received_on=received
        )
        ReferralStep.objects.create(
            referral=referral, from_status="waiting", to_status="accepted", on=accepted
        )
    rows = waits_ended(Programme.objects.filter(pk=training.pk), start=D(2026, 1, 1), end=TODAY)
    assert [(y, m, f.count, f.median_days, f.longest_days) for _p, y, m, f in rows] == [
        (2026, 10, 3, 40, 40),
        (2026, 11, 1, 13, 13),
    ]


def test_r22_accepting_from_the_list_ends_the_wait(anna, lotsen, training, queue) -> None:
    first = queue[2]
    first.participant = make_participant(lotsen)
    first.save()
    referral_accept(
        referral=first,
        programme=training,
        start_date=TODAY,
        on=TODAY,
        hours_per_week=Decimal(8),
        contact_person=anna,
        by=anna,
        revision=None,
        today=TODAY,
    )
    assert waiting_now(training, today=TODAY).count == 2
    rows = waits_ended(Programme.objects.filter(pk=training.pk), start=D(2026, 11, 1), end=TODAY)
    assert rows[0][3].longest_days == 23


def test_r22_when_a_place_frees_up_the_next_in_line_are_shown(
    client, anna, lotsen, training, queue
) -> None:
    make_place(
        make_participant(lotsen),
        training,
        hours=35,
        contact_person=anna,
        start=D(2026, 1, 1),
        end=D(2026, 12, 4),
    )
    client.force_login(anna)
    capacity = client.get(reverse("participants:capacity", args=[training.pk])).content.decode()
    assert "Näst på tur" in capacity
    assert capacity.index("Prio") < capacity.index("Fyrtio") < capacity.index("Tio")
    page = client.get(reverse("referrals:waiting_programme", args=[training.pk])).content.decode()
    assert "2026-12-04" in page
    assert page.index("Prio") < page.index("Fyrtio")


def test_r22_an_empty_list_says_nobody_waits(client, eva, isa, queue) -> None:
    client.force_login(eva)
    page = client.get(reverse("referrals:waiting_programme", args=[isa.pk])).content.decode()
    assert "Ingen väntar." in page.split("</h1>")[1].split("</p>")[0]
    assert "None" not in page


def test_r22_the_annual_report_shows_a_longest_wait_of_zero_days() -> None:
    figures = SimpleNamespace(
        referrals=SimpleNamespace(
            received=1, accepted=1, waited_in_year=waiting_figures([0]), by_initiator=[]
        ),
        as_of=TODAY,
        waiting_at_end=waiting_figures([]),
    )
    html = render_to_string("reporting/pdf/_referrals.html", {"f": figures})
    assert '<td class="num">0</td>' in html.split("Längsta väntetid")[1].split("</tr>")[0]
