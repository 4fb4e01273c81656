"""CSV as a Swedish spreadsheet reads it, for every export: ";" between fields, a decimal
comma ("2106335,27", which Excel would otherwise read as a date or text), and UTF-8 with a
byte-order mark so that Excel shows å, ä and ö."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

BOM = "\ufeff"
DELIMITER = ";"


class CommaDecimal(Decimal):
    """A number a CSV writer writes with a decimal comma; still a number for XLSX."""

    def __str__(self) -> str:
        return super().__str__().replace(".", ",")


def csv_cell(value: object) -> object:
    """Decimals with a comma and no grouping, None as empty, text and whole numbers as is."""
    if value is None:
        return ""
    if isinstance(value, Decimal | float):
        return str(value).replace(".", ",")
    return value


def csv_writer(out: Any) -> Any:
    """A writer with the ";" separator; the caller writes BOM first."""
    return csv.writer(out, delimiter=DELIMITER)


def csv_bytes(rows: Iterable[Iterable[object]]) -> bytes:
    out = io.StringIO()
    out.write(BOM)
    csv_writer(out).writerows([csv_cell(v) for v in row] for row in rows)
    return out.getvalue().encode()
