"""GDPR art. 15: the unit's whole record of a person as a PDF and a JSON file; the
inspectorate's copy without identity numbers (L4); fetching it is logged as a read (L2)."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from journal.models import Draft, EntryKind
from participants.models import Enrolment, Participant, RecordEvent, RecordEventKind, Visit
from plans.models import PlanVersion
from referrals.models import OutreachActivity
from reporting.extract import record_extract, record_parts
from tests.factories import (
    TODAY,
    make_entry,
    make_housing_unit,
    make_participant,
    make_place,
    make_plan,
)
from treatment.models import IndividualSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(lotsen, training, anna):  # type: ignore[no-untyped-def]
    EntryKind.objects.get_or_create(name="Samtal")
    person = make_participant(
        lotsen, first_name="Elsa", last_name="Utdrag", address="Storgatan 1", phone="070-1"
    )
    place = make_place(person, training, start=TODAY - datetime.timedelta(days=100))
    plan = make_plan(place, established_on=TODAY - datetime.timedelta(days=90), by=anna)
    plan.record_follow_up(on=TODAY - datetime.timedelta(days=5), by=anna, progress="Går framåt")
    PlanVersion.objects.create(
        plan=plan,
        revision=1,
        established_on=plan.established_on,
        goals="Första målet",
        summary="Första",
        replaced_by=anna,
    )
    entry = make_entry(person, by=anna, text="Fel text")
    entry.correct(text="Rätt text", reason="Skrivfel", by=anna)
    Visit.objects.create(participant=person, programme=training, date=TODAY, hours=Decimal(3))
    return person


def _pdf_text(content: bytes, tmp_path) -> str:  # type: ignore[no-untyped-def]
    pdf = tmp_path / "extract.pdf"
    pdf.write_bytes(content)
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")
def test_gdpr_the_persons_copy_as_pdf_holds_the_whole_record(
    client, person, anna, tmp_path
) -> None:
    client.force_login(anna)
    page = client.get(reverse("participants:detail", args=[person.pk])).content.decode()
    url = reverse("reporting:extract", args=[person.pk])
    assert url in page  # one click from the person's page
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "Utdrag" not in response["Content-Disposition"]  # no name in the file name
    text = _pdf_text(response.content, tmp_path)
    for shown in ["Elsa", "Storgatan 1", person.identity_number, "Första målet", "Går framåt"]:
        assert shown in text
    assert "Fel text" in text and "Rätt text" in text and "Skrivfel" in text
    assert "Sida 1 av" in text
    # Read by people: Swedish labels, links by name (never a number of ours), local times.
    for english in ["Participant", "Programme", "Has plan", "Plan follow up due", "Place"]:
        assert english not in text
    assert person.enrolments.first().programme.name in text
    assert "+00:00" not in text and ":00.0" not in text
    assert RecordEvent.objects.filter(
        kind=RecordEventKind.EXTRACT, user=anna, participant_id=person.pk, page="pdf"
    ).exists()


def test_gdpr_the_machine_readable_copy_is_json_with_every_part(client, person, anna) -> None:
    client.force_login(anna)
    response = client.get(reverse("reporting:extract_json", args=[person.pk]))
    data = json.loads(response.content)
    records = data["records"]
    assert records["participants.Participant"]["rows"][0]["identity_number"] == (
        person.identity_number
    )
    assert records["plans.PlanVersion"]["rows"][0]["goals"] == "Första målet"
    assert records["journal.EntryCorrection"]["rows"][0]["reason"] == "Skrivfel"
    assert records["participants.Visit"]["rows"][0]["hours"] == "3.00"
    assert records["journal.Entry"]["rows"][0]["author"] == "Anna Lindqvist"
    for part in ["treatment.CourseParticipant", "employment.Case", "referrals.Referral"]:
        assert records[part]["rows"] == []


def test_gdpr_every_table_that_links_to_a_person_or_a_place_is_in_the_copy() -> None:
    """A new table about people joins the person's copy (and with it retention's erasing of
    its audit rows), or is named here with why it is left out."""
    left_out = {Draft}  # a text still being written: the writer's, until saved as an entry
    in_copy = {model for model, _where in record_parts(Participant(pk=1))}
    for model in apps.get_models():
        fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
        if any(f.related_model in (Participant, Enrolment) for f in fields):
            assert model in in_copy or model in left_out, model._meta.label


def test_gdpr_every_part_of_the_copy_has_a_swedish_heading() -> None:
    """Each table's heading in the copy is its model's name: set in Swedish, never
    Django's English made from the class name ("measurement values")."""
    for model, _where in record_parts(Participant(pk=1)):
        given = model._meta.original_attrs
        assert {"verbose_name", "verbose_name_plural"} <= set(given), model._meta.label


def test_gdpr_the_copy_has_individual_sessions_and_outreach(client, person, anna) -> None:
    visit = Visit.objects.get(participant=person)
    IndividualSession.objects.create(
        participant=person,
        programme=visit.programme,
        visit=visit,
        date=TODAY,
        starts_at=datetime.time(10),
        minutes=45,
        therapist=anna,
    )
    housing = make_housing_unit(person.unit)
    outreach = OutreachActivity.objects.create(
        unit=person.unit,
        date=TODAY,
        housing_support_unit=housing,
        kind="home_visit",
        people_reached=1,
        isa_presented="no",
        notes="Träffade två boende; Nils berättade om flytten.",
        created_by=anna,
    )
    outreach.participants.add(person)
    OutreachActivity.objects.create(  # somebody else's: not in this copy
        unit=person.unit,
        date=TODAY,
        housing_support_unit=housing,
        kind="home_visit",
        people_reached=2,
        isa_presented="no",
        created_by=anna,
    ).participants.add(make_participant(person.unit, first_name="Annan"))
    client.force_login(anna)
    records = json.loads(client.get(reverse("reporting:extract_json", args=[person.pk])).content)
    records = records["records"]
    assert [r["minutes"] for r in records["treatment.IndividualSession"]["rows"]] == [45]
    assert [r["people_reached"] for r in records["referrals.OutreachActivity"]["rows"]] == [1]
    # What was written about a shared visit may be about the others: not in this copy.
    assert "Nils" not in json.dumps(records, ensure_ascii=False)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")
def test_l4_the_inspectorates_copy_has_no_identity_number_or_contact_details(
    client, person, anna, tmp_path
) -> None:
    client.force_login(anna)
    response = client.get(reverse("reporting:extract_inspection", args=[person.pk]))
    text = _pdf_text(response.content, tmp_path)
    assert "Elsa" in text and "Rätt text" in text
    assert person.identity_number not in text
    assert person.identity_number[:8] not in text.replace(person.birth_date.isoformat(), "")
    assert "Storgatan 1" not in text and "070-1" not in text


def test_l2_another_units_staff_get_404(client, person, henrik):  # type: ignore[no-untyped-def]
    client.force_login(henrik)
    assert client.get(reverse("reporting:extract", args=[person.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("reporting:extract", args=[person.pk])).status_code == 302


def test_every_column_of_the_copy_has_a_swedish_name(person, anna) -> None:
    """No column is headed by its field's code name (Django's default verbose name), and
    the pages' bookkeeping (double-submit keys, the order of rows) is not shown at all."""
    same_in_swedish = {"plan", "text", "status", "relation"}
    extract = record_extract(participant=person, by=anna, redacted=False)
    for section in extract.sections:
        for name, label in section.labels.items():
            assert label in same_in_swedish or label != name.replace("_", " "), (section.key, name)
        assert not {"submission_key", "key", "position"} & set(section.labels), section.key
