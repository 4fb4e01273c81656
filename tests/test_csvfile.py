"""The one CSV helper every export writes through (decision 0017): what a Swedish
spreadsheet reads, and nothing it would run."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from lotsen.csvfile import CommaDecimal, csv_bytes, fewer_than


def _read(data: bytes) -> list[list[str]]:
    text = data.decode()
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_l4_cells_a_spreadsheet_would_run_as_a_formula_start_with_an_apostrophe() -> None:
    typed = ["=1+1", "+A1", "-2+3", "@SUMMA(A1)", "\t=1", "Anna", "Nils = 5"]
    assert _read(csv_bytes([typed])) == [
        ["'=1+1", "'+A1", "'-2+3", "'@SUMMA(A1)", "'\t=1", "Anna", "Nils = 5"]
    ]


def test_numbers_keep_their_sign_and_get_a_decimal_comma() -> None:
    row = [Decimal("-1.5"), CommaDecimal("-10.0"), -3, "-4", "-4,5", 2.25, None]
    assert _read(csv_bytes([row])) == [["-1,5", "-10,0", "-3", "-4", "-4,5", "2,25", ""]]


def test_l4_small_counts_have_one_wording_in_every_export() -> None:
    assert fewer_than(5) == "färre än 5"
