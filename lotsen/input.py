"""Ids and numbers taken straight from a request, checked before they reach the database.

Malformed input is a 400 (Django's BadRequest, rendered by templates/400.html), never a 500.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpRequest

# PostgreSQL's bigint: an id beyond it cannot exist, and would fail the query.
MAX_ID = 2**63 - 1
FIRST_YEAR, LAST_YEAR = 1900, 2199


def posted_id(request: HttpRequest, name: str) -> int:
    """A positive whole number posted as `name`, or a 400."""
    value = request.POST.get(name, "")
    if not (value.isascii() and value.isdigit()) or not 0 < int(value) <= MAX_ID:
        raise BadRequest(f"{name} is not an id")
    return int(value)


def year_or(value: str, default: int) -> int:
    """A year from a query string, or `default` when it is none (or far outside any use)."""
    if value.isascii() and value.isdigit() and FIRST_YEAR <= int(value) <= LAST_YEAR:
        return int(value)
    return default
