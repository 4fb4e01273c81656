"""Public pages for visitors without logging in (mission item 7), the interest form and its
protection against abuse and leaks; L5 is checked in the browser (tests/browser)."""

from __future__ import annotations

import datetime
import logging
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from activities.models import ActivityKind, ExtraOpening, OpeningHours
from activities.services import activity_create
from referrals.models import Initiator, Referral, Status
from tests.factories import make_participant, make_public_info

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture(autouse=True)
def _empty_cache():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def info(lotsen):  # type: ignore[no-untyped-def]
    return make_public_info(lotsen)


def _form(client, info):  # type: ignore[no-untyped-def]
    page = client.get(reverse("public:interest", args=[info.unit.slug])).content.decode()
    return re.search(r'name="submission_key" value="([^"]+)"', page).group(1)


def _data(key: str, **extra: str) -> dict[str, str]:
    return {
        "name": "Sara Nordin",
        "contact": "070-123 45 67",
        "programme": "",
        "interest": "Jag vill träffa folk.",
        "consent": "on",
        "website": "",
        "submission_key": key,
        **extra,
    }


def _submit(client, info, **extra):  # type: ignore[no-untyped-def]
    url = reverse("public:interest", args=[info.unit.slug])
    return client.post(url, _data(_form(client, info), **extra))


def test_public_pages_need_no_login(client, info) -> None:
    for url in (
        reverse("public:units"),
        reverse("public:unit", args=["lotsen"]),
        reverse("public:interest", args=["lotsen"]),
        reverse("public:thanks", args=["lotsen"]),
        reverse("public:accessibility"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert reverse("public:accessibility") in response.content.decode(), url


def test_r16_unit_page_shows_the_regular_week_and_contact(client, info) -> None:
    page = " ".join(client.get(reverse("public:unit", args=["lotsen"])).content.decode().split())
    # Lotsen is open 9-16 on weekdays and Wednesday evenings (seeded, R16).
    assert '<dt class="col-5 fw-normal">Måndag</dt><dd class="col-7 mb-1">09:00–16:00</dd>' in page
    assert 'Onsdag</dt><dd class="col-7 mb-1">09:00–16:00, 17:00–20:00</dd>' in page
    assert 'Lördag</dt><dd class="col-7 mb-1">stängt</dd>' in page
    assert "013-12 34 56" in page and "lotsen@example.se" in page
    assert "Ändrade tider" not in page  # no holiday in the next two weeks


def test_l8_a_holiday_and_an_extra_opening_are_shown_as_changes(client, info) -> None:
    ExtraOpening.objects.create(
        unit=info.unit,
        date=datetime.date(2026, 12, 26),
        opens=datetime.time(11),
        closes=datetime.time(15),
        note="Julfika",
    )
    with time_machine.travel(datetime.datetime(2026, 12, 21, 10, tzinfo=STOCKHOLM), tick=False):
        page = client.get(reverse("public:unit", args=["lotsen"])).content.decode()
    assert "Ändrade tider de närmaste två veckorna" in page
    assert "Torsdag 24 december</span>: stängt (Julafton)" in page
    assert "Lördag 26 december</span>: 11:00–15:00 (Julfika)" in page
    assert "Tisdag 22 december</span>" not in page  # an ordinary day


def test_without_calendar_hours_the_units_own_text_is_shown(client, info) -> None:
    OpeningHours.objects.filter(unit=info.unit).delete()
    page = client.get(reverse("public:unit", args=["lotsen"])).content.decode()
    assert "Måndag–fredag 9–16" in page


def test_r18_only_public_activities_are_shown(client, info, anna) -> None:
    for title, public in (("Informationsmöte", True), ("Samtalsgrupp", False)):
        activity_create(
            unit=info.unit,
            leaders=[anna],
            weekdays=[1],
            by=anna,
            kind=ActivityKind.values[0],
            title=title,
            place="Lotsen",
            first_date=datetime.date(2026, 11, 24),
            last_date=datetime.date(2026, 12, 31),
            starts_at=datetime.time(13, 0),
            ends_at=datetime.time(14, 0),
            is_public=public,
        )
    page = client.get(reverse("public:unit", args=["lotsen"])).content.decode()
    assert "Tisdag 24 november</span> 13:00–14:00: Informationsmöte" in page
    assert "Samtalsgrupp" not in page


def test_an_unpublished_unit_is_not_shown(client, info) -> None:
    info.published = False
    info.save()
    assert client.get(reverse("public:unit", args=["lotsen"])).status_code == 404
    assert client.get(reverse("public:interest", args=["lotsen"])).status_code == 404


def test_the_form_asks_for_no_identity_number(client, info) -> None:
    page = client.get(reverse("public:interest", args=["lotsen"])).content.decode()
    assert (
        "identity_number" not in page
        and "personnummer" not in page.split("<form")[1].split("Skriv inte personnummer")[0]
    )


def test_r2_interest_form_lands_as_a_referral_from_self_web(client, info, training) -> None:
    response = _submit(client, info, programme=str(training.pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("public:thanks", args=["lotsen"])
    referral = Referral.objects.get()
    assert (referral.initiator, referral.status, referral.unit) == (
        Initiator.SELF_WEB,
        Status.RECEIVED,
        info.unit,
    )
    assert (referral.first_name, referral.last_name, referral.programme) == (
        "Sara",
        "Nordin",
        training,
    )
    assert referral.created_by is None and referral.steps.get().by is None


def test_a_double_submitted_form_saves_one_referral(client, info) -> None:
    key = _form(client, info)
    url = reverse("public:interest", args=["lotsen"])
    first = client.post(url, _data(key))
    second = client.post(url, _data(key))
    assert Referral.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_bad_input_gets_a_swedish_message_and_keeps_what_was_written(client, info) -> None:
    response = _submit(client, info, contact="hej", consent="")
    page = response.content.decode()
    assert response.status_code == 400
    assert "telefonnummer (minst 6 siffror) eller en e-postadress" in page
    assert "Kryssa i rutan" in page
    assert 'value="Sara Nordin"' in page and "Jag vill träffa folk." in page
    assert not Referral.objects.exists()


@pytest.mark.parametrize("field", ["interest", "name", "contact"])
def test_an_identity_number_typed_anyway_is_refused_and_nothing_is_lost(
    client, info, field
) -> None:
    text = "Sara Nordin, mitt personnummer är 19770705-2382"
    response = _submit(client, info, **{field: text})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Ta bort personnumret (eller samordningsnumret) ur texten." in page
    assert text in page
    assert not Referral.objects.exists()


def test_every_units_form_refuses_an_identity_number(client, hantverkshuset) -> None:
    info = make_public_info(hantverkshuset)
    response = _submit(client, info, interest="Personnummer 7707052382")
    assert response.status_code == 400
    assert not Referral.objects.exists()


def test_phone_numbers_in_the_form_are_not_taken_for_identity_numbers(client, info) -> None:
    response = _submit(
        client,
        info,
        contact="0701234567",
        interest="Ring 070-123 45 67 eller växeln 013-20 60 00 efter kl. 10.",
    )
    assert response.status_code == 302
    assert Referral.objects.get().interest.startswith("Ring 070-123 45 67")


def test_honeypot_pretends_success_and_saves_nothing(client, info) -> None:
    response = _submit(client, info, website="http://spam.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("public:thanks", args=["lotsen"])
    assert not Referral.objects.exists()


def test_rate_limit_per_address(client, info, settings) -> None:
    settings.PUBLIC_FORM_LIMIT_PER_HOUR = 3
    for _ in range(3):
        assert _submit(client, info).status_code == 302
    blocked = _submit(client, info)
    assert blocked.status_code == 429
    assert "Försök igen om en timme" in blocked.content.decode()
    assert Referral.objects.count() == 3
    # Another address is not affected.
    other = client.post(
        reverse("public:interest", args=["lotsen"]),
        _data(_form(client, info)),
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 302 and Referral.objects.count() == 4


def test_rate_limit_counts_bots_too(client, info, settings) -> None:
    settings.PUBLIC_FORM_LIMIT_PER_HOUR = 2
    for _ in range(2):
        _submit(client, info, website="x")
    assert _submit(client, info).status_code == 429


def test_rate_limit_behind_the_proxy_uses_the_forwarded_address(client, info, settings) -> None:
    settings.PUBLIC_FORM_LIMIT_PER_HOUR = 1
    settings.BEHIND_TLS_PROXY = True
    url = reverse("public:interest", args=["lotsen"])
    first = client.post(url, _data(_form(client, info)), HTTP_X_FORWARDED_FOR="1.2.3.4")
    second = client.post(url, _data(_form(client, info)), HTTP_X_FORWARDED_FOR="5.6.7.8")
    third = client.post(url, _data(_form(client, info)), HTTP_X_FORWARDED_FOR="5.6.7.8")
    assert (first.status_code, second.status_code, third.status_code) == (302, 302, 429)


def test_size_limits(client, info, settings) -> None:
    too_long_field = _submit(client, info, interest="x" * 1001)
    assert too_long_field.status_code == 400
    assert "högst 1000 tecken" in too_long_field.content.decode()
    huge = _submit(client, info, interest="x" * (settings.PUBLIC_FORM_MAX_BYTES + 1))
    assert huge.status_code == 413
    assert not Referral.objects.exists()


def test_the_confirmation_reveals_nothing_about_existing_records(client, info, lotsen) -> None:
    """Known person, unknown person, duplicate and bot: the same redirect and page."""
    make_participant(lotsen, first_name="Sara", last_name="Nordin")
    pages = []
    for extra in ({}, {"name": "Okänd Person"}, {"website": "x"}):
        response = _submit(client, info, **extra)
        pages.append((response.status_code, response["Location"]))
        page = client.get(response["Location"]).content.decode()
        # The CSRF token of the language form is masked anew on every page.
        pages.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page))
    assert pages[0] == pages[2] == pages[4]
    assert pages[1] == pages[3] == pages[5]
    assert "Sara" not in pages[1]


def test_no_personal_data_in_logs_or_urls(client, info, caplog) -> None:
    with caplog.at_level(logging.DEBUG):
        response = _submit(client, info, name="Sara Hemligsson", contact="sara@hemlig.se")
    assert "Hemlig" not in response["Location"] and "hemlig" not in caplog.text.lower()


def test_the_accessibility_statement_has_a_way_to_report_problems(client, info) -> None:
    page = client.get(reverse("public:accessibility")).content.decode()
    assert "WCAG 2.1" in page and "Rapportera brister" in page
    assert "mailto:lotsen@example.se" in page and "digg.se" in page


def test_the_public_pages_are_in_english_when_chosen(client, info) -> None:
    client.cookies["django_language"] = "en"
    page = client.get(reverse("public:interest", args=["lotsen"])).content.decode()
    assert "Register your interest in Lotsen" in page and "Your name" in page


def test_managers_are_told_of_a_web_referral_without_personal_data(
    client, info, eva, anna, monkeypatch, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    """The notice is queued after commit; its subject and body carry no personal data."""
    from referrals import tasks

    queued: list[int] = []
    monkeypatch.setattr(tasks.notify_web_referral, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        _submit(client, info, name="Sara Hemligsson", contact="sara@hemlig.se")
    referral = Referral.objects.get()
    assert queued == [referral.pk]
    assert tasks.notify_web_referral(referral.pk) == 1
    assert tasks.notify_web_referral(referral.pk) == 0  # safe to run twice
    [mail] = mailoutbox
    assert mail.to == ["eva@lotsen.example"]  # the unit manager, not every staff member
    assert "intresseanmälan" in mail.subject
    everything = mail.subject + mail.body + str(mail.alternatives)
    assert "Hemlig" not in everything and "hemlig" not in everything
    assert f"/anmalningar/{referral.pk}/" in mail.body


def test_a_double_submit_or_a_bot_queues_no_notice(
    client, info, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    from referrals import tasks

    queued: list[int] = []
    monkeypatch.setattr(tasks.notify_web_referral, "delay", queued.append)
    key = _form(client, info)
    url = reverse("public:interest", args=["lotsen"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, _data(key))
        client.post(url, _data(key))
        _submit(client, info, website="x")
    assert len(queued) == 1


def test_the_header_names_the_unit_whose_page_it_is(client, hantverkshuset, beroende) -> None:
    for unit in (hantverkshuset, beroende):
        make_public_info(unit)
        for name in ("public:unit", "public:interest"):
            page = client.get(reverse(name, args=[unit.slug])).content.decode()
            brand = page.split('class="navbar-brand')[1].split("</a>")[0]
            assert unit.name in brand and "Dagverksamhet" not in page
    listing = client.get(reverse("public:units")).content.decode()
    assert "Verksamheter i Linköpings kommun" in listing.split("</header>")[0]
