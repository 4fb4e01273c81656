"""CSV and XLSX of the figures behind a unit's annual report (R20, L4).

Only counts leave the unit, never a person; a count from 1 to SUPPRESS_BELOW - 1 is shown as
"färre än 5" so that nobody, and no protected person, can be picked out of a small group."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from lotsen.csvfile import csv_bytes, fewer_than
from lotsen.days import days_text, whole_days
from lotsen.xlsxfile import append_row
from reporting.figures import AnnualFigures
from reporting.indicators import GoalRow

SUPPRESS_BELOW = 5


@dataclass
class Line:
    section: str
    label: str
    value: Decimal | int | None
    count: bool = True  # a count of people or events: suppressed when small
    empty: str = ""  # what the cell says when there is no value


Count = Decimal | float | int | None


def hidden(n: Count) -> bool:
    """Whether a count is too small to leave the unit (1 to SUPPRESS_BELOW - 1; 0 is shown)."""
    return n is not None and 0 < n < SUPPRESS_BELOW


def shown_count(n: Count) -> Count | str:
    """A count as it leaves the unit (CSV, XLSX, the PDF): a small one as "färre än 5"."""
    return fewer_than(SUPPRESS_BELOW) if hidden(n) else n


def masking_note() -> str:
    """What the PDF and the exports hide, in the same words in both and on the page."""
    return _(
        "Antal personer, och antal besök och andra tillfällen de har haft, visas från 1 till "
        '%(below)s som "%(fewer)s" i PDF, CSV och Excel, som lämnar enheten, så att ingen '
        "kan pekas ut."
    ) % {"below": SUPPRESS_BELOW - 1, "fewer": fewer_than(SUPPRESS_BELOW)}


def _cell(line: Line) -> str:
    if line.value is None:
        return line.empty
    return str(shown_count(line.value) if line.count else line.value)


def lines(f: AnnualFigures, goals: list[GoalRow]) -> list[Line]:
    key, out = _("Nyckeltal"), []
    out += [
        Line(key, _("Personer med insats under året"), f.participants),
        Line(key, _("Nya platser under året"), f.new_places),
        Line(key, _("Avslutade platser under året"), f.ended_places),
    ]
    if f.kind == "day_activity":
        out += [
            Line(key, _("Besök med namn"), f.visits),
            Line(key, _("Besök utan namn"), f.attendance.anonymous_visits),
            Line(key, _("Personer i förstegsträning och Team ISA"), f.in_work_training),
            Line(key, _("Slussade till arbetsmarknadsförvaltningen"), f.handed_over),
            Line(key, _("Öppna dagar"), f.opening.open_days, count=False),
        ]
    if f.ips is not None:
        out += [
            Line(key, _("Nya ärenden under året"), f.ips.new_cases),
            Line(key, _("Aktiva ärenden vid periodens slut"), f.ips.caseload),
            Line(key, _("Personer som fick arbete"), f.ips.got_work),
            Line(key, _("Personer som började studera"), f.ips.started_studies),
        ]
    if f.treatment is not None:
        t = f.treatment
        out += [
            Line(key, _("Gruppbehandlingstillfällen"), t.group_sessions, count=False),
            Line(key, _("Deltagartillfällen i gruppbehandling"), t.attendances),
            Line(key, _("Träffar i motivationsgruppen"), t.motivation_sessions, count=False),
        ]
        for row in t.rows:
            out += [
                Line(row.name, _("Deltagare"), row.participants),
                Line(row.name, _("Fullföljde"), row.completed),
                Line(row.name, _("Avslutade i förtid"), row.ended_early),
            ]
    outcome = _("Utfall vid avslut")
    out += [Line(outcome, capfirst(str(label)), n) for label, n in f.outcomes]
    wait = _("Väntetid")
    if f.referrals is not None:
        out.append(Line(wait, _("Mottagna anmälningar"), f.referrals.received))
        median = f.referrals.waited_in_year.median_days
        # Nobody accepted in the year: the cell says what the report's PDF says ("–").
        out.append(
            Line(
                wait,
                _("Median väntetid (dagar)"),
                whole_days(median),
                count=False,
                empty=days_text(None),
            )
        )
    if f.waiting_at_end is not None:
        out.append(Line(wait, _("På väntelistan vid periodens slut"), f.waiting_at_end.count))
    if f.cost is not None:
        cost = _("Kostnad")
        out += [
            Line(cost, _("Årsersättning (kr)"), f.cost.amount, count=False),
            Line(cost, _("Kostnad per person (kr)"), f.cost.per_participant, count=False),
            Line(cost, _("Kostnad per prestation (kr)"), f.cost.per_service, count=False),
        ]
    for g in goals:
        for c in g.cells:
            out.append(Line(g.title, _("Mål %(year)s") % {"year": c.year}, c.target, count=False))
            out.append(Line(g.title, _("Utfall %(year)s") % {"year": c.year}, c.actual, g.is_count))
    return out


def _headers() -> list[str]:
    return [_("Avsnitt"), _("Uppgift"), _("Värde")]


def _value(line: Line) -> object:
    """The figure itself where it is shown, else the text that stands for it."""
    shown = _cell(line)
    return line.value if line.value is not None and shown == str(line.value) else shown


def as_csv(rows: list[Line]) -> bytes:
    return csv_bytes([_headers(), *([line.section, line.label, _value(line)] for line in rows)])


def as_xlsx(rows: list[Line], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    append_row(sheet, _headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in rows:
        append_row(sheet, [line.section, line.label, _value(line)])
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 50
    sheet.column_dimensions["C"].width = 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
