"""Rule codes (R6, L4 …) belong in code, tests and the admin's help texts, never in what
staff or the people they work with read: every page, PDF and e-mail is checked in Swedish,
and the English catalogue has none outside the admin's help texts."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest
from django.core import mail

from plans.services import reminder_digests_send, weekly_summaries_send
from tests.factories import TODAY, make_participant, make_place, make_plan
from tests.test_access import PAGES, _url, lotsen_objects  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
RULE_CODE = re.compile(r"\b[RL]\d{1,2}\b")
SHOWN_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "value"}


class _Text(HTMLParser):
    """What a reader sees or hears: text outside scripts and styles, and the attributes
    that screen readers read or buttons show."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        if tag == "input" and ("type", "hidden") in attrs:
            return  # a hidden field's value is never shown (tokens: random, so "-L7-" may occur)
        self.parts += [v for k, v in attrs if k in SHOWN_ATTRIBUTES and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def shown_text(response) -> str:  # type: ignore[no-untyped-def]
    if response["Content-Type"].startswith("application/pdf"):
        if shutil.which("pdftotext") is None:
            pytest.skip("needs pdftotext (poppler-utils)")
        run = subprocess.run(
            ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
        )
        return run.stdout.decode()
    parser = _Text()
    parser.feed(response.content.decode())
    return " ".join(parser.parts)


def test_the_reader_sees_text_and_labels_but_not_scripts() -> None:
    parser = _Text()
    parser.feed(
        '<p>Prioriterad (R4)</p><button aria-label="L4">x</button><script>R6</script>'
        '<input type="hidden" name="token" value="a-L7-b">'
    )
    assert RULE_CODE.findall(" ".join(parser.parts)) == ["R4", "L4"]


@pytest.mark.parametrize(("name", "args"), PAGES, ids=[n for n, _ in PAGES])
def test_no_page_or_pdf_shows_a_rule_code(
    client,
    anna,
    omar,
    eva,
    maria,
    lotsen_objects,  # noqa: F811 (the fixture imported above)
    name,
    args,
) -> None:
    url = _url(name, args, lotsen_objects)
    statuses = []
    # The draft's author, the occupational therapist (assessments), the unit manager, and
    # Beroendemottagningen's therapist (its courses).
    for user in (anna, omar, eva, maria):
        client.force_login(user)
        response = client.get(url, follow=True)
        statuses.append(response.status_code)
        if response.status_code == 200:
            text = shown_text(response)
            assert not RULE_CODE.search(text), f"{url}: {RULE_CODE.findall(text)}"
            break  # one reader is enough
    # A page that only takes posts answers 405; every other page was read by one of them,
    # except two that the shared objects do not give: a new plan for a place that has one,
    # and an earlier version of a plan never changed (their texts are read in test_plans),
    # and a finished report PDF (its text is read in test_report_page).
    if name not in ("plans:create", "plans:version", "reporting:file_pdf"):
        assert 200 in statuses or set(statuses) == {405}, statuses


def test_no_email_shows_a_rule_code(training, lotsen, anna, eva) -> None:
    """Every kind of reminder (overdue, missing, renewal, due soon, longest duration) and
    the unit manager's weekly summary."""
    d = datetime.date
    overdue = make_place(
        make_participant(lotsen), training, contact_person=anna, start=d(2026, 1, 1)
    )
    make_plan(overdue, established_on=d(2026, 1, 5), by=anna)
    make_place(make_participant(lotsen), training, contact_person=anna, start=d(2026, 9, 1))
    renewal = make_place(
        make_participant(lotsen), training, contact_person=anna, start=d(2025, 11, 1)
    )
    make_plan(renewal, established_on=d(2025, 11, 25), by=anna).record_follow_up(
        on=d(2026, 10, 1), by=anna, progress="ok"
    )
    soon = make_place(make_participant(lotsen), training, contact_person=anna, start=d(2026, 8, 1))
    make_plan(soon, established_on=d(2026, 8, 27), by=anna)
    ending = make_place(
        make_participant(lotsen),
        training,
        contact_person=anna,
        start=d(2025, 1, 10),
        end=d(2027, 1, 9),
    )
    make_plan(ending, established_on=d(2026, 11, 1), by=anna)
    assert reminder_digests_send(today=TODAY) == 1
    assert weekly_summaries_send(today=TODAY) == 1
    for message in mail.outbox:
        parts = [message.subject, message.body, *(body for body, _ in message.alternatives)]
        everything = " ".join(str(part) for part in parts)
        assert not RULE_CODE.search(everything), RULE_CODE.findall(everything)


# Units and programmes are edited only in the admin, whose help texts may name the rule.
ADMIN_ONLY = {"lotsen/models.py"}


def test_no_english_text_has_a_rule_code() -> None:
    """English pages use the same templates; their words come from the catalogue."""
    from tests.test_catalogue import _entries

    coded = [
        msgstr
        for _msgid, msgstr, _fuzzy, files in _entries()
        if RULE_CODE.search(msgstr) and not set(files) <= ADMIN_ONLY
    ]
    assert coded == []


def test_no_home_page_shows_a_rule_code(
    client, training, isa, lotsen, beroende, anna, omar, eva, maria
) -> None:
    """Every role's home (issue 15), each with something to show: the manager's dashboard,
    the occupational therapist's assessments, the contact person's overdue plans, the
    therapist's courses, the unit switch of staff in two units."""
    from django.urls import reverse

    from lotsen.models import Role
    from tests.factories import make_referral, make_staff

    d = datetime.date
    place = make_place(make_participant(lotsen), training, contact_person=anna, start=d(2026, 1, 1))
    make_plan(place, established_on=d(2026, 1, 5), by=anna)
    make_place(make_participant(lotsen), isa, contact_person=omar, start=d(2026, 9, 1))
    make_referral(lotsen, status="waiting", prioritised=True)
    sara = make_staff("sara", beroende, Role.MANAGER, first_name="Sara")
    both = make_staff("kim", lotsen, first_name="Kim")
    both.units.add(beroende)
    for user in (anna, omar, eva, maria, sara, both):
        client.force_login(user)
        text = shown_text(client.get(reverse("home")))
        assert not RULE_CODE.search(text), f"{user.username}: {RULE_CODE.findall(text)}"
