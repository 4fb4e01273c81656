"""The person's own copy (GDPR art. 15): the unit's whole record of one person, as data
that renders both as a PDF and as a JSON file; redacted for the inspectorate without
identity numbers or contact details (L4)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import ActivityMember, AttendanceCorrection, SessionAttendance
from employment.models import Case, CaseStep, EmployerContact, JobStart
from journal.models import Entry, EntryCorrection, EntryNote
from lotsen.models import User
from participants.models import (
    Assessment,
    Enrolment,
    HoursChange,
    HousingSupport,
    Participant,
    Relative,
    Visit,
    Workplace,
)
from plans.models import FollowUp, GoalProgress, Plan, PlanActivity, PlanVersion
from referrals.models import OutreachActivity, Referral, ReferralStep
from treatment.models import (
    CourseParticipant,
    IndividualSession,
    Measurement,
    MeasurementCorrection,
    MeasurementValue,
)

# Bookkeeping of the pages, nothing about the person: a form's double-submit key, an
# entry's key of the same kind, and the position number of a plan's rows.
INTERNAL_FIELDS = frozenset({"submission_key", "key", "position"})
# A record shared by several people: its free text may be about the others, so the person's
# copy shows what it was (date, kind, where, how many), not what was written.
ABOUT_OTHERS: dict[type[models.Model], frozenset[str]] = {OutreachActivity: frozenset({"notes"})}
# Left out of the inspectorate's copy: identity numbers and how to reach people (L4).
REDACTED_FIELDS = frozenset(
    {"identity_number", "address", "phone", "email", "contact_phone", "contact_email"}
    | {"supervisor_contact"}
)


def record_parts(p: Participant) -> list[tuple[type[models.Model], Q]]:
    """Every table that holds the person's record, and how each row reaches the person.

    tests/test_register_extract.py fails when a table that links to a person or a place is
    missing here. The journal's drafts are left out on purpose: a text still being written is
    the writer's working material until it is saved as an entry."""
    place = Q(enrolment__participant=p)
    return [
        (Participant, Q(pk=p.pk)),
        (Enrolment, Q(participant=p)),
        (HoursChange, place),
        (Workplace, place),
        (Plan, place),
        (PlanActivity, Q(plan__enrolment__participant=p)),
        (PlanVersion, Q(plan__enrolment__participant=p)),
        (FollowUp, Q(plan__enrolment__participant=p)),
        (GoalProgress, Q(follow_up__plan__enrolment__participant=p)),
        (Entry, Q(participant=p)),
        (EntryCorrection, Q(entry__participant=p)),
        (EntryNote, Q(entry__participant=p)),
        (Visit, Q(participant=p)),
        (SessionAttendance, Q(participant=p)),
        (AttendanceCorrection, Q(participant=p)),
        (ActivityMember, Q(participant=p)),
        (Referral, Q(participant=p)),
        (ReferralStep, Q(referral__participant=p)),
        (Assessment, Q(participant=p)),
        (Relative, Q(participant=p)),
        (HousingSupport, Q(participant=p)),
        (CourseParticipant, Q(participant=p)),
        (Measurement, Q(membership__participant=p)),
        (MeasurementValue, Q(measurement__membership__participant=p)),
        (MeasurementCorrection, Q(measurement__membership__participant=p)),
        (Case, place),
        (CaseStep, Q(case__enrolment__participant=p)),
        (JobStart, Q(case__enrolment__participant=p)),
        (EmployerContact, Q(case__enrolment__participant=p)),
        (IndividualSession, Q(participant=p)),
        (OutreachActivity, Q(participants=p)),
    ]


# Labels for the bookkeeping fields that carry no verbose name of their own.
COMMON_LABELS = {
    "id": _("nummer"),
    "revision": _("version"),
    "created_at": _("skapad"),
    "created_by": _("skapad av"),
    "updated_at": _("ändrad"),
    "updated_by": _("ändrad av"),
    "recorded_at": _("registrerad"),
    "recorded_by": _("registrerad av"),
    "replaced_by": _("ersatt av"),
    "written_by": _("skriven av"),
    "added_by": _("tillagd av"),
    "added_at": _("tillagd"),
    "ended_by": _("avslutad av"),
    "at": _("tidpunkt"),
    "by": _("av"),
}


COMMON_LABELS |= {
    "replaced_at": _("ersatt"),
    "notified_at": _("avisering skickad"),
    "from_status": _("från status"),
    "to_status": _("till status"),
    "from_step": _("från steg"),
    "to_step": _("till steg"),
    "has_plan": _("har plan"),
    "plan_follow_up_due": _("nästa uppföljning"),
    "plan_renewal_due": _("planen förnyas senast"),
    "number": _("värde"),
    "choice": _("svar"),
    "place": _("plats"),
    "membership": _("kursdeltagande"),
}


def _label(f: models.Field) -> str:  # type: ignore[type-arg]
    if f.name in COMMON_LABELS:
        return str(COMMON_LABELS[f.name])
    unnamed = str(f.verbose_name) == f.name.replace("_", " ")
    related = f.related_model
    if unnamed and f.is_relation and related is not None and not isinstance(related, str):
        # A link with no label of its own is named by what it links to, in Swedish.
        return str(related._meta.verbose_name)
    return str(f.verbose_name)


@dataclass
class Section:
    key: str  # the model's label, stable for machines
    title: str
    labels: dict[str, str]
    rows: list[dict[str, Any]] = field(default_factory=list)

    def labelled_rows(self) -> list[list[tuple[str, Any]]]:
        return [[(self.labels[k], v) for k, v in row.items()] for row in self.rows]


@dataclass
class RecordExtract:
    participant: Participant
    redacted: bool
    made_at: datetime.datetime
    made_by: User
    sections: list[Section]

    def as_json(self) -> dict[str, Any]:
        return {
            "format": "lotsen-registerutdrag/1",
            "unit": self.participant.unit.name,
            "redacted": self.redacted,
            "made_at": self.made_at.isoformat(),
            "made_by": str(self.made_by),
            "records": {
                s.key: {"title": s.title, "labels": s.labels, "rows": s.rows} for s in self.sections
            },
        }


def _value(obj: models.Model, f: models.Field, names: dict[tuple[Any, int], str]) -> Any:  # type: ignore[type-arg]
    """A readable value: what a link points to by name (never an internal number), choices
    in words, times in local time to the minute; decimals stay numbers (the PDF shows
    them with a decimal comma, the JSON file as exact strings)."""
    if f.is_relation:
        related_id = getattr(obj, f.attname)
        return names.get((f.related_model, related_id)) if related_id else None
    if f.choices:
        return getattr(obj, f"get_{f.name}_display")()
    value = getattr(obj, f.attname)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _names(
    parts: list[tuple[type[models.Model], list[models.Model]]],
) -> dict[tuple[Any, int], str]:
    """The names of everything the record links to: one query per kind of thing linked."""
    wanted: dict[Any, set[int]] = {}
    for model, rows in parts:
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is not None:
                ids = {getattr(row, f.attname) for row in rows} - {None}
                wanted.setdefault(f.related_model, set()).update(ids)
    names: dict[tuple[Any, int], str] = {}
    for related, ids in wanted.items():
        if ids:
            for pk, obj in related._default_manager.in_bulk(ids).items():
                names[(related, pk)] = str(obj)
    return names


def record_extract(*, participant: Participant, by: User, redacted: bool) -> RecordExtract:
    """One query per table of the record, and one per kind of thing it links to."""
    parts = [
        (model, list(model._default_manager.filter(where).order_by("pk")))
        for model, where in record_parts(participant)
    ]
    names = _names(parts)
    sections = []
    for model, rows in parts:
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.name not in INTERNAL_FIELDS | ABOUT_OTHERS.get(model, frozenset())
            and not (redacted and f.name in REDACTED_FIELDS)
        ]
        section = Section(
            key=model._meta.label,
            title=str(model._meta.verbose_name_plural),
            labels={f.name: _label(f) for f in fields},
        )
        section.rows = [{f.name: _value(row, f, names) for f in fields} for row in rows]
        sections.append(section)
    return RecordExtract(participant, redacted, timezone.localtime(), by, sections)
