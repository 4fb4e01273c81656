"""The annual report's workflows: the manager's text, goals and the generated files."""

from __future__ import annotations

import datetime
from typing import Any

from lotsen.models import Unit
from reporting.figures import AnnualFigures, annual_figures, annual_report_pdf
from reporting.models import ReportText
from treatment.results import results

__all__ = ["AnnualFigures", "annual_figures", "annual_report_pdf", "report_context"]


def report_context(*, unit: Unit, year: int, today: datetime.date) -> dict[str, Any]:
    """Everything the report shows: figures, the manager's text, goals and charts."""
    figures = annual_figures(unit=unit, year=year, today=today)
    text = ReportText.objects.filter(unit=unit, year=year).first()
    return {
        "f": figures,
        "text": text.texts() if text else {},
        "results": results(unit=unit, dimension="programme") if figures.kind == "treatment" else [],
    }


def report_pdf(*, unit: Unit, year: int, today: datetime.date, base_url: str) -> bytes:
    context = report_context(unit=unit, year=year, today=today)
    return annual_report_pdf(context.pop("f"), base_url=base_url, **context)
