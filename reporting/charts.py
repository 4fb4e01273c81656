"""Charts of the annual report: SVG drawn with matplotlib (Agg, no display), embedded in the
PDF as images, each with a text alternative and its numbers in a table beside it."""

from __future__ import annotations

import base64
import functools
import io
import textwrap
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from lotsen.days import days_text, whole_days
from reporting.exports import SUPPRESS_BELOW, hidden, shown_count

if TYPE_CHECKING:
    from reporting.figures import AnnualFigures
    from reporting.indicators import GoalRow

BLUE, LIGHT, GREY = "#1d4e89", "#8fb3de", "#666666"
MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


@dataclass
class Chart:
    title: str
    alt: str
    svg: bytes
    headers: list[str]
    rows: list[list[str]]

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode()


def _num(value: Decimal | float | int | None) -> str:
    if value is None:
        return "–"
    return number_format(value, decimal_pos=0 if float(value).is_integer() else 1)


def _count(value: float) -> str:
    """A count beside a chart, as it leaves the unit (a small one as "färre än 5")."""
    return str(shown_count(value)) if hidden(value) else _num(value)


def _drawn(values: list[float]) -> list[float]:
    """The bars of counts: a small count is not drawn (its length would tell it)."""
    return [0.0 if hidden(v) else v for v in values]


def _alt(text: str, values: list[float]) -> str:
    if any(hidden(v) for v in values):
        return f"{text} {_('Antal under %(n)s ritas inte.') % {'n': SUPPRESS_BELOW}}"
    return text


FONT_SIZE = 9  # points
LABEL_WIDTH = 28  # characters per line of a bar's label in a lying chart
TICK = 3.5 + 3.5  # a tick's length and the gap to its label, points (matplotlib's defaults)
EDGE = 4  # white space around the drawing, points
MAX_LABELS = 14  # names under a standing chart: twelve months, or every fourth of 53 weeks


def _svg(
    labels: list[str], series: list[tuple[str, list[float], str]], *, horizontal: bool = False
) -> bytes:
    import matplotlib
    from matplotlib.figure import Figure  # no pyplot: no global figure state
    from matplotlib.ticker import MaxNLocator

    # The same values every time, so set for the process as before (rc_context would put
    # the defaults back while another thread draws).
    matplotlib.rcParams.update(
        {"font.family": "DejaVu Sans", "font.size": FONT_SIZE, "svg.fonttype": "none"}
    )
    if horizontal:
        labels = [_wrap(label) for label in labels]
    height = 2.4 if not horizontal else 0.8 + sum(_row_height(label) for label in labels)
    fig = Figure(figsize=(5.2, height))
    ax = fig.add_subplot()
    width = 0.8 / len(series)
    positions = range(len(labels))
    for i, (name, values, colour) in enumerate(series):
        offsets = [p + (i - (len(series) - 1) / 2) * width for p in positions]
        if horizontal:
            ax.barh(offsets, values, height=width, color=colour, label=name)
        else:
            ax.bar(offsets, values, width=width, color=colour, label=name)
    if horizontal:
        ax.set_yticks(list(positions), labels)
        ax.invert_yaxis()
    else:
        # A long series (a year of weeks) names every few bars; a tick still marks each.
        step = -(-len(labels) // MAX_LABELS)
        ax.set_xticks(list(positions)[::step], labels[::step])
        ax.set_xticks(list(positions), minor=True)
        labels = labels[::step]
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="x" if horizontal else "y", color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)
    # Counts and days: whole-number ticks on the value axis.
    value_axis = ax.xaxis if horizontal else ax.yaxis
    value_axis.set_major_locator(MaxNLocator(integer=True))
    if len(series) > 1:
        ax.legend(frameon=False, loc="lower right", bbox_to_anchor=(1, 1), ncol=len(series))
    _fit(
        fig,
        labels,
        value_axis,
        horizontal=horizontal,
        legend=len(series) > 1,
    )
    out = io.BytesIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def _fit(fig: Any, labels: list[str], value_axis: Any, **how: bool) -> None:
    """Margins that just hold the tick labels (and the legend above), measured from the
    font: what tight_layout finds, without the extra drawing it costs (half the time)."""
    values = value_axis.get_major_formatter().format_ticks(list(value_axis.get_majorticklocs()))
    widest_value = max((_text_size(v)[0] for v in values), default=0)
    lines = [line for label in labels for line in label.split("\n")]
    widest_label = max((_text_size(line)[0] for line in lines), default=0)
    line_height = _text_size("Åg")[1]
    if how["horizontal"]:
        left, bottom = widest_label, line_height
    else:
        left, bottom = widest_value, line_height
    top = line_height * 1.8 if how["legend"] else FONT_SIZE / 2
    width, height = (size * 72 for size in fig.get_size_inches())
    fig.subplots_adjust(
        left=(left + TICK + EDGE) / width,
        right=1 - (EDGE + FONT_SIZE) / width,  # room for the last label's overhang
        bottom=(bottom + TICK + EDGE) / height,
        top=1 - (top + EDGE) / height,
    )


def _wrap(label: str) -> str:
    """A whole label in lines of whole words; a word longer than a line keeps its own line
    (cutting "arbetsmarknadsförvaltningen" in two read as another word)."""
    return textwrap.fill(label, LABEL_WIDTH, break_long_words=False)


def _row_height(label: str) -> float:
    """Inches for one bar of a lying chart: half an inch, more when its label has more
    than two lines."""
    return 0.5 + 0.16 * max(0, label.count("\n") - 1)


@functools.cache
def _text_size(text: str) -> tuple[float, float]:
    """Width and height in points of one line of text in the charts' font."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    font = FontProperties(family="DejaVu Sans", size=FONT_SIZE)
    width, height, _descent = text_to_path.get_text_width_height_descent(text, font, ismath=False)
    return width, height


def _goal_bar(goal: GoalRow) -> float:
    actual = float(goal.cells[-1].actual or 0)
    return _drawn([actual])[0] if goal.is_count else actual


def _goal_actual(goal: GoalRow) -> str:
    actual = goal.cells[-1].actual
    return _count(float(actual)) if goal.is_count and actual is not None else _num(actual)


def report_charts(f: AnnualFigures, goals: list[GoalRow]) -> list[Chart]:
    """The charts that have something to show for this unit and year."""
    charts = []
    months = [MONTHS[m.month - 1] for m in f.months]
    if f.kind == "treatment":
        visits = [float(m.attendances) for m in f.months]
        title, what = _("Deltagartillfällen per månad"), _("deltagartillfällen")
    else:
        visits = [float(m.visits + m.anonymous_visits) for m in f.months]
        title, what = _("Besök per månad"), _("besök")
    if any(_drawn(visits)):
        charts.append(
            Chart(
                title,
                _alt(
                    _("Stapeldiagram över %(what)s per månad %(year)s, flest i %(month)s.")
                    % {"what": what, "year": f.year, "month": months[visits.index(max(visits))]},
                    visits,
                ),
                _svg(months, [(title, _drawn(visits), BLUE)]),
                [_("Månad"), str(what).capitalize()],
                [[m, _count(v)] for m, v in zip(months, visits, strict=True)],
            )
        )
    if f.weeks:
        hours = [float(h) for _w, h in f.weeks]
        labels = [w for w, _h in f.weeks]
        charts.append(
            Chart(
                _("Närvarotimmar i förstegsträning per vecka"),
                _("Stapeldiagram över närvarotimmar per vecka, i snitt %(avg)s timmar.")
                % {"avg": _num(f.training_hours_per_week)},
                _svg(labels, [(_("Timmar"), hours, BLUE)]),
                [_("Vecka"), _("Timmar")],
                [[w, _num(h)] for w, h in zip(labels, hours, strict=True)],
            )
        )
    waits = [m.waits.median_days for m in f.months]
    if any(w is not None for w in waits):
        charts.append(
            Chart(
                _("Väntetid per månad"),
                _("Stapeldiagram över median väntetid i dagar för dem som antogs varje månad."),
                _svg(months, [(_("Dagar"), [float(whole_days(w) or 0) for w in waits], LIGHT)]),
                [_("Månad"), _("Median dagar"), _("Antagna")],
                [
                    [m, days_text(w), _count(r.waits.count)]
                    for m, w, r in zip(months, waits, f.months, strict=True)
                ],
            )
        )
    labels = [capfirst(str(label)) for label, _n in f.outcomes]  # "(IAF)" stays upper case
    counts = [float(n) for _label, n in f.outcomes]
    if any(_drawn(counts)):
        charts.append(
            Chart(
                _("Vart avslutade platser ledde"),
                _alt(_("Liggande stapeldiagram över avslutade platser efter utfall."), counts),
                _svg(labels, [(_("Antal"), _drawn(counts), BLUE)], horizontal=True),
                [_("Utfall"), _("Antal")],
                [[label, _count(n)] for label, n in zip(labels, counts, strict=True)],
            )
        )
    this_year = [g for g in goals if g.cells[-1].target is not None]
    if this_year:
        charts.append(
            Chart(
                _("Effektmål: mål och utfall %(year)s") % {"year": f.year},
                _alt(
                    _("Liggande stapeldiagram med målvärde och utfall för varje effektmål."),
                    [float(g.cells[-1].actual or 0) for g in this_year if g.is_count],
                ),
                _svg(
                    [g.title for g in this_year],  # whole titles, wrapped
                    [
                        (_("Mål"), [float(g.cells[-1].target or 0) for g in this_year], LIGHT),
                        (_("Utfall"), [_goal_bar(g) for g in this_year], BLUE),
                    ],
                    horizontal=True,
                ),
                [_("Effektmål"), _("Mål"), _("Utfall")],
                [[g.title, _num(g.cells[-1].target), _goal_actual(g)] for g in this_year],
            )
        )
    return charts
