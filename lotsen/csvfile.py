"""CSV as a Swedish spreadsheet reads it, for every export: ";" between fields, a decimal
comma ("2106335,27", which Excel would otherwise read as a date or text), and UTF-8 with a
byte-order mark so that Excel shows å, ä and ö. Text that a spreadsheet would run as a
formula ("=HYPERLINK(...)" typed as a goal's title) is written with a leading apostrophe."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

BOM = "\ufeff"
DELIMITER = ";"
# What makes Excel and LibreOffice read a cell as a formula (OWASP's CSV injection list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[-+]?\d+(,\d+)?")


class CommaDecimal(Decimal):
    """A number a CSV writer writes with a decimal comma; still a number for XLSX."""

    def __str__(self) -> str:
        return super().__str__().replace(".", ",")


def fewer_than(threshold: int) -> str:
    """What an export shows for a count from 1 to threshold - 1, so nobody can be picked out."""
    return _("färre än %(n)s") % {"n": threshold}


def csv_cell(value: object) -> object:
    """Decimals with a comma and no grouping, None as empty, text that would be a formula
    behind an apostrophe, other text and whole numbers as is."""
    if value is None:
        return ""
    if isinstance(value, Decimal | float):
        return str(value).replace(".", ",")
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


class CsvWriter:
    """csv.writer with the ";" separator, every cell through `csv_cell`; the caller writes
    BOM first. `writerow` returns what the file's `write` returned (a streamed line)."""

    def __init__(self, out: Any) -> None:
        self._writer = csv.writer(out, delimiter=DELIMITER)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([csv_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: Any) -> CsvWriter:
    return CsvWriter(out)


def csv_bytes(rows: Iterable[Iterable[object]]) -> bytes:
    out = io.StringIO()
    out.write(BOM)
    csv_writer(out).writerows(rows)
    return out.getvalue().encode()


def csv_response(rows: Iterable[Iterable[object]], *, filename: str) -> HttpResponse:
    """`rows` as a CSV download named `filename`."""
    response = HttpResponse(csv_bytes(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
