"""The registry: search by name or part of a personnummer (kept out of the URL), filters,
sorting and pagination."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from participants.models import Outcome
from tests.factories import make_participant, make_place, make_staff

pytestmark = pytest.mark.django_db


def _names(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.last_name for p in response.context["page"]]


def test_search_by_name_or_number_stays_out_of_the_url(client, anna, lotsen) -> None:
    alva = make_participant(lotsen, first_name="Alva", last_name="Ekström")
    bo = make_participant(lotsen, first_name="Bo", last_name="Ström")
    # The factory cycles through the test numbers; two may share a birth date, which would
    # make the part-number search below find both (whichever tests ran before this one).
    while alva.identity_number[2:8] in bo.identity_number:
        bo.delete()
        bo = make_participant(lotsen, first_name="Bo", last_name="Ström")
    client.force_login(anna)
    url = reverse("participants:list")
    response = client.post(url, {"q": "alva ek"})
    assert response.status_code == 302 and "alva" not in response["Location"].lower()
    assert _names(client.get(url)) == ["Ekström"]
    client.post(url, {"q": alva.identity_number[2:8]})
    assert _names(client.get(url)) == ["Ekström"]
    client.post(url, {"q": f"{alva.identity_number[:8]}-{alva.identity_number[8:]}"})
    assert _names(client.get(url)) == ["Ekström"]
    client.post(url, {"q": "ström"})
    assert sorted(_names(client.get(url))) == ["Ekström", "Ström"]
    client.post(url, {"clear": "1"})
    assert len(_names(client.get(url))) == 2


def test_search_never_finds_another_units_people(client, anna, lotsen, hantverkshuset) -> None:
    make_participant(hantverkshuset, first_name="Dold", last_name="Annanenhet")
    client.force_login(anna)
    client.post(reverse("participants:list"), {"q": "Annanenhet"})
    assert _names(client.get(reverse("participants:list"))) == []


def test_filters_programme_status_contact_person_and_housing_support(
    client, anna, omar, lotsen, training, drop_in
) -> None:
    a = make_participant(lotsen, last_name="Aktiv", has_housing_support=True)
    make_place(a, training, contact_person=anna)
    b = make_participant(lotsen, last_name="Besök")
    make_place(b, drop_in, hours=None)
    c = make_participant(lotsen, last_name="Cslutad")
    ended = make_place(
        c,
        training,
        contact_person=omar,
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 6, 1),
    )
    ended.outcome = Outcome.STUDIES
    ended.save()
    client.force_login(anna)
    url = reverse("participants:list")
    assert _names(client.get(url, {"programme": training.pk})) == ["Aktiv"]
    assert _names(client.get(url, {"status": "inactive"})) == ["Cslutad"]
    assert _names(client.get(url, {"contact_person": anna.pk})) == ["Aktiv"]
    assert _names(client.get(url, {"contact_person": omar.pk})) == []
    assert _names(client.get(url, {"housing_support": "yes"})) == ["Aktiv"]
    assert _names(client.get(url, {"sort": "newest"}))[0] == "Cslutad"


def test_pagination_keeps_the_filters(client, anna, lotsen, training) -> None:
    for _ in range(55):
        make_place(make_participant(lotsen), training, contact_person=anna)
    client.force_login(anna)
    response = client.get(reverse("participants:list"), {"programme": training.pk})
    assert f"programme={training.pk}&amp;page=2" in response.content.decode()
    page2 = client.get(reverse("participants:list"), {"programme": training.pk, "page": 2})
    assert len(page2.context["page"]) == 5


def test_a_long_registry_counts_only_up_to_a_cap_and_says_so(
    client, anna, lotsen, monkeypatch
) -> None:
    """The count never reads the whole register: past the cap the page says "more than"."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr("participants.views.REGISTRY_COUNT_CAP", 3)
    for _ in range(5):
        make_participant(lotsen)
    client.force_login(anna)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("participants:list"))
    assert "Fler än 3 deltagare" in response.content.decode()
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 4" in sql for sql in counts)
    assert len(_names(response)) == 3  # the first cap rows' pages only
    monkeypatch.setattr("participants.views.REGISTRY_COUNT_CAP", 5)
    assert "5 deltagare" in client.get(reverse("participants:list")).content.decode()


def test_a_page_number_out_of_range_shows_the_nearest_page(
    client, anna, lotsen, monkeypatch
) -> None:
    """As Django's get_page: not a number is the first page, past the last (or past the
    cap's pages) the last one; the count comes with the rows, read alone only then."""
    monkeypatch.setattr("participants.views.PAGE_SIZE", 2)
    people = sorted(make_participant(lotsen).last_name for _ in range(5))
    client.force_login(anna)
    url = reverse("participants:list")

    def shown(page: str) -> tuple[int, list[str]]:
        response = client.get(url, {"page": page})
        return response.context["page"].number, _names(response)

    assert shown("2") == (2, people[2:4])
    assert shown("x") == (1, people[:2])
    assert shown("9") == shown("0") == (3, people[4:])
    monkeypatch.setattr("participants.views.REGISTRY_COUNT_CAP", 3)
    assert shown("3") == (2, people[2:3])
    assert "Fler än 3 deltagare" in client.get(url, {"page": "2"}).content.decode()


def test_the_contact_person_column_shows_a_dash_for_each_place_without_one(
    client, anna, lotsen, training, drop_in
) -> None:
    both = make_participant(lotsen, last_name="Båda")
    make_place(both, training, contact_person=anna)
    make_place(both, drop_in, hours=None)
    make_place(make_participant(lotsen, last_name="Bas"), drop_in, hours=None)
    make_place(
        make_participant(lotsen, last_name="Namnlös"),
        training,
        contact_person=make_staff("kim", lotsen),
    )
    make_participant(lotsen, last_name="Ingen")
    client.force_login(anna)
    page = client.get(reverse("participants:list")).content.decode()
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in page.split("<tr>")[2:]]
    rows = {re.sub(r"<[^>]+>", "", c[0]).split(",")[0]: c[-1] for c in cells if c}
    assert rows["Båda"] == "Anna Lindqvist, –"
    assert rows["Bas"] == rows["Ingen"] == "–"
    assert rows["Namnlös"] == "kim (användarnamn, inget namn angivet)"
