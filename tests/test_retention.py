"""L3: the retention policy covers every model; the yearly proposal finds the records whose
last entry is more than five years old and keeps those born on the 5th, 15th and 25th; the
manager approves, the record is erased through the one path the triggers allow, who
approved is kept, and the anonymous figures of earlier years stay the same. Referrals never
linked to a person are proposed and erased the same way; after erasure no audit row holds
the person's data and no outreach activity links to them; the demo has something to show."""

from __future__ import annotations

import datetime
import json
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from journal.models import Entry, EntryKind
from lotsen.demo import load_demo
from lotsen.models import Role, Unit, User
from participants.models import Enrolment, HoursChange, Participant, Visit
from plans.models import FollowUp, PlanVersion
from referrals.models import IsaPresented, OutreachActivity, OutreachKind, Referral, Status
from referrals.services import outreach_record, referral_from_web, referral_move
from referrals.statistics import collaboration_figures
from reporting.models import RetentionItem, RetentionRun
from reporting.retention import retention_approve, retention_propose
from reporting.services import annual_figures
from reporting.tasks import propose_retention
from tests.factories import (
    TODAY,
    make_entry,
    make_housing_unit,
    make_participant,
    make_place,
    make_plan,
    make_referral,
    make_staff,
)

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
    # Erasing cannot be undone: the first post shows the choice again, by name, to confirm.
    confirm = client.post(url, {"items": [item.pk]})
    assert confirm.status_code == 200 and old_person.full_name in confirm.content.decode()
    assert "Ja, gallra" in confirm.content.decode()
    item.refresh_from_db()
    assert item.erased_at is None and Participant.objects.get(pk=old_person.pk).identity_number
    client.post(url, {"items": [item.pk], "confirm": "1"})
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


def _audit_text() -> str:
    """Everything the audit log holds, as one text to search for a person's data."""
    fields = ("object_repr", "changes", "changes_text", "serialized_data", "additional_data")
    return json.dumps(list(LogEntry.objects.values_list(*fields)), ensure_ascii=False)


def _web_referral(lotsen, training, anna, *, name: str, received: datetime.date) -> Referral:  # type: ignore[no-untyped-def]
    """A referral from the public form, declined after a call, typed in on the day."""
    referral, _new = referral_from_web(
        unit=lotsen,
        name=name,
        contact="070-1112233",
        programme=training,
        interest="Vill prova på att arbeta i caféet.",
        submission_key=f"key-{name}",
        today=received,
    )
    with set_actor(anna):
        referral_move(
            referral=referral,
            to=Status.DECLINED,
            on=received + datetime.timedelta(days=20),
            note="Vill hellre ha kontakt med psykiatrin.",
            by=anna,
            revision=None,
            today=TODAY,
        )
    Referral.objects.filter(pk=referral.pk).update(
        created_at=datetime.datetime.combine(received, datetime.time(9), tzinfo=datetime.UTC)
    )
    return referral


@pytest.mark.django_db
def test_l3_a_referral_never_linked_to_a_person_is_proposed_after_five_years(
    lotsen, training, anna, old_person
) -> None:
    old = _web_referral(lotsen, training, anna, name="Kim Webbsson", received=LONG_AGO)
    _web_referral(lotsen, training, anna, name="Ny Webbsson", received=datetime.date(2023, 2, 1))
    # A late step is an entry: five years count from it, not from the day received.
    stepped = make_referral(lotsen, received_on=LONG_AGO, status=Status.CONTACTED)
    stepped.steps.create(
        from_status="received", to_status="contacted", on=datetime.date(2022, 5, 2)
    )
    # Still open but untouched since: five years from the last entry, whatever the status.
    untouched = make_referral(lotsen, received_on=datetime.date(2019, 2, 1))
    # Born on the 15th: kept for research.
    make_referral(lotsen, received_on=LONG_AGO, identity_number="195107152166")
    # About someone still registered here: part of that person's record, not a record alone.
    current = make_participant(lotsen)
    make_referral(lotsen, received_on=LONG_AGO, identity_number=current.identity_number)
    # Linked to the old person: it goes with the person's record, not on its own.
    make_referral(lotsen, received_on=LONG_AGO, participant=old_person)
    Referral.objects.update(created_at=datetime.datetime(2019, 3, 1, 9, tzinfo=datetime.UTC))
    Referral.objects.filter(received_on__year=2023).update(
        created_at=datetime.datetime(2023, 2, 1, 9, tzinfo=datetime.UTC)
    )
    run = retention_propose(unit=lotsen, today=TODAY)
    referral_items = run.items.filter(referral_id__isnull=False)
    assert {(i.referral_id, i.last_entry) for i in referral_items} == {
        (old.pk, datetime.date(2019, 3, 21)),  # the day it was declined
        (untouched.pk, datetime.date(2019, 3, 1)),  # typed in after it was received
    }
    assert list(
        run.items.filter(participant_id__isnull=False).values_list("participant_id", flat=True)
    ) == [old_person.pk]
    retention_propose(unit=lotsen, today=TODAY)
    assert run.items.count() == 3


@pytest.mark.django_db
def test_l3_approving_an_unlinked_referral_erases_it_and_keeps_the_figures(
    client, lotsen, training, anna, eva
) -> None:
    referral = _web_referral(lotsen, training, anna, name="Kim Webbsson", received=LONG_AGO)
    assert "Webbsson" in _audit_text()
    before = annual_figures(unit=lotsen, year=2019, today=TODAY)
    assert before.referrals is not None and before.referrals.received == 1
    propose_retention()
    item = RetentionItem.objects.get()
    client.force_login(eva)
    page = client.get(reverse("reporting:retention")).content.decode()
    assert "Anmälan om Kim Webbsson, mottagen 2019-03-01 (avböjd)" in page
    client.post(
        reverse("reporting:retention_approve", args=[item.run_id]),
        {"items": [item.pk], "confirm": "1"},
    )
    item.refresh_from_db()
    assert (item.approved_by, item.erased_at is not None) == (eva, True)
    referral.refresh_from_db()
    assert referral.erased_on == TODAY
    texts = [referral.first_name, referral.last_name, referral.contact, referral.interest]
    assert [*texts, referral.consent, referral.decline_reason] == [""] * 6
    assert [s.note for s in referral.steps.all()] == ["", ""]
    # Dates, status and who initiated stay: the figures of 2019 are the same.
    assert (referral.received_on, referral.status) == (LONG_AGO, Status.DECLINED)
    assert annual_figures(unit=lotsen, year=2019, today=TODAY) == before
    audit = _audit_text()
    for text in ("Kim", "Webbsson", "070-1112233", "caféet", "psykiatrin"):
        assert text not in audit
    erasure = LogEntry.objects.get_for_object(referral).get()
    assert erasure.action == LogEntry.Action.DELETE
    assert erasure.additional_data == {"retention_approved_by": eva.pk}
    # No one sees it any more, and the page names it by number only.
    assert not Referral.objects.visible_to(eva).exists()
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    page = client.get(reverse("reporting:retention")).content.decode()
    assert f"Gallrad anmälan (nr {referral.pk})" in page and "Webbsson" not in page


@pytest.mark.django_db
def test_l3_after_erasure_no_audit_row_holds_the_persons_data(
    lotsen, training, anna, eva, old_person
) -> None:
    """The audit rows about visits, places and the rest of the record named the person
    ("Olle … 2019-05-02") and kept changed values; they go with the record."""
    place = Enrolment.objects.get(participant=old_person)
    with set_actor(anna):
        Visit.objects.create(
            participant=old_person, programme=training, date=datetime.date(2019, 5, 6)
        )
        place.outcome_note = "Flyttade till Norrköping"
        place.save()
        HoursChange.objects.create(
            enrolment=place, from_date=datetime.date(2019, 5, 1), hours_per_week=12
        )
        Participant.objects.filter(pk=old_person.pk).first().save()  # type: ignore[union-attr]
    other = make_participant(lotsen, first_name="Stina")
    Visit.objects.create(participant=other, programme=training, date=datetime.date(2019, 5, 2))
    number = old_person.identity_number
    audit = _audit_text()
    assert "Olle" in audit and number in audit and "Norrköping" in audit
    before = annual_figures(unit=lotsen, year=2019, today=TODAY)
    run = retention_propose(unit=lotsen, today=TODAY)
    assert retention_approve(run=run, items=run.items.all(), by=eva) == 1
    audit = _audit_text()
    for text in ("Olle", old_person.last_name, number, "Norrköping", "Gammal anteckning", "Bra"):
        assert text not in audit, text
    # Another person's rows are untouched; the kept rows still count the same.
    assert "Stina" in audit
    assert Visit.objects.filter(participant=old_person).count() == 2
    assert annual_figures(unit=lotsen, year=2019, today=TODAY) == before


@pytest.mark.django_db
def test_l3_erasure_removes_the_persons_outreach_links(lotsen, anna, eva, old_person) -> None:
    """R4's outreach activity stays with its count; the link to the erased person goes, and
    the activity's audit row that recorded it no longer names them."""
    still_here = make_participant(lotsen, first_name="Stina")
    with set_actor(anna):
        activity = outreach_record(
            by=anna,
            participants=[old_person, still_here],
            unit=lotsen,
            date=datetime.date(2019, 4, 10),
            housing_support_unit=make_housing_unit(lotsen),
            kind=OutreachKind.HOME_VISIT,
            people_reached=3,
            isa_presented=IsaPresented.NO,
        )
    assert "Olle" in _audit_text()
    before = collaboration_figures(unit=lotsen, year=2019, today=TODAY)
    run = retention_propose(unit=lotsen, today=TODAY)
    retention_approve(run=run, items=run.items.all(), by=eva)
    assert list(activity.participants.all()) == [still_here]
    assert OutreachActivity.objects.get().people_reached == 3
    assert collaboration_figures(unit=lotsen, year=2019, today=TODAY) == before
    linked = LogEntry.objects.get_for_object(activity).get(changes__has_key="participants")
    assert sorted(linked.changes_dict["participants"]["objects"]) == sorted(
        ["Gallrad", still_here.full_name]
    )
    assert "Olle" not in _audit_text()


@pytest.mark.django_db
def test_l3_the_page_offers_no_approval_when_there_is_nothing_to_approve(
    client, lotsen, eva, old_person
) -> None:
    button = "Godkänn gallring av de valda"
    client.force_login(eva)
    empty = RetentionRun.objects.create(unit=lotsen, year=2025, cutoff=datetime.date(2020, 1, 1))
    page = client.get(reverse("reporting:retention")).content.decode()
    assert button not in page
    assert "Inga uppgifter är så gamla att de ska gallras. Det finns inget att godkänna." in page
    run = retention_propose(unit=lotsen, today=TODAY)
    page = client.get(reverse("reporting:retention")).content.decode()
    assert page.count(button) == 1 and reverse("reporting:retention_approve", args=[run.pk]) in page
    assert reverse("reporting:retention_approve", args=[empty.pk]) not in page
    retention_approve(run=run, items=run.items.all(), by=eva)
    page = client.get(reverse("reporting:retention")).content.decode()
    assert button not in page
    assert "Alla i förslaget är gallrade. Det finns inget mer att godkänna." in page


@pytest.mark.django_db
def test_l3_a_manager_of_another_unit_sees_and_approves_nothing_here(
    client, lotsen, hantverkshuset, old_person
) -> None:
    run = retention_propose(unit=lotsen, today=TODAY)
    lena = make_staff("lena", hantverkshuset, role=Role.MANAGER)
    client.force_login(lena)
    assert old_person.full_name not in client.get(reverse("reporting:retention")).content.decode()
    url = reverse("reporting:retention_approve", args=[run.pk])
    assert client.post(url, {"items": [run.items.get().pk], "confirm": "1"}).status_code == 404
    assert RetentionItem.objects.get().erased_at is None
    client.logout()
    assert client.get(reverse("reporting:retention")).status_code == 302


@pytest.mark.django_db
def test_l3_the_demo_shows_a_person_and_a_referral_due_for_erasure(client, domain) -> None:
    assert load_demo(today=TODAY)
    lotsen = Unit.objects.get(slug="lotsen")
    run = RetentionRun.objects.get(unit=lotsen, year=TODAY.year)
    assert run.items.filter(participant_id__isnull=False).exists()
    assert run.items.filter(referral_id__isnull=False).exists()
    eva = User.objects.get(username="eva")
    client.force_login(eva)
    page = client.get(reverse("reporting:retention")).content.decode()
    assert "aldrig kopplad till en registrerad person" in page
    assert "Godkänn gallring av de valda" in page
    before = annual_figures(unit=lotsen, year=TODAY.year - 6, today=TODAY)
    assert retention_approve(run=run, items=run.items.all(), by=eva) == run.items.count()
    assert annual_figures(unit=lotsen, year=TODAY.year - 6, today=TODAY) == before


@pytest.mark.django_db
def test_l3_an_erased_referral_leaves_the_waiting_list(lotsen, training, eva) -> None:
    """A referral still on the waiting list, untouched for five years, may be erased; it is
    then nobody's to wait, and the queue's count and times no longer hold it (R22)."""
    from referrals.services import waiting_now

    referral = make_referral(
        lotsen, received_on=LONG_AGO, status=Status.WAITING, programme=training
    )
    _typed_in_long_ago(referral)
    assert waiting_now(training, today=TODAY).count == 1
    run = retention_propose(unit=lotsen, today=TODAY)
    assert retention_approve(run=run, items=run.items.all(), by=eva) == 1
    assert waiting_now(training, today=TODAY).count == 0
    assert not Referral.objects.waiting().exists() and not Referral.objects.open().exists()


@pytest.mark.django_db
def test_l3_a_referral_with_the_persons_number_goes_with_their_record(
    lotsen, old_person, eva
) -> None:
    """Never linked, but carrying the person's number: kept out of the proposal as part of
    the record, and erased with it, not a year later."""
    referral = make_referral(
        lotsen, received_on=LONG_AGO, identity_number=old_person.identity_number, first_name="Olle"
    )
    _typed_in_long_ago(referral)
    run = retention_propose(unit=lotsen, today=TODAY)
    assert list(run.items.values_list("participant_id", "referral_id")) == [(old_person.pk, None)]
    retention_approve(run=run, items=run.items.all(), by=eva)
    referral.refresh_from_db()
    assert (referral.first_name, referral.identity_number) == ("", "")
    assert referral.erased_on == TODAY
    assert (
        not LogEntry.objects.filter(content_type__model="referral", object_pk=str(referral.pk))
        .exclude(action=LogEntry.Action.DELETE)
        .exists()
    )


def _typed_in_long_ago(referral: Referral) -> None:
    Referral.objects.filter(pk=referral.pk).update(
        created_at=datetime.datetime(2019, 3, 1, 9, tzinfo=datetime.UTC)
    )
    referral.steps.update(on=LONG_AGO)


@pytest.mark.django_db
def test_l3_an_erased_open_referral_is_closed_so_no_count_by_status_holds_it(
    client, lotsen, training, eva, old_person
) -> None:
    """An open referral erased under retention, alone or with the person's record, is closed
    as erased with a step on the day: no count of open or waiting referrals (today's, or
    one read from the steps for a later day) takes it for one; earlier years' stay (R22)."""
    from reporting.figures import waiting_on

    alone = make_referral(lotsen, received_on=LONG_AGO, status=Status.WAITING, programme=training)
    alone.steps.create(from_status=Status.RECEIVED, to_status=Status.WAITING, on=LONG_AGO)
    _typed_in_long_ago(alone)
    linked = make_referral(
        lotsen, received_on=LONG_AGO, status=Status.CONTACTED, participant=old_person
    )
    end_of_2019 = datetime.date(2019, 12, 31)
    assert waiting_on(lotsen, end_of_2019).count == 1
    assert waiting_on(lotsen, TODAY).count == 1
    before = annual_figures(unit=lotsen, year=2019, today=TODAY)
    run = retention_propose(unit=lotsen, today=TODAY)
    assert retention_approve(run=run, items=run.items.all(), by=eva) == 2
    for referral in (alone, linked):
        referral.refresh_from_db()
        assert (referral.status, referral.erased_on) == (Status.ERASED, TODAY)
        assert not referral.is_open
    last = alone.steps.last()
    assert (last.from_status, last.to_status, last.on, last.by) == (  # type: ignore[union-attr]
        Status.WAITING,
        Status.ERASED,
        TODAY,
        eva,
    )
    assert not Referral.objects.filter(status__in=[Status.WAITING, Status.CONTACTED]).exists()
    assert waiting_on(lotsen, TODAY).count == 0
    assert waiting_on(lotsen, end_of_2019).count == 1
    # 2019's figures stay, but for the queue as it is today, which no longer holds it.
    after = annual_figures(unit=lotsen, year=2019, today=TODAY)
    assert after.referrals is not None and before.referrals is not None
    assert (before.referrals.waiting_now.count, after.referrals.waiting_now.count) == (1, 0)
    now = after.referrals.waiting_now
    assert after == replace(before, referrals=replace(before.referrals, waiting_now=now))
    # No one sees erased referrals, so the list offers no tab for them.
    client.force_login(eva)
    page = client.get(reverse("referrals:list")).content.decode()
    assert "Pågående (0)" in page and "Gallrad" not in page


@pytest.mark.django_db
def test_l3_a_referral_linked_since_the_proposal_is_not_offered_confirmed_or_erased(
    client, lotsen, training, anna, eva
) -> None:
    """Approval checks the proposal again: a referral linked to a person since it was made is
    part of that person's record now, and one with a later entry is not due."""
    from referrals.services import referral_link_participant

    linked = _web_referral(lotsen, training, anna, name="Kim Webbsson", received=LONG_AGO)
    stepped = make_referral(lotsen, received_on=LONG_AGO, first_name="Sam", last_name="Stegsson")
    due = make_referral(lotsen, received_on=LONG_AGO, first_name="Ada", last_name="Gammalsson")
    for referral in (stepped, due):
        _typed_in_long_ago(referral)
    run = retention_propose(unit=lotsen, today=TODAY)
    items = {i.referral_id: i for i in run.items.all()}
    assert set(items) == {linked.pk, stepped.pk, due.pk}
    person = make_participant(lotsen, first_name="Kim", last_name="Webbsson")
    referral_link_participant(referral=linked, participant=person, by=anna, revision=None)
    referral_move(
        referral=stepped, to=Status.CONTACTED, on=TODAY, by=anna, revision=None, today=TODAY
    )
    client.force_login(eva)
    page = client.get(reverse("reporting:retention")).content.decode()
    assert "Ada Gammalsson" in page and f'value="{items[due.pk].pk}"' in page
    for gone in (linked, stepped):
        assert f'value="{items[gone.pk].pk}"' not in page
        assert f"Anmälan nr {gone.pk} hör sedan förslaget" in page
    assert "Webbsson" not in page and "Stegsson" not in page
    url = reverse("reporting:retention_approve", args=[run.pk])
    chosen = [i.pk for i in items.values()]
    confirm = client.post(url, {"items": chosen}).content.decode()
    assert "Ada Gammalsson" in confirm
    assert "Webbsson" not in confirm and "Stegsson" not in confirm
    assert confirm.count('name="items"') == 1
    only_gone = client.post(url, {"items": [items[linked.pk].pk, items[stepped.pk].pk]})
    assert only_gone.status_code == 302
    client.post(url, {"items": chosen, "confirm": "1"})
    assert set(
        RetentionItem.objects.filter(erased_at__isnull=False).values_list("referral_id", flat=True)
    ) == {due.pk}
    for kept in (linked, stepped):
        kept.refresh_from_db()
        assert kept.erased_on is None and kept.last_name
    # Straight through the service too, as a second approval would be.
    assert retention_approve(run=run, items=run.items.all(), by=eva) == 0


@pytest.mark.django_db
def test_l3_a_person_who_came_back_since_the_proposal_is_not_offered_confirmed_or_erased(
    client, lotsen, training, old_person, eva
) -> None:
    """Approval checks the proposal again for people too: someone with a visit since the
    proposal was made has a last entry inside the five years and is kept, by the page, the
    confirmation and the service alike."""
    run = retention_propose(unit=lotsen, today=TODAY)
    item = run.items.get(participant_id=old_person.pk)
    Visit.objects.create(participant=old_person, programme=training, date=TODAY)
    client.force_login(eva)
    page = client.get(reverse("reporting:retention")).content.decode()
    assert f'name="items" value="{item.pk}"' not in page
    assert "har en senare anteckning sedan förslaget och gallras inte" in page
    assert "Godkänn gallring av de valda" not in page
    url = reverse("reporting:retention_approve", args=[run.pk])
    assert client.post(url, {"items": [item.pk]}).status_code == 302
    client.post(url, {"items": [item.pk], "confirm": "1"})
    assert retention_approve(run=run, items=run.items.all(), by=eva) == 0
    old_person.refresh_from_db()
    assert old_person.erased_on is None and old_person.first_name == "Olle"
    assert Visit.objects.filter(participant=old_person).count() == 2


@pytest.mark.django_db
def test_l3_the_retention_page_queries_do_not_grow_with_years_and_units(
    client, lotsen, training, old_person, eva
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("reporting:retention")).status_code == 200
        return len(captured)

    client.force_login(eva)
    retention_propose(unit=lotsen, today=TODAY)
    one_year = queries()
    for years_later in (1, 2, 3):
        retention_propose(unit=lotsen, today=TODAY.replace(year=TODAY.year + years_later))
    assert RetentionRun.objects.count() == 4
    assert queries() == one_year


@pytest.mark.django_db
def test_l3_referrals_erased_before_the_erased_status_are_closed_by_the_migration(
    lotsen, training, old_person
) -> None:
    from importlib import import_module

    migration = import_module("referrals.migrations.0005_referral_status_erased")
    erased_day = datetime.date(2026, 2, 1)
    alone = make_referral(lotsen, received_on=LONG_AGO, status=Status.WAITING, programme=training)
    Referral.objects.filter(pk=alone.pk).update(erased_on=erased_day)
    linked = make_referral(lotsen, received_on=LONG_AGO, participant=old_person)
    Participant.objects.filter(pk=old_person.pk).update(erased_on=erased_day)
    declined = make_referral(lotsen, received_on=LONG_AGO, status=Status.DECLINED)
    Referral.objects.filter(pk=declined.pk).update(erased_on=erased_day)
    migration.close_erased(apps, None)
    for referral in (alone, linked):
        referral.refresh_from_db()
        assert (referral.status, referral.erased_on) == (Status.ERASED, erased_day)
        assert referral.steps.last().to_status == Status.ERASED  # type: ignore[union-attr]
    declined.refresh_from_db()
    assert declined.status == Status.DECLINED and declined.steps.count() == 1


@pytest.mark.django_db
def test_l3_any_part_of_the_record_counts_as_an_entry_and_a_running_place_keeps_a_person(
    lotsen, training, old_person, anna
) -> None:
    """A follow-up since the proposal keeps the person (so would a measurement, an IPS step
    or contact, a course or an individual session), and someone whose place still runs is
    never proposed, however old the last entry."""
    from reporting.retention import people_items_still_due

    run = retention_propose(unit=lotsen, today=TODAY)
    item = run.items.get(participant_id=old_person.pk)
    assert people_items_still_due([item]) == {old_person.pk}
    plan = old_person.enrolments.get().plan
    plan.record_follow_up(on=TODAY, by=anna, progress="Tillbaka")
    assert people_items_still_due([item]) == set()

    still_here = make_participant(lotsen, birth_date=datetime.date(1981, 4, 3))
    Participant.objects.filter(pk=still_here.pk).update(
        created_at=datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC)
    )
    make_place(still_here, training, start=LONG_AGO)
    proposed = retention_propose(unit=lotsen, today=TODAY)  # the year's run, once more
    assert not proposed.items.filter(participant_id=still_here.pk).exists()
