"""L3: the retention policy covers every model; the yearly proposal finds the records whose
last entry is more than five years old and keeps those born on the 5th, 15th and 25th; the
manager approves, the record is erased through the one path the triggers allow, who
approved is kept, and the anonymous figures of earlier years stay the same."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from journal.models import Entry, EntryKind
from participants.models import Participant, Visit
from plans.models import FollowUp, PlanVersion
from reporting.models import RetentionItem
from reporting.retention import retention_propose
from reporting.services import annual_figures
from reporting.tasks import propose_retention
from tests.factories import TODAY, make_entry, make_participant, make_place, make_plan

OUR_APPS = {
    "lotsen",
    "participants",
    "activities",
    "plans",
    "referrals",
    "journal",
    "treatment",
    "employment",
    "reporting",
    "home",
}
POLICY = Path(settings.BASE_DIR) / "docs" / "retention.yaml"
LONG_AGO = datetime.date(2019, 3, 1)


def test_l3_every_model_is_in_the_retention_policy() -> None:
    policy = yaml.safe_load(POLICY.read_text())
    models = {m._meta.label for m in apps.get_models() if m._meta.app_label in OUR_APPS}
    assert models - set(policy) == set(), "add these models to docs/retention.yaml"
    assert set(policy) - models == set(), "docs/retention.yaml names models that do not exist"
    assert set(policy.values()) <= {"erase", "anonymise", "keep", "log"}


@pytest.fixture
def old_person(lotsen, training, anna):  # type: ignore[no-untyped-def]
    EntryKind.objects.get_or_create(name="Samtal")
    person = make_participant(lotsen, birth_date=datetime.date(1980, 4, 3), first_name="Olle")
    Participant.objects.filter(pk=person.pk).update(
        created_at=datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC)
    )
    place = make_place(person, training, start=LONG_AGO, end=datetime.date(2019, 6, 30))
    plan = make_plan(place, established_on=LONG_AGO, by=anna)
    plan.record_follow_up(on=datetime.date(2019, 4, 1), by=anna, progress="Bra")
    PlanVersion.objects.create(
        plan=plan,
        revision=1,
        established_on=LONG_AGO,
        goals="Gammalt mål",
        summary="x",
        replaced_by=anna,
    )
    Visit.objects.create(participant=person, programme=training, date=datetime.date(2019, 5, 2))
    make_entry(
        person,
        by=anna,
        text="Gammal anteckning",
        occurred_at=datetime.datetime(2019, 5, 2, 10, tzinfo=datetime.UTC),
    )
    return person


@pytest.mark.django_db
def test_l3_the_proposal_finds_old_records_and_keeps_research_birth_days(
    lotsen, training, old_person
) -> None:
    research = make_participant(lotsen, birth_date=datetime.date(1980, 4, 15))
    Participant.objects.filter(pk=research.pk).update(
        created_at=datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC)
    )
    recent = make_participant(lotsen, birth_date=datetime.date(1980, 4, 3))
    Participant.objects.filter(pk=recent.pk).update(
        created_at=datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC)
    )
    Visit.objects.create(participant=recent, programme=training, date=datetime.date(2023, 1, 2))
    run = retention_propose(unit=lotsen, today=TODAY)
    assert [i.participant_id for i in run.items.all()] == [old_person.pk]
    assert run.items.get().last_entry == datetime.date(2019, 6, 30)  # the place's end
    # Running again (the beat task twice) proposes nothing twice.
    retention_propose(unit=lotsen, today=TODAY)
    assert RetentionItem.objects.count() == 1


@pytest.mark.django_db
def test_l3_the_exemption_days_are_a_setting(lotsen, old_person, settings) -> None:  # type: ignore[no-untyped-def]
    settings.RETENTION_EXEMPT_BIRTH_DAYS = [3]
    assert not retention_propose(unit=lotsen, today=TODAY).items.exists()


@pytest.mark.django_db
def test_l3_the_manager_approves_and_the_record_is_erased_with_the_figures_kept(
    client, lotsen, training, old_person, eva, anna
) -> None:
    before = annual_figures(unit=lotsen, year=2019, today=TODAY)
    propose_retention()
    item = RetentionItem.objects.get()
    client.force_login(anna)
    assert client.get(reverse("reporting:retention")).status_code == 403
    client.force_login(eva)
    page = client.get(reverse("reporting:retention")).content.decode()
    assert old_person.full_name in page
    url = reverse("reporting:retention_approve", args=[item.run_id])
    client.post(url, {"items": [item.pk]})
    item.refresh_from_db()
    assert (item.approved_by, item.erased_at is not None) == (eva, True)
    person = Participant.objects.get(pk=old_person.pk)
    assert person.identity_number is None and "Olle" not in person.full_name
    assert not Entry.objects.filter(participant=person).exists()
    assert not PlanVersion.objects.exists()
    assert FollowUp.objects.get().progress == ""
    after = annual_figures(unit=lotsen, year=2019, today=TODAY)
    assert after == before
    assert "Olle" not in client.get(reverse("reporting:retention")).content.decode()
    # The anonymous rows stay for the figures, but the record is no one's to see.
    assert person.erased_on == TODAY
    assert not Participant.objects.visible_to(eva).filter(pk=person.pk).exists()
    assert client.get(reverse("participants:detail", args=[person.pk])).status_code == 404
