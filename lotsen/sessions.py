"""Database sessions that are read with their user and second-factor device in one query.

Django's database session keeps who is signed in inside the signed session data, so the
user (AuthenticationMiddleware) and the device that passed the second step (django-otp's
OTPMiddleware) are read after it, by the libraries' own steps. `SignedInSession` keeps the
user and the device in columns beside the data, rewritten from the data on every save;
this store reads the session row with its user joined and with whether its device is the
user's own confirmed one, and `lotsen.signin` hands both to Django's and django-otp's own
checks. What the columns say is used only while the data still names the same user and
device; otherwise the libraries read what they need, as they always did.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.db import connection
from django.db.models import Field
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

if TYPE_CHECKING:
    from lotsen.models import SignedInSession


@dataclass(frozen=True)
class SignedIn:
    """The user the session row names, and its device if it passed (else None)."""

    user: Any
    device: Device | None


@cache
def _device_models() -> dict[str, type[Device]]:
    return {m._meta.label_lower: m for m in apps.get_models() if issubclass(m, Device)}


@dataclass(frozen=True)
class _Read:
    """The statement that reads a session row with its user and whether its device passes,
    with the fields in the order of its columns."""

    sql: str
    params: list[Any]  # the device kinds' labels, before the session key and the time
    session_fields: list[Field]
    user_fields: list[Field]


@cache
def _read(vendor: str) -> _Read:
    """Written once per process from the models: the ORM would build the same statement
    (a select_related and an annotation) anew on every request, for about a millisecond."""
    from lotsen.models import SignedInSession, User

    qn = connection.ops.quote_name  # names from the models, quoted; every value a parameter
    session_fields = list(SignedInSession._meta.concrete_fields)
    user_fields = list(User._meta.concrete_fields)
    # Whether the row's device is its user's own confirmed device, of whichever kind.
    passes = " ".join(
        f"WHEN s.device_model = %s THEN EXISTS (SELECT 1 FROM {qn(m._meta.db_table)} d"  # noqa: S608
        " WHERE d.id = s.device_id AND d.user_id = s.user_id AND d.confirmed = %s)"
        for m in _device_models().values()
    )
    columns = [f"s.{qn(f.column)}" for f in session_fields] + [
        f"u.{qn(f.column)}" for f in user_fields
    ]
    sql = (
        f"SELECT {', '.join(columns)}, CASE {passes} ELSE %s END"  # noqa: S608
        f" FROM {qn(SignedInSession._meta.db_table)} s"
        f" LEFT JOIN {qn(User._meta.db_table)} u ON u.id = s.user_id"
        " WHERE s.session_key = %s AND s.expire_date > %s"
    )
    params: list[Any] = [p for label in _device_models() for p in (label, True)]
    return _Read(sql, [*params, False], session_fields, user_fields)


def _converted(fields: list[Field], values: tuple[Any, ...]) -> list[Any]:
    """Values as the ORM gives them (SQLite's text dates become aware datetimes)."""
    out = []
    for field, value in zip(fields, values, strict=True):
        column = field.get_col(field.model._meta.db_table)
        for convert in connection.ops.get_db_converters(column) + column.get_db_converters(
            connection
        ):
            value = convert(value, column, connection)
        out.append(value)
    return out


def _device_key(persistent_id: object) -> tuple[str, int] | None:
    """("otp_totp.totpdevice", 5) from django-otp's "otp_totp.totpdevice/5"."""
    if not isinstance(persistent_id, str):
        return None
    label, _, pk = persistent_id.rpartition("/")
    return (label, int(pk)) if label in _device_models() and pk.isascii() and pk.isdigit() else None


def _user_key(value: object) -> int | None:
    text = str(value) if isinstance(value, str | int) else ""
    return int(text) if text.isascii() and text.isdigit() else None


def _with_columns(row: Any, data: dict[str, Any]) -> SignedInSession:
    """The row to save, with the user and device its data names."""
    row.user_id = _user_key(data.get(SESSION_KEY))
    row.device_model, row.device_id = _device_key(data.get(DEVICE_ID_SESSION_KEY)) or ("", None)
    return row  # type: ignore[no-any-return]


class SessionStore(DatabaseStore):
    """Django's database store over `SignedInSession`."""

    _row: SignedInSession | None = None

    @classmethod
    def get_model_class(cls) -> type[SignedInSession]:
        from lotsen.models import SignedInSession

        return SignedInSession

    def _get_session_from_db(self) -> Any:
        """Django's read of the row, with its user joined and whether its device passes."""
        read = _read(connection.vendor)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(read.sql, [*read.params, self.session_key, now])
            found = cursor.fetchone()
        if found is None:
            self._session_key, self._row = None, None
            return None
        model = self.get_model_class()
        split = len(read.session_fields)
        self._row = row = model.from_db(
            connection.alias,
            [f.attname for f in read.session_fields],
            _converted(read.session_fields, found[:split]),
        )
        row.device_passes = bool(found[-1])  # type: ignore[attr-defined]
        user = None
        if found[split] is not None:
            user = read.user_fields[0].model.from_db(
                connection.alias,
                [f.attname for f in read.user_fields],
                _converted(read.user_fields, found[split:-1]),
            )
        model._meta.get_field("user").set_cached_value(row, user)  # as select_related does
        return row

    def create_model_instance(self, data: dict[str, Any]) -> SignedInSession:
        return _with_columns(super().create_model_instance(data), data)

    async def acreate_model_instance(self, data: dict[str, Any]) -> SignedInSession:
        return _with_columns(await super().acreate_model_instance(data), data)

    def signed_in(self) -> SignedIn | None:
        """The user and device read with the session, while its data names the same ones."""
        user_id = _user_key(self.get(SESSION_KEY))  # loads the session: reads the row
        row = self._row
        if row is None or user_id is None or row.user_id != user_id or row.user is None:
            return None
        device_key = _device_key(self.get(DEVICE_ID_SESSION_KEY))
        if device_key is None:
            return SignedIn(row.user, None) if DEVICE_ID_SESSION_KEY not in self else None
        passes = row.device_passes  # type: ignore[attr-defined]
        if device_key != (row.device_model, row.device_id) or not passes:
            return None  # django-otp reads the device and drops it from the session
        model = _device_models()[row.device_model]
        # The device as django-otp would have read it; its other fields load if asked for.
        device = model.from_db(
            connection.alias, ["id", "user_id", "confirmed"], [row.device_id, user_id, True]
        )
        device.user = row.user
        return SignedIn(row.user, device)
