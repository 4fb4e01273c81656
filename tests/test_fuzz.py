"""Malformed input never gets a 500 (decision 0015): every URL pattern with malformed ids,
dates, years and slugs, and every form on every page posted with malformed values.

Hypothesis draws the values; the run is derandomized and bounded (a fixed number of examples
over a fixed world), so it gives the same answer every time and fits in CI.
"""

from __future__ import annotations

import datetime
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.test_access import PAGES, lotsen_objects  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

BAD_TEXT = [
    "",
    " ",
    "x",
    "-1",
    "0",
    "1.5",
    "1,5",
    "1e309",
    "NaN",
    "99999999999999999999",
    "-99999999999999999999",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "2026-13-01",
    "31.12.2026",
    "null\x00byte",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "ä" * 3000,
    "true",
    "[]",
]
BAD_INT = ["0", "99999999999999999999", "9223372036854775808", "2147483648", "00000000001"]
BAD_DATE = ["0001-01-01", "9999-12-31", "2026-02-30", "2026-00-10", "1899-12-31"]
BAD_SLUG = ["finns-inte", "a" * 300, "0"]
BAD_UUID = ["00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"]
# Stand-ins that reverse() accepts and that occur nowhere else in a URL.
SENTINEL = {
    "int": "987654321",
    "date": "1234-05-06",
    "slug": "sentinel-slug",
    "uuid": "12345678-1234-1234-1234-123456789abc",
}
# Every query-string parameter a view reads.
QUERY = [
    "page",
    "status",
    "dag",
    "ar",
    "efter",
    "format",
    "stage",
    "version",
    "arende",
    "arbetsgivare",
    "next",
    "q",
    "sort",
    "kind",
    "author",
    "programme",
    "from",
    "to",
]
SKIP = {"logout", "set_language", "account:password_change"}
NAME = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')


def _kind(value: object) -> str:
    if isinstance(value, uuid.UUID):
        return "uuid"
    if isinstance(value, datetime.date):
        return "date"
    if isinstance(value, int):
        return "int"
    return "slug"


def _stand_in(kind: str) -> object:
    if kind == "date":
        return datetime.date(1234, 5, 6)
    if kind == "int":
        return int(SENTINEL["int"])
    if kind == "uuid":
        return uuid.UUID(SENTINEL["uuid"])
    return SENTINEL["slug"]


def _url_with(name: str, args: list[str], objects: dict, bad_arg: str, bad: str) -> str:  # type: ignore[type-arg]
    namespace = name.split(":")[0]
    kwargs = {arg: objects[(namespace, arg)] for arg in args}
    kind = _kind(kwargs[bad_arg])
    kwargs[bad_arg] = _stand_in(kind)
    return reverse(name, kwargs=kwargs).replace(SENTINEL[kind], bad)


def _url(name: str, args: list[str], objects: dict) -> str:  # type: ignore[type-arg]
    namespace = name.split(":")[0]
    return reverse(name, kwargs={arg: objects[(namespace, arg)] for arg in args})


@pytest.fixture
def staff_client(eva, anna) -> Client:  # type: ignore[no-untyped-def]
    """The unit manager, who reaches every page of the unit."""
    client = Client(raise_request_exception=False)
    client.force_login(eva)
    return client


FUZZ = settings(
    max_examples=2,
    derandomize=True,
    # Each example walks every page; shrinking would walk them hundreds of times more.
    phases=[Phase.explicit, Phase.generate],
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.large_base_example,
        HealthCheck.data_too_large,
    ],
)


def _check(response, what: str, failures: list[str]) -> None:  # type: ignore[no-untyped-def]
    if response.status_code >= 500:
        failures.append(f"{response.status_code} {what}")


@FUZZ
@given(data=st.data())
def test_malformed_url_arguments_never_give_500(staff_client, lotsen_objects, data) -> None:  # noqa: F811
    failures: list[str] = []
    for name, args in PAGES:
        if name in SKIP:
            continue
        for arg in args:
            kind = _kind(lotsen_objects[(name.split(":")[0], arg)])
            pool = {"int": BAD_INT, "date": BAD_DATE, "slug": BAD_SLUG, "uuid": BAD_UUID}[kind]
            bad = data.draw(st.sampled_from(pool), label=f"{name}.{arg}")
            url = _url_with(name, args, lotsen_objects, arg, bad)
            _check(staff_client.get(url), f"GET {url}", failures)
            _check(staff_client.post(url, {}), f"POST {url}", failures)
    assert failures == []


def _field_names(page: str) -> list[str]:
    return sorted({name for name in NAME.findall(page) if name != "csrfmiddlewaretoken"})


@FUZZ
@given(data=st.data())
def test_malformed_form_values_never_give_500(staff_client, lotsen_objects, data) -> None:  # noqa: F811
    failures: list[str] = []
    # A few values per page, spread over its fields: few draws keep Hypothesis's buffer small.
    bad_values = st.lists(
        st.one_of(st.sampled_from(BAD_TEXT), st.text(max_size=12)), min_size=3, max_size=3
    )
    for name, args in PAGES:
        if name in SKIP:
            continue
        url = _url(name, args, lotsen_objects)
        values = data.draw(bad_values, label=name)
        query = {key: values[n % 3] for n, key in enumerate(QUERY)}
        _check(staff_client.get(url, query), f"GET {url} {query}", failures)
        got = staff_client.get(url)
        _check(got, f"GET {url}", failures)
        page = got.content.decode(errors="replace") if got.status_code == 200 else ""
        fields = _field_names(page)
        posted = {field: values[(n + 1) % 3] for n, field in enumerate(fields)}
        for field in fields:
            if field.endswith("TOTAL_FORMS"):
                posted[field] = "99999999999999999999"
        # Also a participant id, as the sheet and session marks take it.
        posted.setdefault("participant", values[2])
        # Every other page as htmx sends it (the partial answers have their own paths).
        htmx = {"HX-Request": "true"} if len(failures + fields) % 2 else {}
        response = staff_client.post(url, posted, headers=htmx)
        _check(response, f"POST {url} {htmx} {sorted(posted)}", failures)
    assert failures == []
