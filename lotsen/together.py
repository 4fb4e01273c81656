"""Several short lists of a page in one round trip.

`read_together(relatives=…, referrals=…)` reads each queryset as one part of a UNION ALL:
every row comes back as JSON (its model's fields, and those of the rows it selects with
`select_related`), numbered by the queryset's ordering, and is rebuilt as an instance of its
model, as if the queryset had been read alone. For a page that shows many small lists about
one person, where the round trips, not the rows, are the cost. Querysets with annotations,
`only()`/`defer()` or `distinct()` are not for this (assert).
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import F, OrderBy, QuerySet, Subquery, Value, Window
from django.db.models.expressions import BaseExpression
from django.db.models.functions import JSONObject, RowNumber
from django.utils import timezone
from django.utils.dateparse import parse_datetime

_SELF = "."  # the key of the queried model's own fields in a row's JSON


class _ExactNumbers(json.JSONDecoder):
    """Decimals stay decimals: 7.50 hours reads back as Decimal('7.50'), not a float."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(parse_float=Decimal, **kwargs)


class _Row(JSONObject):
    output_field = models.JSONField(decoder=_ExactNumbers)


def read_together(**parts: QuerySet[Any]) -> dict[str, list[Any]]:
    """Each queryset's rows, in its order and within its slice, read in one query."""
    combined = [_part(name, qs) for name, qs in parts.items()]
    rows = combined[0].union(*combined[1:], all=True) if len(combined) > 1 else combined[0]
    found: dict[str, list[tuple[int, Any]]] = defaultdict(list)
    for name, number, data in rows:
        found[name].append((number, _rebuild(parts[name].model, parts[name], data)))
    return {name: [row for _n, row in sorted(found[name], key=lambda r: r[0])] for name in parts}


def first_row(qs: QuerySet[Any]) -> Subquery:
    """`qs`'s first row (with what it selects with `select_related`) as one JSON value, to
    annotate another query with: a row of another table read in the same round trip.
    `rebuilt(qs, value)` makes it an instance; NULL when there is no row. `qs` may refer
    to the outer query with OuterRef."""
    assert not (qs.query.annotations or qs.query.deferred_loading[0]), "plain rows only"
    return Subquery(
        qs.annotate(_row=_json(qs)).values("_row")[:1], output_field=_Row().output_field
    )


def rebuilt(qs: QuerySet[Any], value: dict[str, Any] | None) -> Any:
    """The instance `first_row(qs)` read, with its selected relations; None for no row."""
    return None if value is None else _rebuild(qs.model, qs, value)


def _part(name: str, qs: QuerySet[Any]) -> QuerySet[Any]:
    query = qs.query
    assert not (query.annotations or query.deferred_loading[0] or query.distinct), name
    ordering = [_order(o) for o in (query.order_by or qs.model._meta.ordering or ["pk"])]
    low, high = query.low_mark, query.high_mark
    part = qs.all()
    part.query.clear_limits()
    part = part.order_by().annotate(
        _number=Window(RowNumber(), order_by=[*ordering, F("pk").asc()])
    )
    if low:
        part = part.filter(_number__gt=low)
    if high is not None:
        part = part.filter(_number__lte=high)
    return part.values_list(Value(name), "_number", _json(qs))


def _order(term: Any) -> BaseExpression:
    if isinstance(term, BaseExpression):
        return term if isinstance(term, OrderBy) else term.asc()
    name = str(term)
    return F(name[1:]).desc() if name.startswith("-") else F(name).asc()


def _json(qs: QuerySet[Any]) -> _Row:
    """One JSON object per table the row carries: its own, and each selected relation's under
    its path."""
    objects: dict[str, Any] = {_SELF: _TableRow(qs.model, "")}
    for path, model in _relations(qs.model, qs.query.select_related, ""):
        objects[path] = _TableRow(model, path)
    return _Row(**objects)


class _TableRow(BaseExpression):
    """A joined table's whole row as JSON keyed by column: TO_JSONB(alias) on PostgreSQL,
    one JSON_OBJECT of its columns elsewhere. One expression per table, so that building
    the query costs little however many columns the tables have."""

    output_field = models.JSONField()

    def __init__(self, model: type[models.Model], path: str) -> None:
        super().__init__()
        self.model, self.path, self.alias = model, path, ""

    def resolve_expression(self, query: Any = None, *args: Any, **kwargs: Any) -> _TableRow:
        if self.alias:  # resolved in its own query (a subquery's is resolved again outside)
            return self
        resolved = self.copy()
        # The table's alias in this query, from a column of it (a non-key column, so that
        # the join is not trimmed to the foreign key of the table before).
        field = next(f for f in self.model._meta.concrete_fields if not f.primary_key)
        name = f"{self.path}__{field.name}" if self.path else field.name
        column = F(name).resolve_expression(query, *args, **kwargs)
        resolved.alias = column.alias  # type: ignore[attr-defined]
        return resolved

    def relabeled_clone(self, change_map: Mapping[str, str]) -> _TableRow:
        """As a column does: in a subquery the tables are renamed (U0, U1 …)."""
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        alias = compiler.quote_name_unless_alias(self.alias)
        columns = ", ".join(
            f"'{f.column}', {alias}.{connection.ops.quote_name(f.column)}"
            for f in self.model._meta.concrete_fields
        )
        return f"JSON_OBJECT({columns})", []

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        return f"TO_JSONB({compiler.quote_name_unless_alias(self.alias)})", []


def _relations(
    model: type[models.Model], selected: Any, prefix: str
) -> list[tuple[str, type[models.Model]]]:
    assert selected is not True, "name the relations to select"
    found = []
    for name, deeper in (selected or {}).items():
        related = model._meta.get_field(name).related_model
        assert isinstance(related, type)
        found.append((f"{prefix}{name}", related))
        found += _relations(related, deeper, f"{prefix}{name}__")
    return found


def _rebuild(model: type[models.Model], qs: QuerySet[Any], data: dict[str, Any]) -> Any:
    instance = _instance(model, qs.db, data[_SELF])
    built: dict[str, Any] = {"": instance}
    for path, related_model in _relations(model, qs.query.select_related, ""):
        parent_path, _, name = path.rpartition("__")
        values = data[path]
        missing = values is None or values[related_model._meta.pk.column] is None  # outer join
        related = None if missing else _instance(related_model, qs.db, values)
        built[path] = related
        parent = built[parent_path]
        if parent is not None:
            setattr(parent, name, related)
    # As Django's own iterable does: a relation's queryset knows the row it came from.
    for field, known in qs._known_related_objects.items():  # type: ignore[attr-defined]
        if (row := known.get(getattr(instance, field.attname))) is not None:
            setattr(instance, field.name, row)
    return instance


def _instance(model: type[models.Model], db: str, values: dict[str, Any]) -> models.Model:
    fields = model._meta.concrete_fields
    return model.from_db(
        db, [f.attname for f in fields], [_python(f, values[f.column]) for f in fields]
    )


def _python(field: models.Field[Any, Any], value: Any) -> Any:
    """A JSON value as the database backend would have given it."""
    if value is None:
        return None
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(value)
        if moment is not None and timezone.is_naive(moment):  # SQLite keeps UTC, naive
            moment = timezone.make_aware(moment, datetime.UTC)
        return moment
    if isinstance(field, models.DecimalField):
        exponent = Decimal(1).scaleb(-(field.decimal_places or 0))
        return Decimal(value).quantize(exponent)
    if isinstance(field, models.JSONField):
        return value
    return field.to_python(value)


def prefetched(instance: models.Model, relation: str, rows: list[Any]) -> None:
    """Give `instance.<relation>.all()` the rows read together, as prefetch_related would
    (the same steps as Django's prefetch_one_level): no query when the page reads them."""
    manager = getattr(instance, relation)
    cache_name = getattr(manager, "prefetch_cache_name", None)  # many-to-many
    if cache_name is None:  # the many side of a foreign key
        cache_name = manager.field.remote_field.cache_name
    queryset = manager.get_queryset()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}  # type: ignore[attr-defined]
    instance._prefetched_objects_cache[cache_name] = queryset  # type: ignore[attr-defined]


def prefetched_each(
    parents: Iterable[models.Model], relation: str, rows: list[Any], *, key: str
) -> None:
    """`prefetched` for each of `parents`, with the `rows` whose `key` (a foreign key's
    attname) is its primary key, in their order: grouped once, not searched per parent."""
    groups: dict[Any, list[Any]] = defaultdict(list)
    for row in rows:
        groups[getattr(row, key)].append(row)
    for parent in parents:
        prefetched(parent, relation, groups.get(parent.pk, []))
