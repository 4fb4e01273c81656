"""Plan workflows: writing a plan and the daily reminder e-mails (R13)."""

from __future__ import annotations

import contextlib
import datetime
import html
import smtplib
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from lotsen.mail import templated_message
from lotsen.models import Unit, User
from participants.models import Enrolment, EnrolmentQuerySet
from plans.models import (
    ACTIVITY_FIELDS,
    DigestKind,
    Plan,
    PlanActivity,
    PlanVersion,
    ReminderDigest,
)
from plans.reminders import (
    KIND_LABELS,
    LINES_PER_KIND,
    Digest,
    EmailLine,
    managers_by_unit,
    provided_lines,
    reminder_items,
    route,
)

MAIL_ERRORS = (smtplib.SMTPException, OSError)


def plan_create(
    *,
    enrolment: Enrolment,
    established_on: datetime.date,
    goals: str,
    activities: list[dict[str, Any]],
    participation: str,
    summary: str,
    by: User,
    collaboration: str = "",
    methods: Any = (),
) -> Plan:
    plan = Plan(
        enrolment=enrolment,
        established_on=established_on,
        goals=goals,
        participation=participation,
        collaboration=collaboration,
        summary=summary,
        created_by=by,
        updated_by=by,
    )
    plan.follow_up_due = plan.due_after(established_on)
    renewal = enrolment.programme.renewal_delta()
    plan.renewal_due = established_on + renewal if renewal else None
    plan.save()
    plan.methods.set(methods)
    _activities_save(plan, activities)
    return plan


def _activities_save(plan: Plan, rows: list[dict[str, Any]]) -> None:
    """Make the plan's activities these rows, in order: rows with an id of this plan are
    changed in place, others added, and the plan's rows not among them removed."""
    existing = {activity.pk: activity for activity in plan.activities.all()}
    kept = set()
    for position, row in enumerate(rows):
        fields = {name: row[name] for name in ACTIVITY_FIELDS}
        activity = existing.get(row.get("id"))  # type: ignore[arg-type]
        if activity is None:
            PlanActivity.objects.create(plan=plan, position=position, **fields)
            continue
        kept.add(activity.pk)
        if activity.as_row() != fields or activity.position != position:
            for name, value in fields.items():
                setattr(activity, name, value)
            activity.position = position
            activity.save()
    for pk, activity in existing.items():
        if pk not in kept:
            activity.delete()


def reminder_digests_send(*, today: datetime.date) -> int:
    """Send each person at most one reminder e-mail a day, most urgent first; return how many.

    Safe to run again: see _send_once_each.
    """
    shown = LINES_PER_KIND * len(KIND_LABELS)
    items = reminder_items(today=today, per_partition=LINES_PER_KIND, shown=shown)
    routed = route(items, limit=shown)
    provided = provided_lines(today=today)
    return _send_once_each(
        {
            person: (
                "reminder_digest",
                _digest_context(routed.get(person, Digest()), provided.get(person, [])),
            )
            for person in {*routed, *provided}
        },
        kind=DigestKind.DAILY,
        today=today,
    )


def _digest_context(digest: Digest, provided: list[EmailLine] | None = None) -> dict[str, Any]:
    """Notices first (reports due), the plan lines, then other apps' lines (at most
    LINES_PER_KIND of them)."""
    notices = [line for line in provided or [] if line.get("notice")]
    provided = [line for line in provided or [] if not line.get("notice")]
    lines = [item.as_email_line() for item in digest.items]
    lines += [_with_day(line) for line in provided[:LINES_PER_KIND]]
    # Each line's words once, for both bodies, in the e-mails' language: a morning's
    # tens of thousands of lines would otherwise translate each label twice.
    with translation.override(MAIL_LANGUAGE):
        # The plan lines' labels are the kinds' own (module constants, alive all along).
        labels = {id(label): str(label) for label in KIND_LABELS.values()}
        for line in lines:
            label = line["label"]
            line["label"] = labels[id(label)] if id(label) in labels else str(label)
            line["text"] = str(_line_text(line))
    count = digest.total + len(provided)
    site = settings.SITE_URL
    return {
        "items": lines,
        # Each body's lines drawn here, not by a template loop: tens of thousands a morning.
        "lines_text": "".join(
            f"\n- {line['label']} {line['day']}: {line['text']}\n  {site}{line['path']}"
            for line in lines
        ),
        "lines_html": mark_safe(  # noqa: S308 (every value escaped by _escaped)
            "".join(
                f"\n  <li><strong>{_escaped(line['label'])} {_escaped(line['day'])}</strong>: "
                f'<a href="{_escaped(site)}{_escaped(line["path"])}">'
                f"{_escaped(line['text'])}</a></li>\n"
                for line in lines
            )
        ),
        "notices": notices,
        "count": count + len(notices),
        "more": count - len(lines),
    }


def _escaped(value: object) -> str:
    """conditional_escape for the plain strings of many lines: Python's html.escape, as
    Django's escape is, without the lazy-text wrapper's cost per value."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


MAIL_LANGUAGE = "sv"  # reminder e-mails are in Swedish, whoever receives them

# What a line says when it names no one (another app's line says what instead: "hidden").
UNNAMED = gettext_lazy("en av dina planer behöver uppmärksamhet")


def _line_text(line: EmailLine) -> object:
    """What the line says, made once for both bodies (the text and the HTML escape it as
    they show it): the person and programme; for a protected identity (never named in an
    e-mail) what another app says instead, or that one of the plans needs attention."""
    if line.get("name"):
        return f"{line['name']}, {line['programme']}"
    return line.get("hidden") or UNNAMED


def _with_day(line: EmailLine) -> EmailLine:
    """Another app's line with its date as the e-mails show it (Y-m-d), as Item's lines
    have it: the template's date filter is slow at tens of thousands of lines a morning."""
    date = line["date"]
    return {**line, "day": date.isoformat() if isinstance(date, datetime.date) else ""}


def weekly_summaries_send(*, today: datetime.date) -> int:
    """The unit manager's weekly summary: overdue items per contact person in their units."""
    overdue = reminder_items(
        today=today, kinds=("overdue", "missing"), per_partition=LINES_PER_KIND
    )
    managers: dict[User, set[int]] = defaultdict(set)
    for unit_id, unit_managers in managers_by_unit(overdue).items():
        for manager in unit_managers:
            managers[manager].add(unit_id)
    summaries: dict[User, tuple[str, dict[str, Any]]] = {}
    for manager, unit_ids in managers.items():
        by_contact: dict[tuple[str, int], Digest] = defaultdict(Digest)
        for item in overdue:
            if item.unit_id in unit_ids:
                by_contact[item.contact_name, item.contact_id or 0].add(item)
        groups = [
            (name, _digest_context(digest.finish(LINES_PER_KIND)))
            for (name, _id), digest in sorted(by_contact.items())
        ]
        context = {"groups": groups, "count": sum(g["count"] for _name, g in groups)}
        summaries[manager] = ("weekly_summary", context)
    return _send_once_each(summaries, kind=DigestKind.WEEKLY, today=today)


def _send_once_each(
    mails: dict[User, tuple[str, dict[str, Any]]], *, kind: str, today: datetime.date
) -> int:
    """Send each person's mail (template, context) unless it went out today; return how many.

    One transaction creates and locks every recipient's digest row for the day and marks
    sent the ones whose mail went out, so a second run the same day (or one at the same
    time, which waits for the lock) sends nothing new. The mails go over one connection;
    one refused address must not stop the others: the first failure is raised after the
    loop, so the task retries, and the digests not marked sent are sent then.
    """
    reachable = {person.pk: person for person in mails if person.email}
    if not reachable:
        return 0
    with transaction.atomic():
        ReminderDigest.objects.bulk_create(
            [ReminderDigest(recipient_id=pk, date=today, kind=kind) for pk in reachable],
            ignore_conflicts=True,
        )
        unsent = ReminderDigest.objects.select_for_update().filter(
            recipient_id__in=reachable, date=today, kind=kind, sent_at__isnull=True
        )
        outgoing = []
        with translation.override(MAIL_LANGUAGE):
            for digest in unsent.order_by("recipient_id"):
                person = reachable[digest.recipient_id]
                template, context = mails[person]
                digest.item_count = context["count"]
                context = {**context, "person": person, "today": today}
                outgoing.append((digest, templated_message(template, context, to=[person.email])))
        delivered, failure = _deliver(outgoing)
        sent_at = timezone.now()
        for digest in delivered:
            digest.sent_at = sent_at
        ReminderDigest.objects.bulk_update(delivered, ["item_count", "sent_at"])
    if failure is not None:
        raise failure
    return len(delivered)


def _deliver(
    outgoing: Sequence[tuple[ReminderDigest, EmailMessage]],
) -> tuple[list[ReminderDigest], Exception | None]:
    """Send the mails; return the digests whose mail went out and the first failure.

    Over an SMTP server, EMAIL_CONNECTIONS connections at once, each with every n-th mail:
    a mail's time is mostly waiting for the server's answers, and the waits overlap. Other
    backends (the console, tests' outbox) get one, in order.
    """
    connections = settings.EMAIL_CONNECTIONS
    if not isinstance(get_connection(), SMTPBackend) or len(outgoing) < 2 * connections:
        return _deliver_over_one(outgoing)
    shares = [outgoing[i::connections] for i in range(connections)]
    with ThreadPoolExecutor(connections, thread_name_prefix="smtp") as pool:
        results = list(pool.map(_deliver_over_one, shares))
    delivered = [digest for sent, _failure in results for digest in sent]
    if not any(failure for _sent, failure in results):
        return delivered, None
    # A server that takes fewer connections at once refuses one: what its share did not
    # send goes once more over a single connection (a refused address is refused again).
    went = {id(digest) for digest in delivered}
    rest = [(digest, message) for digest, message in outgoing if id(digest) not in went]
    sent_now, failure = _deliver_over_one(rest)
    return delivered + sent_now, failure


def _deliver_over_one(
    outgoing: Sequence[tuple[ReminderDigest, EmailMessage]],
) -> tuple[list[ReminderDigest], Exception | None]:
    """Send over one connection; return the digests whose mail went out and the first failure.

    A refused mail closes the connection and the next one opens a new session; a server
    that cannot be reached, or an error that is not the mail server's, stops the loop.
    Nothing is raised here, so that what went out is always marked sent.
    """
    try:
        connection = get_connection()
    except Exception as error:  # a setting that names no backend: nothing went out
        return [], error
    delivered: list[ReminderDigest] = []
    failure: Exception | None = None
    try:
        for digest, message in outgoing:
            try:
                connection.open()
            except Exception as error:  # unreachable, refused us (TLS, login), or a bug
                failure = failure or error
                break
            try:
                connection.send_messages([message])
            except MAIL_ERRORS as error:
                failure = failure or error
                with contextlib.suppress(*MAIL_ERRORS):
                    connection.close()
                continue
            except Exception as error:  # raised by the caller, after marking what went out
                failure = failure or error
                break
            delivered.append(digest)
    finally:
        with contextlib.suppress(*MAIL_ERRORS):
            connection.close()
    return delivered, failure


def daily_checks_run(*, today: datetime.date) -> dict[str, int]:
    """Everything the daily schedule does; the Celery task and the command both call this."""
    result = {"reminder_digests": reminder_digests_send(today=today)}
    if today.weekday() == settings.WEEKLY_SUMMARY_WEEKDAY:
        result["weekly_summaries"] = weekly_summaries_send(today=today)
    return result


def plan_places(
    *, units: QuerySet[Unit], today: datetime.date, filters: dict[str, Any]
) -> EnrolmentQuerySet:
    """Running places that need a plan (R13), filtered in the database by a PlanStatus,
    programme and contact person."""
    places = (
        Enrolment.objects.filter(programme__unit__in=units)
        .needing_plan()
        .running_on(today)
        .select_related("participant", "programme", "contact_person", "plan")
        .order_by("plan_follow_up_due", "participant__last_name", "pk")
    )
    if filters.get("status"):
        places = places.with_plan_status(filters["status"], on=today)
    if filters.get("programme"):
        places = places.filter(programme=filters["programme"])
    if filters.get("contact_person"):
        places = places.filter(contact_person=filters["contact_person"])
    return places


class PlanConflict(Exception):
    """Someone else saved the plan after this user opened it."""

    def __init__(self, current: Plan) -> None:
        super().__init__("plan changed")
        self.current = current


def plan_update(
    *,
    plan: Plan,
    expected_revision: int,
    fields: dict[str, Any],
    by: User,
    renew_on: datetime.date | None = None,
    activities: list[dict[str, Any]] | None = None,
) -> Plan:
    """Save a new text of the plan; the old text stays as a PlanVersion (L1, R14).

    With `renew_on` the plan is renewed: established anew that day, with new follow-up
    and renewal dates. Raises PlanConflict if the plan changed since `expected_revision`.
    """
    with transaction.atomic():
        current = Plan.objects.select_for_update().get(pk=plan.pk)
        if current.revision != expected_revision:
            raise PlanConflict(current)
        PlanVersion.objects.create(
            plan=current,
            revision=current.revision,
            established_on=current.established_on,
            goals=current.goals,
            activity_rows=[activity.as_row() for activity in current.activities.all()],
            participation=current.participation,
            methods=", ".join(m.name for m in current.methods.all()),
            collaboration=current.collaboration,
            summary=current.summary,
            written_by=current.updated_by or current.created_by,
            replaced_by=by,
            renewed=renew_on is not None,
        )
        methods = fields.pop("methods", None)
        for name, value in fields.items():
            setattr(current, name, value)
        if renew_on is not None:
            current.established_on = renew_on
            current.follow_up_due = current.due_after(renew_on)
            renewal = current.enrolment.programme.renewal_delta()
            current.renewal_due = renew_on + renewal if renewal else None
        current.revision += 1
        current.updated_by = by
        current.save()
        if methods is not None:
            current.methods.set(methods)
        if activities is not None:
            _activities_save(current, activities)
    return current
