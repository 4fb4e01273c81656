"""The IPS figures (R21, R22): per specialist and for the team, for any date range, against
the programme's targets. Counts under the programme's threshold are suppressed in anything
that leaves the unit. A fixed number of queries whatever the number of cases."""

from __future__ import annotations

import calendar
import datetime
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Min, Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from employment.models import (
    WORK_KINDS,
    Case,
    EmployerContact,
    EmploymentProgramme,
    JobKind,
    JobStart,
    fte_days,
    fte_on,
)
from lotsen.csvfile import fewer_than
from referrals.models import ReferralStep, Status
from referrals.services import WaitingFigures, waiting_figures, waiting_now


@dataclass
class Row:
    """One column of the report: a specialist, or the team."""

    name: str
    # R21: the FTE of the period, not today's: the shares summed over each day of the
    # period, and of its part up to `as_of` (contacts are counted to then), and the share on
    # `as_of` (the caseload ceiling is for that day).
    fte_days: Decimal = Decimal(0)
    fte_days_to_date: Decimal = Decimal(0)
    fte_at_end: Decimal = Decimal(0)
    fte: Decimal = Decimal(0)  # the period's average share: fte_days over its days
    new_cases: int = 0
    caseload: int = 0
    first_contact_days: list[int] = field(default_factory=list)
    first_contact_late: int = 0  # no contact yet, and past the target
    no_contact_yet: int = 0  # no contact yet, still within the target
    contacts: int = 0
    got_work: set[int] = field(default_factory=set)
    started_studies: set[int] = field(default_factory=set)
    job_starts: int = 0
    short_due: int = 0
    short_still: int = 0
    long_due: int = 0
    long_still: int = 0

    @property
    def first_contact_evaluated(self) -> int:
        return len(self.first_contact_days) + self.first_contact_late


@dataclass
class MonthQueue:
    year: int
    month: int
    queue_at_end: int
    waits: WaitingFigures  # received to accepted, for those accepted in the month


@dataclass
class Figures:
    programme: EmploymentProgramme
    start: datetime.date
    end: datetime.date
    as_of: datetime.date
    team: Row
    specialists: list[Row]
    waiting: WaitingFigures
    months: list[MonthQueue]
    today: datetime.date  # the waiting list "now" is today's, whatever the period

    @property
    def weeks(self) -> Decimal:
        return Decimal(self.days_to_date) / 7

    @property
    def days_to_date(self) -> int:
        return (min(self.end, self.as_of) - self.start).days + 1

    def fte_years(self, row: Row) -> Decimal:
        """The FTE-years worked in the period, as the shares stood on each of its days."""
        in_year = 366 if calendar.isleap(self.start.year) else 365
        return row.fte_days / in_year

    def target_new(self, row: Row) -> tuple[Decimal, Decimal]:
        """R21: 20–25 new cases per FTE-year, from the staffing of the period itself."""
        p = self.programme
        years = self.fte_years(row)
        return years * p.new_cases_per_fte_min, years * p.new_cases_per_fte_max

    def max_caseload(self, row: Row) -> Decimal:
        return row.fte_at_end * self.programme.max_caseload_per_fte

    def contacts_per_week(self, row: Row) -> Decimal | None:
        return Decimal(row.contacts) / self.weeks if self.weeks > 0 else None

    def contacts_target(self, row: Row) -> Decimal:
        """Per week, from the average share over the days the contacts were counted."""
        fte = row.fte_days_to_date / self.days_to_date if self.days_to_date > 0 else Decimal(0)
        return fte * self.programme.employer_contacts_per_week

    def first_contact_within(self, row: Row) -> int:
        target = self.programme.first_contact_days
        return sum(1 for days in row.first_contact_days if days <= target)


def period_figures(
    programme: EmploymentProgramme,
    *,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date,
) -> Figures:
    as_of = min(end, today)
    team = Row(name=_("Teamet"))
    rows: dict[int, Row] = {}
    days = (end - start).days + 1
    for s in programme.specialists.select_related("user").prefetch_related("fte_shares"):
        shares = s.shares()
        row = rows[s.user_id] = Row(
            name=str(s.user),
            fte_days=fte_days(shares, start, end),
            fte_days_to_date=fte_days(shares, start, as_of),
            fte_at_end=fte_on(shares, as_of),
        )
        row.fte = row.fte_days / days
        team.fte_days += row.fte_days
        team.fte_days_to_date += row.fte_days_to_date
        team.fte_at_end += row.fte_at_end
        team.fte += row.fte

    def row_of(user_id: int) -> Row:
        return rows.setdefault(user_id, Row(name=_("Tidigare medarbetare")))

    _cases(programme, start, end, as_of, team, row_of)
    for user_id, n in (
        EmployerContact.objects.filter(employer__unit_id=programme.programme.unit_id)
        .filter(on__range=(start, as_of))
        .values_list("by")
        .annotate(n=Count("pk"))
    ):
        row_of(user_id).contacts += n
        team.contacts += n
    _jobs(programme, start, end, as_of, team, row_of)
    return Figures(
        programme=programme,
        start=start,
        end=end,
        as_of=as_of,
        team=team,
        specialists=list(rows.values()),
        waiting=waiting_now(programme.programme, today=today),
        today=today,
        months=_queue_by_month(programme, start, as_of),
    )


def _cases(programme, start, end, as_of, team, row_of) -> None:  # type: ignore[no-untyped-def]
    """New cases, the caseload at the end, and the days to the first employer contact."""
    cases = (
        Case.objects.filter(programme=programme, intake_on__lte=as_of)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .annotate(first_contact=Min("employer_contacts__on"))
        .values_list("specialist_id", "intake_on", "ended_on", "first_contact")
    )
    target = programme.first_contact_days
    for specialist_id, intake_on, ended_on, first_contact in cases:
        rows = (row_of(specialist_id), team)
        for row in rows:
            if ended_on is None or ended_on > as_of:
                row.caseload += 1
            if intake_on < start:
                continue
            # A new case: intake in the period; the capacity page and the manager's home
            # count the same (participants.services.with_new_cases).
            row.new_cases += 1
            if first_contact is not None and first_contact <= as_of:
                row.first_contact_days.append((first_contact - intake_on).days)
            elif (as_of - intake_on).days > target:
                row.first_contact_late += 1
            else:
                row.no_contact_yet += 1


def _jobs(programme, start, end, as_of, team, row_of) -> None:  # type: ignore[no-untyped-def]
    """Job and study starts in the period, and who was still employed 3 and 6 months on."""
    earliest = start - relativedelta(months=programme.retention_months_long)
    jobs = JobStart.objects.filter(
        case__programme=programme, start_date__range=(earliest, as_of)
    ).select_related("case")
    for job in jobs:
        rows = (row_of(job.case.specialist_id), team)
        for row in rows:
            if start <= job.start_date:
                row.job_starts += 1
                if job.kind in WORK_KINDS:
                    row.got_work.add(job.case_id)
                elif job.kind == JobKind.STUDIES:
                    row.started_studies.add(job.case_id)
            if job.kind not in WORK_KINDS:
                continue
            for months, due, still in (
                (programme.retention_months_short, "short_due", "short_still"),
                (programme.retention_months_long, "long_due", "long_still"),
            ):
                mark = job.mark(months)
                if start <= mark <= as_of:
                    setattr(row, due, getattr(row, due) + 1)
                    if job.still_on(mark):
                        setattr(row, still, getattr(row, still) + 1)


def _month_ends(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    ends = []
    day = start.replace(day=1)
    while day <= end:
        last = day + relativedelta(months=1) - datetime.timedelta(days=1)
        ends.append(min(last, end))
        day += relativedelta(months=1)
    return ends


def _queue_by_month(
    programme: EmploymentProgramme, start: datetime.date, end: datetime.date
) -> list[MonthQueue]:
    """R22: how many waited at each month's end, and the waits of those accepted in it."""
    steps = ReferralStep.objects.filter(
        referral__programme_id=programme.programme_id, on__lte=end
    ).values_list("referral_id", "to_status", "on", "referral__received_on")
    history: dict[int, list[tuple[datetime.date, str]]] = defaultdict(list)
    accepted: Counter[tuple[int, int]] = Counter()
    waits: dict[tuple[int, int], list[int]] = defaultdict(list)
    for referral_id, to_status, on, received_on in steps:
        history[referral_id].append((on, to_status))
        if to_status == Status.ACCEPTED and on >= start:
            waits[(on.year, on.month)].append((on - received_on).days)
            accepted[(on.year, on.month)] += 1
    months = []
    for month_end in _month_ends(start, end):
        queue = 0
        for path in history.values():
            status = None
            for on, to_status in sorted(path):
                if on <= month_end:
                    status = to_status
            queue += status == Status.WAITING
        key = (month_end.year, month_end.month)
        months.append(MonthQueue(key[0], key[1], queue, waiting_figures(waits.get(key, []))))
    return months


# --- Presentation: the same rows for the page, the PDF and the CSV ----------------------


def _dec(value: Decimal | float | None, places: int = 1) -> str:
    if value is None:
        return "–"
    quantum = Decimal(1).scaleb(-places)
    return number_format(Decimal(str(value)).quantize(quantum, ROUND_HALF_UP), places)


def _num(value: Decimal) -> str:
    """A target: whole numbers without decimals (20, not 20,0)."""
    return _dec(value, 0) if value == value.to_integral_value() else _dec(value)


class Cells:
    """Formats counts, hiding those under the threshold when the report leaves the unit.

    A small count shows as "färre än 5", the words of every export: it is still a count. A
    median, a share or a rate of a group that small is no count, so it shows as
    `withheld()`, the same words in the PDF and the CSV; the page, which stays in the unit,
    shows every value and says what the exports hide.
    """

    def __init__(self, threshold: int | None) -> None:
        self.threshold = threshold

    def hidden(self, n: int) -> bool:
        return self.threshold is not None and 0 < n < self.threshold

    def withheld(self) -> str:
        return withheld(self.threshold or 0)

    def count(self, n: int) -> str:
        return fewer_than(self.threshold or 0) if self.hidden(n) else str(n)

    def of(self, part: int, whole: int) -> str:
        """`part av whole`; both hidden when the group is small."""
        if whole == 0:
            return "–"
        if self.hidden(whole):
            return fewer_than(self.threshold or 0)
        shown = fewer_than(self.threshold or 0) if self.hidden(part) else part
        return _("%(part)s av %(whole)s") % {"part": shown, "whole": whole}

    def share(self, part: int, whole: int) -> str:
        if whole == 0:
            return "–"
        if self.hidden(whole):
            return self.withheld()
        return f"{_dec(Decimal(part * 100) / whole, 0)} %"

    def median(self, values: list[int]) -> str:
        if not values:
            return "–"
        if self.hidden(len(values)):
            return self.withheld()
        return _dec(statistics.median(values))


def withheld(threshold: int) -> str:
    """What a median or share of a group under the threshold shows as outside the unit."""
    return _("dolt, färre än %(n)s") % {"n": threshold}


def suppression_note(threshold: int) -> str:
    """What the PDF and the CSV hide, in the same words on the page and in both of them."""
    return _(
        "I PDF och CSV, som lämnar enheten, visas antal från 1 till %(below)s som "
        '"%(fewer)s", och medianer, andelar och kontakter per vecka för grupper med färre '
        'än %(n)s som "%(withheld)s".'
    ) % {
        "below": threshold - 1,
        "fewer": fewer_than(threshold),
        "n": threshold,
        "withheld": withheld(threshold),
    }


def table(figures: Figures, *, suppress: bool) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Column headings and rows (label, one cell per column) for the team and each specialist."""
    cells = Cells(figures.programme.suppress_below if suppress else None)
    p = figures.programme
    columns = [figures.team, *figures.specialists]
    within_label = _("Första arbetsgivarkontakt inom %(days)s dagar") % {
        "days": p.first_contact_days
    }

    def target_new(r: Row) -> str:
        low, high = figures.target_new(r)
        return f"{_dec(low)}–{_dec(high)}"

    rows: list[tuple[str, list[str]]] = [
        (_("Årsarbetare i perioden, genomsnitt"), [_dec(r.fte, 2) for r in columns]),
        (_("Årsarbetare vid periodens slut"), [_dec(r.fte_at_end, 2) for r in columns]),
        (_("Nya ärenden"), [cells.count(r.new_cases) for r in columns]),
        (_("Mål för nya ärenden i perioden"), [target_new(r) for r in columns]),
        (_("Aktiva ärenden vid periodens slut"), [cells.count(r.caseload) for r in columns]),
        (_("Högst aktiva ärenden"), [_num(figures.max_caseload(r)) for r in columns]),
        (
            _("Dagar från inskrivning till första arbetsgivarkontakt, median"),
            [cells.median(r.first_contact_days) for r in columns],
        ),
        (
            within_label,
            [
                cells.share(figures.first_contact_within(r), r.first_contact_evaluated)
                for r in columns
            ],
        ),
        (
            _("Nya ärenden som ännu väntar på första kontakt"),
            [cells.count(r.no_contact_yet) for r in columns],
        ),
        (_("Arbetsgivarkontakter"), [cells.count(r.contacts) for r in columns]),
        (
            _("Arbetsgivarkontakter per vecka"),
            [
                _dec(figures.contacts_per_week(r))
                if not cells.hidden(r.contacts)
                else cells.withheld()
                for r in columns
            ],
        ),
        (_("Mål för kontakter per vecka"), [_num(figures.contacts_target(r)) for r in columns]),
        (_("Personer som fick arbete"), [cells.count(len(r.got_work)) for r in columns]),
        (
            _("Personer som började studera"),
            [cells.count(len(r.started_studies)) for r in columns],
        ),
        # Every start, internships too: one person can start several (R21).
        (
            _("Starter av arbete, studier och praktik (en person kan ha flera starter)"),
            [cells.count(r.job_starts) for r in columns],
        ),
        (
            _("Kvar i arbete efter %(n)s månader") % {"n": p.retention_months_short},
            [cells.of(r.short_still, r.short_due) for r in columns],
        ),
        (
            _("Kvar i arbete efter %(n)s månader") % {"n": p.retention_months_long},
            [cells.of(r.long_still, r.long_due) for r in columns],
        ),
    ]
    return [r.name for r in columns], rows


def queue_rows(figures: Figures, *, suppress: bool) -> list[tuple[str, str, str, str]]:
    """R22 by month: the month, people waiting at its end, the median wait of those accepted
    in the month, and how many they were."""
    cells = Cells(figures.programme.suppress_below if suppress else None)
    return [
        (
            f"{m.year}-{m.month:02d}",
            cells.count(m.queue_at_end),
            _wait(cells, m.waits),
            cells.count(m.waits.count),
        )
        for m in figures.months
    ]


def _wait(cells: Cells, waits: WaitingFigures) -> str:
    if waits.count == 0:
        return "–"
    if cells.hidden(waits.count):
        return cells.withheld()
    return _dec(waits.median_days)
