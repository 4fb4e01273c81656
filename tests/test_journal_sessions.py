"""A group session's attendees documented in one go: each gets their own entry, which names
no other participant (L1, R15, R23)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import ActivityKind
from activities.services import activity_create
from journal.models import Entry, EntryKind
from tests.factories import TODAY, make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(lotsen, anna):  # type: ignore[no-untyped-def]
    activity = activity_create(
        unit=lotsen,
        by=anna,
        leaders=[anna],
        weekdays=[TODAY.weekday()],
        kind=ActivityKind.ACTIVITY,
        title="Samtalsgrupp",
        place="Rum 2",
        first_date=TODAY,
        last_date=TODAY + datetime.timedelta(days=7),
        starts_at=datetime.time(9),
        ends_at=datetime.time(10),
    )
    return activity.sessions.get(date=TODAY)


@pytest.fixture
def attendees(session, lotsen, anna):  # type: ignore[no-untyped-def]
    people = [
        make_participant(lotsen, first_name="Sara", last_name="Nordin"),
        make_participant(lotsen, first_name="Olle", last_name="Berg"),
    ]
    for person in people:
        session.attendances.create(participant=person, recorded_by=anna)
    return people


def _post(session, attendees, texts, **extra):  # type: ignore[no-untyped-def]
    group = EntryKind.objects.get(name="Gruppaktivitet")
    data = {
        "occurred_at": timezone.localtime().replace(hour=9, minute=0).strftime("%Y-%m-%dT%H:%M"),
        "kind": group.pk,
        "shared_text": "Gruppen pratade om sömn.",
        **extra,
    }
    for person, text in zip(attendees, texts, strict=True):
        data[f"text-{person.pk}"] = text
        data[f"include-{person.pk}"] = "1"
        data[f"key-{person.pk}"] = f"00000000-0000-4000-8000-{person.pk:012d}"
    return data


def test_r15_the_text_is_proposed_before_the_kind_is_chosen(
    client, session, attendees, anna
) -> None:
    """Proposing saves nothing, so it does not wait for the required fields: the browser does
    not hold it back (formnovalidate) and the page shows no error for the empty kind."""
    client.force_login(anna)
    url = reverse("journal:session", args=[session.pk])
    page = client.get(url).content.decode()
    assert re.search(r'<button[^>]*name="propose"[^>]*formnovalidate', page)
    proposed = client.post(url, {**_post(session, attendees, ["", ""], kind=""), "propose": "1"})
    text = proposed.content.decode()
    assert proposed.status_code == 200 and text.count("Gruppen pratade om sömn.") == 3
    assert "is-invalid" not in text and "Detta fält måste fyllas i" not in text
    assert not Entry.objects.exists()


def test_r15_one_shared_text_proposed_then_one_entry_each(client, session, attendees, anna) -> None:
    client.force_login(anna)
    url = reverse("journal:session", args=[session.pk])
    page = client.get(url).content.decode()
    assert "Sara Nordin" in page and "Olle Berg" in page
    proposed = client.post(url, {**_post(session, attendees, ["", ""]), "propose": "1"})
    assert (
        proposed.status_code == 200
        and proposed.content.decode().count("Gruppen pratade om sömn.") == 3
    )
    assert not Entry.objects.exists()
    texts = ["Gruppen pratade om sömn. Sara delade sina tips.", "Gruppen pratade om sömn."]
    for _ in range(2):  # a double submit
        response = client.post(url, _post(session, attendees, texts))
        assert response.status_code == 302
    sara, olle = attendees
    assert Entry.objects.count() == 2
    assert Entry.objects.get(participant=sara).text == texts[0]
    assert Entry.objects.get(participant=olle).text == texts[1]
    assert set(Entry.objects.values_list("session", flat=True)) == {session.pk}


def test_an_entry_may_not_name_another_participant(client, session, attendees, anna) -> None:
    client.force_login(anna)
    url = reverse("journal:session", args=[session.pk])
    texts = ["Sara och Olle Berg bråkade.", "Lugnt."]
    response = client.post(url, _post(session, attendees, texts))
    assert response.status_code == 400 and "nämner en annan deltagare" in response.content.decode()
    assert not Entry.objects.exists()


def test_the_session_list_and_page_are_for_the_unit_only(
    client, session, attendees, anna, henrik, lotsen
) -> None:
    protected = make_participant(lotsen, protected_identity=True, first_name="Dold")
    session.attendances.create(participant=protected, recorded_by=anna)
    client.force_login(anna)
    assert "Samtalsgrupp" in client.get(reverse("journal:sessions")).content.decode()
    # L4: a protected attendee is left out for staff outside their team.
    assert "Dold" not in client.get(reverse("journal:session", args=[session.pk])).content.decode()
    client.force_login(henrik)
    assert "Samtalsgrupp" not in client.get(reverse("journal:sessions")).content.decode()
    assert client.get(reverse("journal:session", args=[session.pk])).status_code == 404
