"""R20, R21: Hantverkshuset's annual report carries the IPS figures and nothing of Lotsen's."""

from __future__ import annotations

import pytest

from reporting.figures import annual_figures
from reporting.services import report_pdf
from tests.factories import TODAY
from tests.test_annual_reports import RULE_CODE, pdf_text

pytestmark = pytest.mark.django_db


def test_r21_hantverkshuset_report(world, hantverkshuset, tmp_path) -> None:  # type: ignore[no-untyped-def]
    f = annual_figures(unit=hantverkshuset, year=2026, today=TODAY)
    assert f.kind == "ips"
    assert (f.ips.new_cases, f.ips.got_work, f.ips.started_studies) == (6, 2, 1)
    assert f.ips.fte == 1.5
    # R25: 2,085,000 kr a year in 2018 prices, with no index recorded; six cases.
    assert f.cost.amount == 2085000 and f.cost.per_service == 2085000 / f.ips.caseload
    text = pdf_text(report_pdf(unit=hantverkshuset, year=2026, today=TODAY, base_url="/"), tmp_path)
    assert "Personer som fick arbete" in text and "Personer som började studera" in text
    for other in ("Lotsen", "förstegsträning", "Team ISA", "Beroendemottagningen", "Öppethållande"):
        assert other not in text
    assert not RULE_CODE.search(text)
