"""English mode shows English for the labels that are data (journal kinds, treatment stages
and measures) and for the line the public form records as consent; Swedish is unchanged,
and the records keep their Swedish text."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from journal.models import EntryKind
from referrals.models import Referral
from tests.factories import (
    TODAY,
    make_course,
    make_entry,
    make_participant,
    make_public_info,
    make_referral,
)
from treatment.models import CourseOutcome, Measure, Stage
from treatment.results import measurement_record
from treatment.services import course_join, course_leave

pytestmark = pytest.mark.django_db

WEB_CONSENT_SV = "Vill bli kontaktad; godkände att uppgifterna sparas för det (webbformuläret)."
ENGLISH_KINDS = [
    "Conversation",
    "Phone call",
    "Group session",
    "Home visit",
    "Event",
    "Contact with another agency",
    "Information to next of kin",
    "Planning and follow-up",
]


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(response.content.decode().split())


def _options(page: str) -> list[str]:
    select = re.search(r'<select name="kind".*?</select>', page, re.S)
    assert select is not None
    return [
        o for o in re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0)) if o[:1] != "-"
    ]


def test_every_seeded_label_has_an_english_translation(domain) -> None:
    """A seeded row's label is looked up by its Swedish text; a catalogue that lost the
    hand-added msgid (makemessages cannot see it) would show Swedish again."""
    labels = [
        *EntryKind.objects.values_list("name", flat=True),
        *Stage.objects.values_list("name", flat=True),
        *Measure.objects.values_list("name", flat=True),
        *(c for m in Measure.objects.all() for c in m.choice_list),
    ]
    with translation.override("en"):
        untranslated = [label for label in labels if translation.gettext(label) == label]
    assert len(labels) > 20 and untranslated == []


def test_journal_kinds_in_english_and_swedish(client, lotsen, anna) -> None:
    person = make_participant(lotsen, first_name="Sara", last_name="Nordin")
    home_visit = EntryKind.objects.get(name="Hembesök")
    make_entry(person, by=anna, kind=home_visit)
    client.force_login(anna)
    detail = reverse("participants:detail", args=[person.pk])
    journal = reverse("journal:list", args=[person.pk])
    new = reverse("journal:new", args=[person.pk])

    client.cookies["django_language"] = "en"
    assert "Home visit</a>, Anna Lindqvist" in _text(client.get(detail))
    assert _options(_text(client.get(journal))) == ENGLISH_KINDS
    assert _options(_text(client.get(new, follow=True))) == ENGLISH_KINDS
    assert "Home visit" in _text(client.get(journal))  # the entry's line in the list
    assert EntryKind.objects.get(pk=home_visit.pk).name == "Hembesök"  # the row keeps it

    client.cookies["django_language"] = "sv"
    assert "Hembesök</a>, Anna Lindqvist" in _text(client.get(detail))
    assert _options(_text(client.get(journal)))[:4] == [
        "Samtal",
        "Telefonsamtal",
        "Gruppaktivitet",
        "Hembesök",
    ]


def test_group_session_form_offers_the_kinds_in_english(client, lotsen, anna) -> None:
    from activities.models import ActivityKind
    from activities.services import activity_create

    activity = activity_create(
        unit=lotsen,
        by=anna,
        leaders=[anna],
        weekdays=[TODAY.weekday()],
        kind=ActivityKind.ACTIVITY,
        title="Samtalsgrupp",
        place="Rum 2",
        first_date=TODAY,
        last_date=TODAY,
        starts_at=datetime.time(9),
        ends_at=datetime.time(10),
    )
    url = reverse("journal:session", args=[activity.sessions.get().pk])
    client.force_login(anna)
    client.cookies["django_language"] = "en"
    assert _options(_text(client.get(url))) == ENGLISH_KINDS
    client.cookies["django_language"] = "sv"
    assert "Hembesök" in _options(_text(client.get(url)))


@pytest.fixture
def followed_up(twelve_step, beroende, maria):  # type: ignore[no-untyped-def]
    """One person measured at intake and at the end of a course that ended 14 weeks ago:
    the three-month follow-up is due; a second person just joined, intake due."""
    start = TODAY - datetime.timedelta(weeks=20)
    course = make_course(twelve_step, by=maria, start=start)
    measures = {m.slug: m for m in Measure.objects.all()}
    membership, _ = course_join(
        course=course, participant=make_participant(beroende), on=start, by=maria
    )
    course_leave(
        membership=membership, on=course.end_date, outcome=CourseOutcome.COMPLETED, by=maria
    )
    for name, on, housing in (
        ("Inskrivning", start, "Hemlös"),
        ("Kursens slut", course.end_date, "Egen bostad"),
    ):
        measurement_record(
            membership=membership,
            stage=Stage.objects.get(name=name),
            measured_on=on,
            values={
                measures["audit"]: "20",
                measures["alcohol-days"]: "10",
                measures["housing"]: housing,
                measures["health"]: "3",
            },
            today=TODAY,
            by=maria,
        )
    current = make_course(twelve_step, by=maria, start=TODAY - datetime.timedelta(days=2))
    course_join(course=current, participant=make_participant(beroende), on=TODAY, by=maria)
    return membership


def test_treatment_stages_and_measures_in_english(
    client, followed_up, beroende, maria, django_assert_max_num_queries
) -> None:
    client.force_login(maria)
    results = reverse("treatment:results", kwargs={"unit": beroende.slug})
    measure = reverse("treatment:measure", args=[followed_up.pk])

    client.cookies["django_language"] = "en"
    with django_assert_max_num_queries(30):
        home = _text(client.get(reverse("home")))
    assert "Measurements due" in home
    assert ", Follow-up 3 months:" in home and ", Intake:" in home
    page = _text(client.get(results))
    for label in (
        "End of course",
        "AUDIT, total score",
        "Days with alcohol in the last 30 days",
        "Housing: Own home (%)",
        "Self-rated health (1–5)",
    ):
        assert label in page
    assert "Kursens slut" not in page and "Egen bostad" not in page
    page = _text(client.get(measure))
    assert "End of course, " in page and "Housing: Own home" in page
    assert '<option value="Egen bostad">Own home</option>' in page  # stored as Swedish
    assert "Follow-up 3 months" in page  # the stage to choose

    client.cookies["django_language"] = "sv"
    home = _text(client.get(reverse("home")))
    assert ", Uppföljning 3 månader:" in home and ", Inskrivning:" in home
    page = _text(client.get(results))
    assert "Kursens slut" in page and "Boende: Egen bostad (%)" in page
    assert "AUDIT, totalpoäng" in page and "Självskattad hälsa (1–5)" in page
    page = _text(client.get(measure))
    assert "Kursens slut, " in page and "Boende: Egen bostad" in page
    assert '<option value="Egen bostad">Egen bostad</option>' in page


def test_a_measurement_taken_in_english_stores_the_swedish_answer(
    client, followed_up, maria
) -> None:
    client.force_login(maria)
    client.cookies["django_language"] = "en"
    url = reverse("treatment:measure", args=[followed_up.pk])
    stage = Stage.objects.get(name="Uppföljning 3 månader")
    response = client.post(
        url, {"stage": stage.pk, "measured_on": TODAY.isoformat(), "housing": "Egen bostad"}
    )
    assert response.status_code == 302
    value = followed_up.measurements.get(stage=stage).values.get()
    assert value.choice == "Egen bostad"


def test_the_web_forms_consent_is_stored_in_swedish_and_shown_in_english(
    client, lotsen, eva
) -> None:
    make_public_info(lotsen)
    client.cookies["django_language"] = "en"
    form = reverse("public:interest", args=[lotsen.slug])
    key = re.search(r'name="submission_key" value="([^"]+)"', client.get(form).content.decode())
    assert key is not None
    client.post(
        form,
        {
            "name": "Sara Nordin",
            "contact": "070-123 45 67",
            "programme": "",
            "interest": "",
            "consent": "on",
            "website": "",
            "submission_key": key.group(1),
        },
    )
    referral = Referral.objects.get()
    assert referral.consent == WEB_CONSENT_SV  # the record keeps the Swedish line
    client.force_login(eva)
    page = _text(client.get(reverse("referrals:detail", args=[referral.pk])))
    assert "Wants to be contacted; agreed that the details are stored" in page
    assert "Status: <strong>Received</strong>" in page
    client.cookies["django_language"] = "sv"
    page = _text(client.get(reverse("referrals:detail", args=[referral.pk])))
    assert WEB_CONSENT_SV in page
    assert "Status: <strong>Mottagen</strong>" in page


def test_consent_typed_by_staff_is_shown_as_typed(client, lotsen, eva) -> None:
    referral = make_referral(lotsen, consent="Arbete")  # happens to be a catalogue msgid
    client.force_login(eva)
    client.cookies["django_language"] = "en"
    page = _text(client.get(reverse("referrals:detail", args=[referral.pk])))
    assert '<dd class="col-sm-7">Arbete</dd>' in page
