"""R23 measurements: none dated before the person's place started, and a wrong one is
corrected with a reason, the old date and values staying readable (L1)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from participants.services import enrolment_create
from tests.factories import TODAY, make_course, make_participant
from treatment.models import Measure, Measurement, MeasurementCorrection, Stage
from treatment.results import measurement_correct, measurement_record, results
from treatment.services import course_join

pytestmark = pytest.mark.django_db


@pytest.fixture
def membership(twelve_step, beroende, maria):  # type: ignore[no-untyped-def]
    course = make_course(twelve_step, by=maria, start=TODAY - datetime.timedelta(days=7))
    joined, _ = course_join(
        course=course, participant=make_participant(beroende), on=course.start_date, by=maria
    )
    return joined


def _intake(membership, maria, on, **values):  # type: ignore[no-untyped-def]
    measures = {m.slug: m for m in Measure.objects.all()}
    return measurement_record(
        membership=membership,
        stage=Stage.objects.get(anchor="intake"),
        measured_on=on,
        values={measures[slug]: value for slug, value in values.items()},
        today=TODAY,
        by=maria,
    )


def test_r23_an_intake_measurement_before_the_place_started_is_refused(
    client, membership, maria
) -> None:
    client.force_login(maria)
    url = reverse("treatment:measure", args=[membership.pk])
    intake = Stage.objects.get(anchor="intake")
    page = client.post(
        url, {"stage": intake.pk, "measured_on": "2025-01-01", "audit": "20"}
    ).content.decode()
    start = membership.place.start_date.isoformat()
    assert f"Välj ett datum från och med {start}" in page
    assert "personens start på platsen" in page and 'value="20"' in page
    assert not Measurement.objects.exists()
    assert (
        client.post(url, {"stage": intake.pk, "measured_on": start, "audit": "20"}).status_code
        == 302
    )


def test_r23_intake_may_come_before_the_group_starts_within_the_place(
    twelve_step, beroende, maria
) -> None:
    person = make_participant(beroende)
    place = enrolment_create(
        participant=person,
        programme=twelve_step,
        start_date=TODAY - datetime.timedelta(days=30),
        by=maria,
    )
    course = make_course(twelve_step, by=maria, start=TODAY - datetime.timedelta(days=7))
    joined, _ = course_join(course=course, participant=person, on=course.start_date, by=maria)
    assert joined.place == place
    taken = _intake(joined, maria, TODAY - datetime.timedelta(days=20), audit="20")
    assert taken.measured_on < course.start_date
    with pytest.raises(ValidationError, match="personens start på platsen"):
        _intake(joined, maria, place.start_date - datetime.timedelta(days=1), audit="20")


def test_l1_a_wrong_measurement_is_corrected_with_a_reason_and_the_old_values_stay(
    client, membership, maria
) -> None:
    taken = _intake(membership, maria, TODAY - datetime.timedelta(days=7), audit="35")
    client.force_login(maria)
    intake = Stage.objects.get(anchor="intake")
    again = client.post(
        reverse("treatment:measure", args=[membership.pk]),
        {"stage": intake.pk, "measured_on": TODAY.isoformat(), "audit": "25"},
    ).content.decode()
    assert "Inskrivning är redan registrerad" in again and "Rätta mätningen" in again
    url = reverse("treatment:measurement_correct", args=[membership.pk, taken.pk])
    assert 'value="35"' in client.get(url).content.decode()
    # Without a reason nothing changes and what was typed stays.
    page = client.post(url, {"measured_on": TODAY.isoformat(), "audit": "25"}).content.decode()
    assert "Skriv varför mätningen rättas" in page and 'value="25"' in page
    assert not MeasurementCorrection.objects.exists()
    response = client.post(
        url,
        {
            "measured_on": TODAY.isoformat(),
            "audit": "25",
            "reason": "Felskrivning, 25 enligt blanketten.",
        },
    )
    assert response.status_code == 302
    taken.refresh_from_db()
    assert taken.measured_on == TODAY and taken.values.get().number == 25
    fix = MeasurementCorrection.objects.get()
    assert fix.old_values == {"audit": "35"} and fix.new_values == {"audit": "25"}
    assert fix.old_measured_on == TODAY - datetime.timedelta(days=7) and fix.created_by == maria
    page = client.get(reverse("treatment:measure", args=[membership.pk])).content.decode()
    assert "<del>35</del> → 25" in page and "Felskrivning, 25 enligt blanketten." in page
    assert f"<del>{fix.old_measured_on.isoformat()}</del>" in page


def test_l1_a_correction_meets_the_same_checks_and_must_change_something(membership, maria) -> None:
    taken = _intake(membership, maria, TODAY, audit="20")
    audit = Measure.objects.get(slug="audit")
    for on, value, message in [
        (datetime.date(2025, 1, 1), "20", "personens start på platsen"),
        (TODAY + datetime.timedelta(days=1), "20", "Datumet har inte varit ännu"),
        (TODAY, "41", "ska vara mellan 0 och 40"),
        (TODAY, "20", "Inget är ändrat"),
    ]:
        with pytest.raises(ValidationError, match=message):
            measurement_correct(
                measurement=taken,
                measured_on=on,
                values={audit: value},
                reason="Fel",
                today=TODAY,
                by=maria,
            )
    assert not MeasurementCorrection.objects.exists()


def test_r23_results_count_the_corrected_value(twelve_step, beroende, maria) -> None:
    course = make_course(twelve_step, by=maria, start=TODAY - datetime.timedelta(weeks=6))
    audit = Measure.objects.get(slug="audit")
    end = Stage.objects.get(name="Kursens slut")
    wrong = []
    for _ in range(5):
        joined, _ = course_join(
            course=course, participant=make_participant(beroende), on=course.start_date, by=maria
        )
        _intake(joined, maria, course.start_date, audit="20")
        wrong.append(
            measurement_record(
                membership=joined,
                stage=end,
                measured_on=TODAY,
                values={audit: "2"},
                today=TODAY,
                by=maria,
            )
        )
    for taken in wrong:
        measurement_correct(
            measurement=taken,
            measured_on=TODAY,
            values={audit: "12"},
            reason="Fel rad i blanketten",
            today=TODAY,
            by=maria,
        )
    cell = next(
        c for c in results(unit=beroende, dimension="programme") if c.measure.startswith("AUDIT")
    )
    assert cell.change == -8


def test_only_the_units_staff_reach_the_correction_page(client, membership, maria, henrik) -> None:
    taken = _intake(membership, maria, TODAY, audit="20")
    url = reverse("treatment:measurement_correct", args=[membership.pk, taken.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(henrik)
    assert client.get(url).status_code == 404
    assert client.post(url, {"measured_on": TODAY.isoformat(), "reason": "x"}).status_code == 404
    client.force_login(maria)
    assert client.get(url).status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="triggers exist on PostgreSQL")
def test_l1_the_database_refuses_to_change_a_measurement_correction(membership, maria) -> None:
    taken = _intake(membership, maria, TODAY, audit="20")
    measurement_correct(
        measurement=taken,
        measured_on=TODAY,
        values={Measure.objects.get(slug="audit"): "21"},
        reason="Fel",
        today=TODAY,
        by=maria,
    )
    for sql in [
        "UPDATE treatment_measurementcorrection SET reason = 'Ändrad'",
        "DELETE FROM treatment_measurementcorrection",
    ]:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)


def test_l3_retention_erases_a_measurements_corrections_with_the_person(membership, maria) -> None:
    """A correction's reason and old values are about the person: erased with the record,
    through the database's protection as the rest of the protected history is."""
    from reporting.extract import record_parts
    from reporting.retention import record_erase

    taken = _intake(membership, maria, membership.place.start_date, audit="20")
    measures = {m.slug: m for m in Measure.objects.all()}
    measurement_correct(
        measurement=taken,
        measured_on=taken.measured_on,
        values={measures["audit"]: "21"},
        reason="Fel siffra, Nils Nilsson sa 21",
        today=TODAY,
        by=maria,
    )
    person = membership.participant
    assert MeasurementCorrection in {model for model, _where in record_parts(person)}
    record_erase(participant=person, by=maria)
    assert not MeasurementCorrection.objects.exists()
    assert Measurement.objects.filter(pk=taken.pk).exists()  # the results still count it
