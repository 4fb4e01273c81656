"""The daily overdue-plan e-mail (R13): one per contact person and day, no identity numbers."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command

from plans.models import ReminderDigest
from plans.services import daily_checks_run, reminder_digests_send
from tests.factories import TODAY, make_participant, make_place, make_plan, make_staff

pytestmark = pytest.mark.django_db
D = datetime.date
LONG_AGO = D(2026, 1, 5)


def _overdue_plan(programme, unit, contact, **participant_fields):  # type: ignore[no-untyped-def]
    person = make_participant(unit, young=programme.max_age is not None, **participant_fields)
    place = make_place(person, programme, contact_person=contact, start=D(2026, 1, 1))
    return make_plan(place, established_on=LONG_AGO, by=contact)


def test_r13_one_email_per_contact_person_listing_their_overdue_plans(
    training, isa, lotsen, anna, omar
) -> None:
    a1 = _overdue_plan(training, lotsen, anna, first_name="Alva", last_name="Berg")
    a2 = _overdue_plan(isa, lotsen, anna, first_name="Bo", last_name="Ceder")
    _overdue_plan(training, lotsen, omar, first_name="Cissi", last_name="Dahl")
    on_time = make_place(make_participant(lotsen, first_name="Dan"), training, contact_person=anna)
    make_plan(on_time, established_on=TODAY, by=anna)

    assert reminder_digests_send(today=TODAY) == 2
    to_anna = next(m for m in mail.outbox if m.to == [anna.email])
    assert "Alva B." in to_anna.body and "Bo C." in to_anna.body
    assert "Cissi" not in to_anna.body and "Dan" not in to_anna.body
    for plan in (a1, a2):
        assert f"http://127.0.0.1:8000/planer/{plan.pk}/" in to_anna.body
    html, mimetype = to_anna.alternatives[0]
    assert mimetype == "text/html" and f'href="http://127.0.0.1:8000/planer/{a1.pk}/"' in html


def test_no_identity_numbers_or_names_in_the_mail_subject_and_no_numbers_in_the_body(
    training, lotsen, anna
) -> None:
    plan = _overdue_plan(training, lotsen, anna, first_name="Alva", last_name="Berg")
    reminder_digests_send(today=TODAY)
    message = mail.outbox[0]
    number = plan.enrolment.participant.identity_number
    for text in (message.subject, message.body, message.alternatives[0][0]):
        assert number not in text and number[2:8] not in text
        assert not re.search(r"\d{6}[-+]?\d{4}", text)
    assert "Alva" not in message.subject and "Berg" not in message.subject


def test_l4_protected_person_is_not_named_in_the_mail(training, lotsen, anna) -> None:
    _overdue_plan(
        training, lotsen, anna, first_name="Hemlig", last_name="Person", protected_identity=True
    )
    reminder_digests_send(today=TODAY)
    body = mail.outbox[0].body
    assert "Hemlig" not in body and "Person." not in body
    assert "en av dina planer behöver uppmärksamhet" in body


def test_running_twice_the_same_day_sends_nothing_new(training, lotsen, anna) -> None:
    _overdue_plan(training, lotsen, anna)
    assert daily_checks_run(today=TODAY)["reminder_digests"] == 1
    assert daily_checks_run(today=TODAY)["reminder_digests"] == 0
    assert len(mail.outbox) == 1
    # The next day is a new day.
    assert reminder_digests_send(today=TODAY + datetime.timedelta(days=1)) == 1


def test_nothing_is_sent_when_nothing_is_overdue(training, lotsen, anna) -> None:
    place = make_place(make_participant(lotsen), training, contact_person=anna)
    make_plan(place, established_on=TODAY, by=anna)
    assert reminder_digests_send(today=TODAY) == 0
    assert mail.outbox == []


def test_a_failed_send_is_not_marked_sent_and_goes_out_on_retry(
    training, lotsen, anna, settings
) -> None:
    _overdue_plan(training, lotsen, anna)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with pytest.raises(OSError):
        reminder_digests_send(today=TODAY)
    assert not ReminderDigest.objects.filter(sent_at__isnull=False).exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert reminder_digests_send(today=TODAY) == 1
    assert len(mail.outbox) == 1


def test_management_command_runs_the_same_job(training, lotsen, anna, capsys) -> None:
    _overdue_plan(training, lotsen, anna)
    call_command("run_daily_checks")
    assert len(mail.outbox) == 1
    assert "1" in capsys.readouterr().out


def test_a_contact_person_who_has_left_has_their_items_routed_to_the_unit_manager(
    training, lotsen, hantverkshuset, anna, eva, henrik
) -> None:
    _overdue_plan(training, lotsen, anna, first_name="Alva", last_name="Berg")
    anna.units.set([hantverkshuset])  # moved to another unit: must not get Lotsen's people
    assert reminder_digests_send(today=TODAY) == 1
    assert [m.to for m in mail.outbox] == [[eva.email]]
    assert "Alva B." in mail.outbox[0].body


def test_r13_r14_r7_every_kind_in_one_digest_most_urgent_first(
    training, lotsen, anna, settings
) -> None:
    settings.PLAN_MISSING_AFTER_DAYS = 14
    _overdue_plan(training, lotsen, anna, first_name="Forsenad", last_name="A")
    make_place(
        make_participant(lotsen, first_name="Utanplan", last_name="B"),
        training,
        contact_person=anna,
        start=TODAY - datetime.timedelta(days=20),
    )
    renewal = make_place(
        make_participant(lotsen, first_name="Fornyas", last_name="C"),
        training,
        contact_person=anna,
        start=D(2025, 11, 1),
    )
    plan = make_plan(renewal, established_on=D(2025, 11, 25), by=anna)
    plan.record_follow_up(
        on=D(2026, 10, 1), by=anna, progress="ok"
    )  # follow-up fine, renewal due 2026-11-25
    soon = make_place(
        make_participant(lotsen, first_name="Snart", last_name="D"),
        training,
        contact_person=anna,
        start=D(2026, 8, 1),
    )
    make_plan(soon, established_on=D(2026, 8, 27), by=anna)  # due 2026-11-27
    ending = make_place(
        make_participant(lotsen, first_name="Slutar", last_name="E"),
        training,
        contact_person=anna,
        start=D(2025, 1, 10),
        end=D(2027, 1, 9),
    )
    make_plan(ending, established_on=D(2026, 11, 1), by=anna)
    assert reminder_digests_send(today=TODAY) == 1
    body = mail.outbox[0].body
    order = [body.index(name) for name in ("Forsenad", "Utanplan", "Fornyas", "Snart", "Slutar")]
    assert order == sorted(order)
    assert "Planen ska förnyas 2026-11-25" in body
    assert "Platsen når längsta tid 2027-01-09" in body


def test_weekly_summary_to_the_unit_manager_per_contact_person(
    training, lotsen, anna, omar, eva
) -> None:
    from plans.services import weekly_summaries_send

    _overdue_plan(training, lotsen, anna, first_name="Alva", last_name="Berg")
    _overdue_plan(training, lotsen, omar, first_name="Bo", last_name="Ceder")
    assert weekly_summaries_send(today=TODAY) == 1
    summary = mail.outbox[0]
    assert summary.to == [eva.email] and "Vecko" in summary.subject
    assert (
        "Anna Lindqvist (1)" in summary.body
        and "Alva B." in summary.body
        and "Bo C." in summary.body
    )
    assert weekly_summaries_send(today=TODAY) == 0


def test_weekly_summary_goes_out_on_the_configured_weekday(
    training, lotsen, anna, eva, settings
) -> None:
    _overdue_plan(training, lotsen, anna)
    settings.WEEKLY_SUMMARY_WEEKDAY = TODAY.weekday()
    assert daily_checks_run(today=TODAY)["weekly_summaries"] == 1
    assert "weekly_summaries" not in daily_checks_run(today=TODAY + datetime.timedelta(days=1))


@pytest.fixture
def smtp_server(settings):  # type: ignore[no-untyped-def]
    """A real SMTP server on localhost, the mail backend pointed at it, that refuses every
    address starting with `refused` (550) and records each accepted mail's recipient and
    the connection it came over."""
    import socket

    from aiosmtpd.controller import Controller

    class Server:
        def __init__(self) -> None:
            self.refused = "anna@"
            self.received: list[str] = []
            self.peers: set[object] = set()

        async def handle_RCPT(self, server, session, envelope, address, options):  # type: ignore[no-untyped-def]
            if address.startswith(self.refused):
                return "550 No such user"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
            self.received.append(envelope.rcpt_tos[0])
            self.peers.add(session.peer)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Server()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield handler
    controller.stop()


def test_r13_one_refused_address_does_not_stop_the_other_digests(
    training, lotsen, anna, omar, smtp_server
) -> None:
    import smtplib

    _overdue_plan(training, lotsen, anna)
    _overdue_plan(training, lotsen, omar)
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        reminder_digests_send(today=TODAY)
    assert smtp_server.received == [omar.email]
    assert ReminderDigest.objects.get(sent_at__isnull=False).recipient == omar


def test_r13_the_morning_mails_go_out_over_several_connections_each_once(
    training, lotsen, settings, smtp_server
) -> None:
    """Over an SMTP server the mails are shared among EMAIL_CONNECTIONS connections; every
    one goes out once and is marked sent; a refused address stops no one else's."""
    import smtplib

    settings.EMAIL_CONNECTIONS = 3
    smtp_server.refused = "staff0@"
    staff = [make_staff(f"staff{i}", lotsen) for i in range(9)]
    for person in staff:
        _overdue_plan(training, lotsen, person)
    for _run in range(2):  # the second sends only staff0's, refused again
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            reminder_digests_send(today=TODAY)
    assert sorted(smtp_server.received) == sorted(p.email for p in staff[1:])  # each once
    assert len(smtp_server.peers) == 3
    sent = ReminderDigest.objects.filter(sent_at__isnull=False)
    assert sorted(d.recipient_id for d in sent) == sorted(p.pk for p in staff[1:])


def test_r13_the_morning_reads_only_lines_a_digest_can_show_and_every_digest_is_the_same(
    training, isa, lotsen, anna, omar, eva
) -> None:
    """`shown`: the lines no digest can show are not read, and each recipient's lines and
    total (the "and n more") are those of the whole selection."""
    from plans.reminders import reminder_items, route

    away = make_staff("bo", lotsen)
    away.email = ""  # their lines go to the manager
    away.save()
    for contact, programme, n in [
        (anna, training, 4), (anna, isa, 2), (omar, training, 3), (away, training, 3),
    ]:  # fmt: skip
        for _ in range(n):
            _overdue_plan(programme, lotsen, contact)
    for _ in range(3):  # plans missing: another kind, less urgent than overdue
        make_place(make_participant(lotsen), training, contact_person=anna, start=D(2026, 1, 1))

    def digests(**shown: int) -> dict[str, tuple[list[object], int]]:
        items = reminder_items(today=TODAY, per_partition=3, **shown)
        routed = route(items, limit=2)
        return {p.username: ([i.sort_key for i in d.items], d.total) for p, d in routed.items()}

    assert digests(shown=2) == digests()
    assert digests()["anna"][1] == 4 + 2 + 3 and digests()["eva"][1] == 3
    every = reminder_items(today=TODAY, per_partition=3)
    read = reminder_items(today=TODAY, per_partition=3, shown=2)
    assert {(i.kind, i.place_id) for i in read} < {(i.kind, i.place_id) for i in every}


def test_a_contact_person_without_an_address_has_their_items_routed_to_the_manager(
    training, lotsen, anna, eva
) -> None:
    anna.email = ""
    anna.save()
    _overdue_plan(training, lotsen, anna)
    assert reminder_digests_send(today=TODAY) == 1
    assert mail.outbox[0].to == [eva.email]


def test_r7_only_places_ending_at_the_longest_duration_get_the_r7_reminder(
    training, lotsen, anna
) -> None:
    from plans.reminders import reminder_items

    at_limit = make_place(
        make_participant(lotsen),
        training,
        contact_person=anna,
        start=D(2025, 1, 10),
        end=D(2027, 1, 9),
    )
    make_plan(at_limit, established_on=D(2026, 11, 1), by=anna)
    planned_early = make_place(
        make_participant(lotsen),
        training,
        contact_person=anna,
        start=D(2026, 1, 10),
        end=D(2026, 12, 20),
    )
    make_plan(planned_early, established_on=D(2026, 11, 1), by=anna)
    ending = [i for i in reminder_items(today=TODAY, per_partition=10) if i.kind == "ending"]
    assert [(i.place_id, i.date) for i in ending] == [(at_limit.pk, D(2027, 1, 9))]


@pytest.mark.parametrize(("start", "reminded"), [(D(2025, 2, 24), True), (D(2025, 2, 25), False)])
def test_r7_the_reminder_starts_exactly_three_months_before_the_longest_duration(
    training, lotsen, anna, start, reminded
) -> None:
    """2 years from 2025-02-24 ends 2027-02-23, three months after today (2026-11-23)."""
    from plans.reminders import reminder_items

    place = make_place(make_participant(lotsen), training, contact_person=anna, start=start)
    make_plan(place, established_on=D(2026, 11, 1), by=anna)
    ending = [
        i.place_id for i in reminder_items(today=TODAY, per_partition=5) if i.kind == "ending"
    ]
    assert ending == ([place.pk] if reminded else [])


def test_r13_a_long_digest_is_cut_to_the_most_urgent_and_the_rest_counted(
    training, isa, lotsen, anna, monkeypatch
) -> None:
    """One query per kind returns only the most urgent lines per contact person; the
    e-mail says how many more there are and links to the whole list."""
    import plans.services

    monkeypatch.setattr(plans.services, "LINES_PER_KIND", 2)
    plans_ = [_overdue_plan(training, lotsen, anna) for _ in range(5)]
    for days, plan in enumerate(plans_):
        plan.follow_up_due = D(2026, 6, 1) + datetime.timedelta(days=days)
        plan.renewal_due = D(2027, 6, 1)
        plan.save()
    isa_plan = _overdue_plan(isa, lotsen, anna)  # counted per programme, summed per person
    isa_plan.follow_up_due, isa_plan.renewal_due = D(2026, 7, 1), D(2027, 6, 1)
    isa_plan.save()
    assert reminder_digests_send(today=TODAY) == 1
    body = mail.outbox[0].body
    assert "6 saker behöver din uppmärksamhet" in body
    assert "Och 3 saker till." in body and "/planer/enhet/" not in body
    assert body.count("Försenad uppföljning") == 3
    assert "2026-06-01" in body and "2026-06-02" in body and "2026-06-03" not in body
    assert "2026-07-01" in body
    assert ReminderDigest.objects.get().item_count == 6


def test_r13_r14_the_place_carries_the_plans_schedule_after_every_change(
    training, lotsen, anna
) -> None:
    """The reminders read the places table alone; its copy of the plan's dates must follow
    every write of the plan (plan_create, a follow-up, a renewal)."""
    from participants.models import Enrolment
    from plans.services import plan_update

    place = make_place(make_participant(lotsen), training, contact_person=anna, start=D(2026, 1, 1))

    def copy() -> tuple[bool, object, object]:
        fresh = Enrolment.objects.get(pk=place.pk)
        return fresh.has_plan, fresh.plan_follow_up_due, fresh.plan_renewal_due

    assert copy() == (False, None, None)
    plan = make_plan(place, established_on=D(2026, 1, 5), by=anna)
    assert copy() == (True, D(2026, 4, 5), D(2027, 1, 5))
    plan.record_follow_up(on=D(2026, 4, 1), by=anna)
    assert copy() == (True, D(2026, 7, 1), D(2027, 1, 5))
    plan_update(plan=plan, expected_revision=1, fields={}, by=anna, renew_on=D(2026, 11, 20))
    assert copy() == (True, D(2027, 2, 20), D(2027, 11, 20))


def test_r13_the_daily_run_costs_the_same_queries_for_one_recipient_or_many(
    training, lotsen, anna, django_assert_max_num_queries
) -> None:
    """Selection, routing, other apps' lines and every recipient's digest row in bulk:
    nothing is read, locked or marked per recipient."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _overdue_plan(training, lotsen, anna)
    with CaptureQueriesContext(connection) as one:
        assert daily_checks_run(today=TODAY)["reminder_digests"] == 1
    ReminderDigest.objects.all().delete()
    for n in range(6):
        _overdue_plan(training, lotsen, make_staff(f"kontakt{n}", lotsen))
    with django_assert_max_num_queries(len(one)):
        assert daily_checks_run(today=TODAY)["reminder_digests"] == 7
    assert ReminderDigest.objects.filter(sent_at__isnull=False).count() == 7
    assert sorted(m.to[0] for m in mail.outbox[1:]) == sorted(
        [anna.email] + [f"kontakt{n}@lotsen.example" for n in range(6)]
    )


@pytest.mark.parametrize("prefix", ["/", "/lotsen/"])
def test_r13_each_lines_link_is_its_route_under_any_script_prefix(prefix) -> None:  # type: ignore[no-untyped-def]
    """Links are reversed once per route and prefix for tens of thousands of lines."""
    from django.urls import reverse, set_script_prefix

    from plans.reminders import Item

    def item(kind: str, plan_id: int | None) -> Item:
        return Item(kind, TODAY, 41, plan_id, "Alva", "Berg", False, "Förstegsträning", 3, 1, 9)

    set_script_prefix(prefix)
    try:
        assert item("overdue", 7).path == reverse("plans:detail", args=[7])
        assert item("missing", None).path == reverse("plans:create", args=[41])
        assert item("ending", None).path == reverse("participants:place", args=[41])
        assert item("overdue", 7).path == f"{prefix}planer/7/"
    finally:
        set_script_prefix("/")


def test_r13_what_went_out_before_an_unexpected_error_stays_marked_sent(
    training, lotsen, anna, omar, monkeypatch
) -> None:
    """All digests are sent over one connection in one transaction: an error that is not
    the mail server's stops the loop, but the mail already sent is not sent again."""
    from django.core.mail.backends.locmem import EmailBackend

    _overdue_plan(training, lotsen, anna)
    _overdue_plan(training, lotsen, omar)
    send = EmailBackend.send_messages
    calls: list[int] = []

    def fail_second(self, messages):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("a bug")
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", fail_second)
    with pytest.raises(RuntimeError):
        reminder_digests_send(today=TODAY)
    assert len(mail.outbox) == 1
    first = mail.outbox[0].to
    assert [
        d.recipient.email for d in ReminderDigest.objects.filter(sent_at__isnull=False)
    ] == first
    monkeypatch.setattr(EmailBackend, "send_messages", send)
    assert reminder_digests_send(today=TODAY) == 1
    assert {m.to[0] for m in mail.outbox} == {anna.email, omar.email}
