"""The annual report's workflows: the manager's text, goals, reminders and the files made."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone

from lotsen.models import Role, Unit, User
from reporting.figures import AnnualFigures, annual_figures, annual_report_pdf
from reporting.indicators import goal_rows
from reporting.models import (
    TEXT_FIELDS,
    FileStatus,
    ReportFile,
    ReportSchedule,
    ReportText,
    ReportTextVersion,
)
from treatment.results import results

__all__ = [
    "AnnualFigures",
    "ReportTextConflict",
    "annual_figures",
    "annual_report_pdf",
    "report_context",
    "report_mark_sent",
    "report_reminders",
    "report_text_save",
]


def report_context(*, unit: Unit, year: int, today: datetime.date) -> dict[str, Any]:
    """Everything the report shows: figures, the manager's text, goals and charts."""
    from reporting.charts import report_charts

    figures = annual_figures(unit=unit, year=year, today=today)
    text = ReportText.objects.filter(unit=unit, year=year).first()
    goals = goal_rows(unit=unit, year=year, today=today)
    return {
        "f": figures,
        "text": text.texts() if text else {},
        "goals": goals,
        "goal_years": [year - 2, year - 1, year],
        "results": (
            results(
                unit=unit,
                dimension="programme",
                started_in=year,
                measured_by=datetime.date(year, 12, 31),
            )
            if figures.kind == "treatment"
            else []
        ),
        "charts": report_charts(figures, goals),
    }


def report_pdf(*, unit: Unit, year: int, today: datetime.date, base_url: str) -> bytes:
    context = report_context(unit=unit, year=year, today=today)
    return annual_report_pdf(context.pop("f"), base_url=base_url, **context)


class ReportTextConflict(Exception):
    """Someone else saved the text after this user opened it."""

    def __init__(self, current: ReportText) -> None:
        super().__init__("report text changed")
        self.current = current


def report_text_save(
    *, unit: Unit, year: int, fields: dict[str, str], revision: int, by: User
) -> ReportText:
    """Save the manager's text as it is typed. A save that changes the text keeps the earlier
    wording as a version; a save based on an older revision is refused (two managers)."""
    with transaction.atomic():
        text, _created = ReportText.objects.select_for_update().get_or_create(unit=unit, year=year)
        if revision != text.revision:
            raise ReportTextConflict(text)
        new = {name: fields.get(name, "") for name in TEXT_FIELDS}
        if new == text.texts():
            return text
        if text.revision:
            ReportTextVersion.objects.create(
                text=text,
                revision=text.revision,
                saved_at=text.saved_at,
                saved_by=text.saved_by,
                **text.texts(),
            )
        for name, value in new.items():
            setattr(text, name, value)
        text.revision += 1
        text.saved_at = timezone.now()
        text.saved_by = by
        text.save()
    return text


def report_mark_sent(*, unit: Unit, year: int, on: datetime.date, by: User) -> ReportText:
    """R20: the report was sent to the administration on `on`; reminders stop."""
    with transaction.atomic():
        text, _created = ReportText.objects.select_for_update().get_or_create(unit=unit, year=year)
        text.sent_on, text.sent_by = on, by
        text.save(update_fields=["sent_on", "sent_by"])
    return text


@dataclass(frozen=True)
class ReportReminder:
    """R20: a unit's report for `year` is not yet marked as sent."""

    unit_id: int
    unit_name: str
    year: int
    due: datetime.date

    @property
    def path(self) -> str:
        return reverse("reporting:report", args=[self.unit_id, self.year])


def report_reminders(
    *, today: datetime.date, units: QuerySet[Unit] | None = None
) -> list[ReportReminder]:
    """Reports of last year due this year, from the reminder date until marked sent."""
    year = today.year - 1
    schedules = ReportSchedule.objects.select_related("unit")
    if units is not None:
        schedules = schedules.filter(unit__in=units)
    sent = set(
        ReportText.objects.filter(year=year, sent_on__isnull=False).values_list(
            "unit_id", flat=True
        )
    )
    return [
        ReportReminder(
            s.unit_id, s.unit.name, year, datetime.date(today.year, s.due_month, s.due_day)
        )
        for s in schedules
        if s.unit_id not in sent
        and today >= datetime.date(today.year, s.remind_from_month, s.remind_from_day)
    ]


def manager_report_notices(today: datetime.date) -> dict[User, list[dict[str, object]]]:
    """For the daily digest: per active manager with an e-mail address, the reports they
    are reminded of (notices, shown first)."""
    reminders = report_reminders(today=today)
    if not reminders:
        return {}
    by_unit = {r.unit_id: r for r in reminders}
    through = (
        User.units.through.objects.filter(
            unit_id__in=by_unit, user__is_active=True, user__role=Role.MANAGER
        )
        .exclude(user__email="")
        .select_related("user")
    )
    notices: dict[User, list[dict[str, object]]] = {}
    for membership in through:
        r = by_unit[membership.unit_id]
        notices.setdefault(membership.user, []).append(
            {"notice": True, "unit": r.unit_name, "year": r.year, "due": r.due, "path": r.path}
        )
    return notices


def report_file_request(*, unit: Unit, year: int, by: User) -> ReportFile:
    """A new version of the PDF, to be built in the background (the view queues the task)."""
    with transaction.atomic():
        Unit.objects.select_for_update().get(pk=unit.pk)  # one version number at a time
        last = ReportFile.objects.filter(unit=unit, year=year).aggregate(v=Max("version"))["v"]
        file = ReportFile.objects.create(
            unit=unit, year=year, version=(last or 0) + 1, requested_by=by
        )
    return file


def report_file_build(*, file_id: int, today: datetime.date, base_url: str) -> ReportFile:
    """Build the PDF of a queued file, noting progress on the way; safe to run twice."""
    file = ReportFile.objects.select_related("unit").get(pk=file_id)
    if file.status == FileStatus.DONE:
        return file
    progress = ReportFile.objects.filter(pk=file_id)
    progress.update(status=FileStatus.RUNNING, progress=10)
    try:
        context = report_context(unit=file.unit, year=file.year, today=today)
        progress.update(progress=60)
        pdf = annual_report_pdf(context.pop("f"), base_url=base_url, **context)
    except Exception:
        progress.update(status=FileStatus.FAILED)
        raise
    progress.update(status=FileStatus.DONE, progress=100, pdf=pdf, finished_at=timezone.now())
    file.refresh_from_db()
    return file
