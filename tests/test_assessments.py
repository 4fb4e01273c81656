"""R10: occupational therapists record work-capacity assessments; others read them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from participants.models import Assessment, AssessmentInstrument
from reporting.services import annual_figures
from tests.factories import make_participant

pytestmark = pytest.mark.django_db


def test_r10_instruments_are_seeded_and_extendable(domain) -> None:
    assert {"AWP", "DOA", "WRI", "WEIS"} <= set(
        AssessmentInstrument.objects.values_list("name", flat=True)
    )


def test_r10_occupational_therapist_records_an_assessment(client, lotsen, omar, anna) -> None:
    person = make_participant(lotsen)
    awp = AssessmentInstrument.objects.get(name="AWP")
    client.force_login(omar)
    url = reverse("participants:assessment", args=[person.pk])
    response = client.post(
        url,
        {
            "instrument": awp.pk,
            "date": "2026-11-02",
            "conclusions": "Klarar 4 h/dag",
            "unit": lotsen.pk,
        },
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.assessor, assessment.unit, assessment.participant) == (omar, lotsen, person)
    # Others read it on the participant page but cannot create one.
    client.force_login(anna)
    page = client.get(reverse("participants:detail", args=[person.pk])).content.decode()
    assert "Klarar 4 h/dag" in page and url not in page
    assert client.get(url).status_code == 403
    assert (
        client.post(
            url, {"instrument": awp.pk, "date": "2026-11-02", "conclusions": "x", "unit": lotsen.pk}
        ).status_code
        == 403
    )
    assert Assessment.objects.count() == 1


def test_r10_missing_conclusions_and_future_dates_are_explained(client, lotsen, omar) -> None:
    person = make_participant(lotsen)
    client.force_login(omar)
    url = reverse("participants:assessment", args=[person.pk])
    awp = AssessmentInstrument.objects.get(name="AWP")
    response = client.post(
        url, {"instrument": awp.pk, "date": "2099-01-01", "conclusions": "", "unit": lotsen.pk}
    )
    content = response.content.decode()
    assert "framtiden" in content and "Detta fält måste fyllas i" in content
    assert not Assessment.objects.exists()


def test_r10_assessments_are_counted_in_the_annual_report(lotsen, omar) -> None:
    person = make_participant(lotsen)
    awp = AssessmentInstrument.objects.get(name="AWP")
    for day in (datetime.date(2026, 3, 1), datetime.date(2026, 9, 1), datetime.date(2025, 12, 31)):
        Assessment.objects.create(
            participant=person,
            unit=lotsen,
            instrument=awp,
            date=day,
            assessor=omar,
            conclusions="c",
        )
    assert (
        annual_figures(unit=lotsen, year=2026, today=datetime.date(2026, 11, 23)).assessments == 2
    )


def test_r10_a_double_submitted_assessment_is_saved_once(client, lotsen, omar) -> None:
    person = make_participant(lotsen)
    awp = AssessmentInstrument.objects.get(name="AWP")
    client.force_login(omar)
    data = {"instrument": awp.pk, "date": "2026-11-02", "conclusions": "Klarar 4 h/dag"}
    for _ in range(2):
        response = client.post(
            reverse("participants:assessment", args=[person.pk]), data, follow=True
        )
    assert "redan sparat" in response.content.decode()
    assert Assessment.objects.count() == 1
