"""Rows into an XLSX sheet, for every export: decimals as numbers, and text kept as text.
openpyxl stores a string that starts with "=" as a formula, so a goal's title typed as
'=HYPERLINK(...)' would run when the administration opens the file; here it is text."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any


def append_row(sheet: Any, row: Iterable[object]) -> None:
    """Append `row` to `sheet` (an openpyxl worksheet), never as a formula."""
    sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"
