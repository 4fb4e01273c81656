"""The journal (L1, L2, L4, R15): signed entries never change, corrections keep the old
text readable, drafts are never lost, reads are logged, other units see nothing."""

from __future__ import annotations

import datetime
import uuid

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from journal.models import Draft, Entry, EntryCorrection, EntryKind, EntryNote, SignedEntryLocked
from journal.services import journal_erase
from lotsen.models import Role, User
from tests.factories import make_entry, make_participant, make_place, make_plan

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def person(lotsen):  # type: ignore[no-untyped-def]
    return make_participant(lotsen, first_name="Sara", last_name="Nordin")


@pytest.fixture
def talk() -> EntryKind:
    return EntryKind.objects.get(name="Samtal")


def _form(kind: EntryKind, text: str, **extra: object) -> dict[str, object]:
    moment = timezone.localtime() - datetime.timedelta(hours=1)
    return {
        "occurred_at": moment.strftime("%Y-%m-%dT%H:%M"),
        "kind": kind.pk,
        "text": text,
        **extra,
    }


def _urls(person, key) -> dict[str, str]:  # type: ignore[no-untyped-def]
    args = {"participant_pk": person.pk, "key": key}
    return {name: reverse(f"journal:{name}", kwargs=args) for name in ("draft", "autosave", "sign")}


# --- Signing locks the entry (L1) ---------------------------------------------------------


def test_l1_a_signed_entry_cannot_be_changed_or_deleted_in_python(person, anna) -> None:
    entry = make_entry(person, by=anna, text="Första texten")
    entry.text = "Ändrad"
    with pytest.raises(SignedEntryLocked):
        entry.save()
    with pytest.raises(SignedEntryLocked):
        entry.delete()
    with pytest.raises(SignedEntryLocked):
        Entry.objects.filter(pk=entry.pk).update(text="Ändrad")
    with pytest.raises(SignedEntryLocked):
        Entry.objects.filter(pk=entry.pk).delete()
    correction = entry.correct(text="Ny", reason="Fel dag", by=anna)
    with pytest.raises(SignedEntryLocked):
        correction.save()
    with pytest.raises(SignedEntryLocked):
        EntryCorrection.objects.all().delete()
    assert Entry.objects.get(pk=entry.pk).text == "Första texten"


def test_l1_not_even_an_administrator_changes_an_entry_in_the_admin(client, person, anna) -> None:
    entry = make_entry(person, by=anna, text="Första texten")
    admin = User.objects.create_superuser("admin", "admin@lotsen.example", "x" * 16)
    client.force_login(admin)
    change = reverse("admin:journal_entry_change", args=[entry.pk])
    page = client.get(change)
    assert page.status_code == 200 and b'name="text"' not in page.content  # read-only
    assert client.post(change, {"text": "Ändrad"}).status_code == 403
    assert client.post(reverse("admin:journal_entry_delete", args=[entry.pk])).status_code == 403
    assert client.get(reverse("admin:journal_entry_add")).status_code == 403
    listing = client.post(
        reverse("admin:journal_entry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk]},
    )
    assert listing.status_code in (200, 302)
    assert Entry.objects.get(pk=entry.pk).text == "Första texten"


def test_l1_the_entry_page_offers_no_edit_or_delete(client, person, anna) -> None:
    entry = make_entry(person, by=anna)
    client.force_login(anna)
    page = client.get(reverse("journal:entry", args=[entry.pk])).content.decode()
    assert "Rätta anteckningen" in page
    assert "Ta bort" not in page and "Ändra" not in page


# --- Corrections and the person's view (L1) -----------------------------------------------


def test_l1_a_correction_keeps_the_old_text_readable_with_who_when_why(
    client, person, anna, omar
) -> None:
    entry = make_entry(person, by=anna, text="Sara kom inte på tisdagen.")
    client.force_login(omar)
    url = reverse("journal:correct", args=[entry.pk])
    response = client.post(url, {"text": "Sara kom på onsdagen.", "reason": "Fel veckodag"})
    assert response.status_code == 302
    page = client.get(reverse("journal:entry", args=[entry.pk])).content.decode()
    assert "<del>" in page and "Sara kom inte på tisdagen." in page
    assert "Sara kom på onsdagen." in page and "Fel veckodag" in page and str(omar) in page
    assert page.index("<del>") < page.index("Sara kom inte på tisdagen.") < page.index("</del>")
    assert Entry.objects.get(pk=entry.pk).text == "Sara kom inte på tisdagen."
    correction = EntryCorrection.objects.get()
    assert correction.created_by == omar and correction.created_at is not None


def test_l1_the_correction_form_starts_with_the_current_text(client, person, anna) -> None:
    """Fixing one word must not mean retyping the entry; unchanged text is refused."""
    entry = make_entry(person, by=anna, text="Sara kom inte på tisdagen.")
    client.force_login(anna)
    form = client.get(reverse("journal:entry", args=[entry.pk])).context["correction_form"]
    assert form["text"].value() == "Sara kom inte på tisdagen."
    url = reverse("journal:correct", args=[entry.pk])
    same = client.post(url, {"text": "Sara kom inte på tisdagen.", "reason": "Ingen"})
    assert same.status_code == 400 and "Texten är oförändrad" in same.content.decode()
    client.post(url, {"text": "Sara kom på onsdagen.", "reason": "Fel veckodag"})
    form = client.get(reverse("journal:entry", args=[entry.pk])).context["correction_form"]
    assert form["text"].value() == "Sara kom på onsdagen."
    assert EntryCorrection.objects.count() == 1


def test_l1_a_correction_needs_a_reason(client, person, anna) -> None:
    entry = make_entry(person, by=anna)
    client.force_login(anna)
    response = client.post(reverse("journal:correct", args=[entry.pk]), {"text": "Ny text"})
    assert response.status_code == 400 and not EntryCorrection.objects.exists()


def test_l1_the_persons_view_is_noted_on_the_entry(client, person, anna) -> None:
    entry = make_entry(person, by=anna, text="Sara var arg.")
    client.force_login(anna)
    client.post(
        reverse("journal:note", args=[entry.pk]), {"note": "Jag var inte arg, jag var trött."}
    )
    note = EntryNote.objects.get()
    assert note.entry == entry and note.created_by == anna
    page = client.get(reverse("journal:list", args=[person.pk])).content.decode()
    assert "Personens synpunkt" in page and "jag var trött" in page


# --- Drafts --------------------------------------------------------------------------------


def test_a_draft_is_saved_as_you_type_and_survives_a_reload(client, person, anna, talk) -> None:
    client.force_login(anna)
    page = client.get(reverse("journal:new", args=[person.pk])).content.decode()
    key = page.split('id="draft-form"')[0].rsplit("/utkast/", 1)[1].split("/")[0]
    urls = _urls(person, key)
    first = client.post(
        urls["autosave"], _form(talk, "Hej", revision="", tab=str(uuid.uuid4())), **HX
    )
    assert first.status_code == 200 and "Utkast sparat" in first.content.decode()
    assert first["HX-Replace-Url"] == urls["draft"]
    draft = Draft.objects.get()
    tab = str(draft.saved_from)
    client.post(urls["autosave"], _form(talk, "Hej igen", revision=draft.revision, tab=tab), **HX)
    assert Draft.objects.get().text == "Hej igen" and Draft.objects.count() == 1
    # A reload: the draft page has the text.
    assert "Hej igen" in client.get(urls["draft"]).content.decode()
    assert not Entry.objects.exists()


def test_a_half_typed_date_keeps_the_text(client, person, anna, talk) -> None:
    client.force_login(anna)
    urls = _urls(person, uuid.uuid4())
    client.post(urls["autosave"], {"occurred_at": "2026-1", "text": "Viktigt", "kind": ""}, **HX)
    assert Draft.objects.get().text == "Viktigt"


def test_a_draft_survives_a_logout_and_is_on_the_home_page(client, person, anna, talk) -> None:
    client.force_login(anna)
    urls = _urls(person, uuid.uuid4())
    client.post(urls["autosave"], _form(talk, "Skrivet före utloggning"), **HX)
    client.post(reverse("logout"))
    # After the logout a save is refused (sent to log in), and nothing is lost on the server.
    response = client.post(urls["autosave"], _form(talk, "Efter"), **HX)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(anna)
    home = client.get(reverse("home")).content.decode()
    assert "Osignerade journalutkast" in home and urls["draft"] in home and "Sara Nordin" in home
    assert "Skrivet före utloggning" in client.get(urls["draft"]).content.decode()


def test_a_draft_is_visible_only_to_its_author(client, person, anna, omar, eva, talk) -> None:
    client.force_login(anna)
    urls = _urls(person, uuid.uuid4())
    client.post(urls["autosave"], _form(talk, "Min anteckning"), **HX)
    for colleague in (omar, eva):
        client.force_login(colleague)
        assert client.get(urls["draft"]).status_code == 404
        assert client.post(urls["autosave"], _form(talk, "Skrivs över"), **HX).status_code == 404
        assert client.post(urls["sign"], _form(talk, "Skrivs över")).status_code == 404
        assert "Min anteckning" not in client.get(reverse("home")).content.decode()
        listing = client.get(reverse("journal:list", args=[person.pk])).content.decode()
        assert "Min anteckning" not in listing
    assert Draft.objects.get().text == "Min anteckning" and not Entry.objects.exists()


def test_two_tabs_never_overwrite_each_other_silently(client, person, anna, talk) -> None:
    client.force_login(anna)
    urls = _urls(person, uuid.uuid4())
    tab_a, tab_b = str(uuid.uuid4()), str(uuid.uuid4())
    client.post(urls["autosave"], _form(talk, "A1", revision="", tab=tab_a), **HX)
    # Tab B opens the draft (revision 1) and saves; tab A, still at revision 1, then saves.
    client.post(urls["autosave"], _form(talk, "B1", revision=1, tab=tab_b), **HX)
    stale = client.post(urls["autosave"], _form(talk, "A2", revision=1, tab=tab_a), **HX)
    assert "från en annan flik" in stale.content.decode()
    assert Draft.objects.get().text == "B1"
    # The author chooses this tab's text.
    chosen = client.post(urls["draft"], _form(talk, "A2", revision=1, tab=tab_a, overwrite="1"))
    assert chosen.status_code == 302 and Draft.objects.get().text == "A2"
    assert Draft.objects.count() == 1


def test_a_lost_answer_is_not_a_conflict_with_the_same_tab(client, person, anna, talk) -> None:
    """The network dropped after the save reached the server: the tab still thinks revision 1."""
    client.force_login(anna)
    urls = _urls(person, uuid.uuid4())
    tab = str(uuid.uuid4())
    client.post(urls["autosave"], _form(talk, "Ett", revision="", tab=tab), **HX)
    client.post(urls["autosave"], _form(talk, "Ett två", revision=1, tab=tab), **HX)
    client.post(urls["autosave"], _form(talk, "Ett två tre", revision=1, tab=tab), **HX)
    assert Draft.objects.get().text == "Ett två tre"


def test_signing_twice_or_from_two_tabs_makes_one_entry(client, person, anna, talk) -> None:
    client.force_login(anna)
    urls = _urls(person, uuid.uuid4())
    client.post(urls["autosave"], _form(talk, "Utkast"), **HX)
    for _ in range(3):
        response = client.post(urls["sign"], _form(talk, "Samtal om veckan."))
        assert response.status_code == 302
    entry = Entry.objects.get()
    assert entry.text == "Samtal om veckan." and entry.author == anna
    assert entry.author_role == Role.SUPPORT and entry.signed_at is not None
    assert not Draft.objects.exists()
    # A late autosave from the other tab does not bring the draft back.
    late = client.post(urls["autosave"], _form(talk, "Sent"), **HX)
    assert "redan signerad" in late.content.decode() and not Draft.objects.exists()


def test_signing_without_a_kind_keeps_the_text_as_a_draft(client, person, anna, talk) -> None:
    client.force_login(anna)
    urls = _urls(person, uuid.uuid4())
    response = client.post(urls["sign"], {**_form(talk, "Viktig text"), "kind": ""})
    assert response.status_code == 400 and not Entry.objects.exists()
    assert Draft.objects.get().text == "Viktig text"


def test_a_draft_can_be_discarded(client, person, anna, talk) -> None:
    client.force_login(anna)
    key = uuid.uuid4()
    client.post(_urls(person, key)["autosave"], _form(talk, "Fel person"), **HX)
    url = reverse("journal:discard", kwargs={"participant_pk": person.pk, "key": key})
    assert client.post(url).status_code == 302 and not Draft.objects.exists()


def test_a_time_in_the_future_cannot_be_signed(client, person, anna, talk) -> None:
    client.force_login(anna)
    future = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        _urls(person, uuid.uuid4())["sign"], {**_form(talk, "Text"), "occurred_at": future}
    )
    assert response.status_code == 400 and not Entry.objects.exists()


def test_an_entry_links_to_the_place_and_plan(client, person, anna, training, talk) -> None:
    place = make_place(person, training, contact_person=anna)
    plan = make_plan(place, established_on=timezone.localdate(), by=anna)
    client.force_login(anna)
    client.post(
        _urls(person, uuid.uuid4())["sign"],
        _form(talk, "Uppföljning", place=place.pk, plan=plan.pk),
    )
    entry = Entry.objects.get()
    assert entry.place == place and entry.plan == plan
    # Another person's place cannot be linked.
    other = make_place(make_participant(person.unit), training)
    response = client.post(_urls(person, uuid.uuid4())["sign"], _form(talk, "X", place=other.pk))
    assert response.status_code == 400


# --- Reading: order, filters, search, the person's page (L2) -------------------------------


def test_entries_read_newest_first_and_filter(client, person, anna, omar, training) -> None:
    place = make_place(person, training, contact_person=anna)
    phone = EntryKind.objects.get(name="Telefonsamtal")
    now = timezone.now()
    make_entry(person, by=anna, text="Äldst", occurred_at=now - datetime.timedelta(days=20))
    make_entry(
        person, by=omar, text="Mitten", kind=phone, occurred_at=now - datetime.timedelta(days=10)
    )
    make_entry(
        person, by=anna, text="Nyast", place=place, occurred_at=now - datetime.timedelta(days=1)
    )
    client.force_login(anna)
    url = reverse("journal:list", args=[person.pk])

    def texts(**params: object) -> list[str]:
        page = client.get(url, params).content.decode()
        return [t for t in ("Nyast", "Mitten", "Äldst") if t in page and page.index(t) >= 0]

    page = client.get(url).content.decode()
    assert page.index("Nyast") < page.index("Mitten") < page.index("Äldst")
    assert texts(kind=phone.pk) == ["Mitten"]
    assert texts(author=omar.pk) == ["Mitten"]
    assert texts(programme=training.pk) == ["Nyast"]
    start = (now - datetime.timedelta(days=15)).date().isoformat()
    end = (now - datetime.timedelta(days=5)).date().isoformat()
    assert texts(start=start, end=end) == ["Mitten"]


def test_search_inside_one_journal_keeps_the_text_out_of_the_url(client, person, anna) -> None:
    make_entry(person, by=anna, text="Pratade om boendet.")
    entry = make_entry(person, by=anna, text="Pratade om jobbet.")
    entry.correct(text="Pratade om praktiken.", reason="Fel ord", by=anna)
    other = make_participant(person.unit)
    make_entry(other, by=anna, text="Praktiken hos någon annan.")
    client.force_login(anna)
    url = reverse("journal:list", args=[person.pk])
    response = client.post(url, {"q": "praktiken"})
    assert response.status_code == 302 and "praktiken" not in response["Location"]
    page = client.get(url).content.decode()
    assert "jobbet" in page and "boendet" not in page and "någon annan" not in page
    client.post(url, {"clear": "1"})
    assert "boendet" in client.get(url).content.decode()


def test_l2_every_read_of_a_journal_is_logged(client, person, anna) -> None:
    entry = make_entry(person, by=anna)
    client.force_login(anna)
    client.get(reverse("journal:list", args=[person.pk]))
    client.get(reverse("journal:entry", args=[entry.pk]))
    reads = LogEntry.objects.get_for_object(person).filter(
        action=LogEntry.Action.ACCESS, actor=anna, additional_data__has_key="journal"
    )
    assert sorted(r.additional_data["journal"] for r in reads) == ["entry", "list"]
    # Saving a draft while typing reads nothing and logs no read.
    key = uuid.uuid4()
    url = reverse("journal:autosave", kwargs={"participant_pk": person.pk, "key": key})
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    for text in ("Ett", "Ett två", "Ett två tre"):
        client.post(url, {"text": text}, **HX)
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() == before
    assert LogEntry.objects.get_for_object(entry).filter(action=LogEntry.Action.ACCESS).exists()
    assert LogEntry.objects.get_for_object(entry).filter(action=LogEntry.Action.CREATE).exists()


def test_the_journal_is_on_the_persons_page(client, person, anna) -> None:
    make_entry(person, by=anna, text="Hemligt innehåll")
    client.force_login(anna)
    page = client.get(reverse("participants:detail", args=[person.pk])).content.decode()
    assert reverse("journal:list", args=[person.pk]) in page and "Samtal" in page
    assert "Hemligt innehåll" not in page  # the text is read in the journal, where it is logged


def test_l2_another_units_staff_get_404_everywhere(client, person, anna, henrik, talk) -> None:
    entry = make_entry(person, by=anna)
    key = uuid.uuid4()
    client.force_login(anna)
    client.post(_urls(person, key)["autosave"], _form(talk, "Utkast"), **HX)
    client.force_login(henrik)
    urls = [
        reverse("journal:list", args=[person.pk]),
        reverse("journal:new", args=[person.pk]),
        reverse("journal:pdf", args=[person.pk]),
        reverse("journal:entry", args=[entry.pk]),
        reverse("journal:correct", args=[entry.pk]),
        reverse("journal:note", args=[entry.pk]),
        *_urls(person, key).values(),
        reverse("journal:discard", kwargs={"participant_pk": person.pk, "key": key}),
    ]
    for url in urls:
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, _form(talk, "X")).status_code == 404, url
    assert Entry.objects.count() == 1 and not EntryCorrection.objects.exists()


def test_l4_a_protected_persons_journal_only_for_their_team(
    client, lotsen, anna, omar, talk
) -> None:
    person = make_participant(lotsen, protected_identity=True, first_name="Skyddad")
    person.team.add(anna)
    make_entry(person, by=anna)
    client.force_login(anna)
    url = reverse("journal:list", args=[person.pk])
    assert client.get(url).status_code == 200
    client.post(_urls(person, uuid.uuid4())["autosave"], _form(talk, "Utkast"), **HX)
    client.force_login(omar)
    assert client.get(url).status_code == 404
    assert client.post(_urls(person, uuid.uuid4())["sign"], _form(talk, "X")).status_code == 404
    # Anna leaves the team: her draft no longer lists the person on her home page.
    person.team.remove(anna)
    client.force_login(anna)
    assert "Skyddad" not in client.get(reverse("home")).content.decode()


# --- Late entries (L1: without undue delay) -------------------------------------------------


def test_l1_an_entry_written_days_after_the_event_is_late(client, person, anna, eva) -> None:
    now = timezone.now()
    make_entry(person, by=anna, occurred_at=now - datetime.timedelta(days=1))
    late = make_entry(person, by=anna, occurred_at=now - datetime.timedelta(days=5))
    assert late.late and Entry.objects.filter(late=True).count() == 1
    person.unit.journal_rules.late_after_days = 7
    person.unit.journal_rules.save()
    assert not make_entry(person, by=anna, occurred_at=now - datetime.timedelta(days=5)).late
    client.force_login(anna)
    assert client.get(reverse("journal:unit")).status_code == 403
    assert (
        "sen anteckning" in client.get(reverse("journal:list", args=[person.pk])).content.decode()
    )
    client.force_login(eva)
    page = client.get(reverse("journal:unit")).content.decode()
    assert "33 %" in page and "Sara" not in page


# --- Retention (L3) ----------------------------------------------------------------------


def test_l3_erasure_deletes_the_whole_journal_through_one_path_and_logs_it(
    person, anna, eva
) -> None:
    entry = make_entry(person, by=anna)
    entry.correct(text="Ny", reason="Fel", by=anna)
    entry.note_persons_view(text="Synpunkt", by=anna)
    other = make_entry(make_participant(person.unit), by=anna)
    assert journal_erase(participant=person, by=eva, reason="Gallring 2031") == 1
    assert list(Entry.objects.all()) == [other]
    assert not EntryCorrection.objects.exists() and not EntryNote.objects.exists()
    erased = LogEntry.objects.get_for_object(person).get(additional_data__has_key="journal_erased")
    assert erased.actor == eva and erased.additional_data["reason"] == "Gallring 2031"
    deletes = LogEntry.objects.filter(action=LogEntry.Action.DELETE, actor=eva)
    assert deletes.count() == 3


# --- PDF -------------------------------------------------------------------------------------


@pytest.mark.skipif(__import__("shutil").which("pdftotext") is None, reason="needs pdftotext")
def test_the_journal_prints_as_a_pdf_with_corrections(client, person, anna, tmp_path) -> None:
    import subprocess

    now = timezone.now()
    make_entry(
        person, by=anna, text="Gammal händelse", occurred_at=now - datetime.timedelta(days=60)
    )
    entry = make_entry(
        person, by=anna, text="Fel text", occurred_at=now - datetime.timedelta(days=1)
    )
    entry.correct(text="Rätt text", reason="Skrivfel", by=anna)
    client.force_login(anna)
    start = (now - datetime.timedelta(days=10)).date().isoformat()
    response = client.get(reverse("journal:pdf", args=[person.pk]), {"start": start})
    assert response["Content-Type"] == "application/pdf"
    assert "Nordin" not in response["Content-Disposition"]
    pdf = tmp_path / "journal.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Sara Nordin" in text and "Fel text" in text and "Rätt text" in text
    assert "Sida 1 av 1" in text
    assert "Skrivfel" in text and "Gammal händelse" not in text
    assert person.identity_number not in text
    assert LogEntry.objects.filter(additional_data__journal="pdf").exists()


def test_the_pdf_strikes_corrected_text_through(person, anna) -> None:
    from django.template.loader import render_to_string

    entry = make_entry(person, by=anna, text="Fel text")
    entry.correct(text="Rätt text", reason="Skrivfel", by=anna)
    html = render_to_string(
        "journal/journal_pdf.html",
        {
            "participant": person,
            "entries": [entry],
            "printed_at": timezone.now(),
            "printed_by": anna,
        },
    )
    assert "<del>" in html and html.index("<del>") < html.index("Fel text") < html.index("</del>")
    assert "Rätt text" not in html.split("</del>")[0]
