"""What the daily reminders are about: one query per kind, routed to whoever must act.

Apps above this one add their own lines (e.g. treatment's measurements due) through
`register_digest_provider`, called from their AppConfig.ready (decision 0013); plans never
imports them.

Kinds, most urgent first: follow-ups overdue (R13), training places without a plan,
renewals due (R14), follow-ups due soon, and places reaching their longest duration (R7).

Each kind is one query that ranks the places per contact person and unit in the database
(a window function) and returns only the most urgent lines of each, with the count of
all. With a million plans the daily run reads a few thousand rows, not a million.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Expression,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber
from django.db.models.lookups import In
from django.utils.translation import gettext_lazy as _

from lotsen.models import Programme, Role, User
from lotsen.paths import path_with_key
from participants.models import Enrolment, EnrolmentQuerySet
from plans.models import Plan

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

KIND_LABELS: dict[str, _StrPromise] = {
    "overdue": _("Försenad uppföljning"),
    "missing": _("Plan saknas"),
    "renewal": _("Planen ska förnyas"),
    "due_soon": _("Uppföljning snart"),
    "ending": _("Platsen når längsta tid"),
}
URGENCY = {kind: index for index, kind in enumerate(KIND_LABELS)}
# Lines per kind and contact person in one e-mail; the rest is counted and linked.
LINES_PER_KIND = 20

# The columns an item needs; nothing else is read.
LINE_COLUMNS = [
    "pk",
    "plan_pk",
    "participant__first_name",
    "participant__last_name",
    "participant__protected_identity",
    "contact_person_id",
    "contact_person__first_name",
    "contact_person__last_name",
    "contact_person__username",
]


@dataclass(frozen=True)
class Item:
    """One line of a reminder: a place that needs attention, and why."""

    kind: str
    date: datetime.date
    place_id: int
    plan_id: int | None
    first_name: str
    last_name: str
    protected: bool
    programme_name: str
    programme_id: int
    unit_id: int
    contact_id: int | None
    contact_first_name: str | None = None
    contact_last_name: str | None = None
    contact_username: str | None = None
    # How many places of this kind the same contact person has at the unit.
    total: int = 1

    @property
    def sort_key(self) -> tuple[int, datetime.date, int]:
        return URGENCY[self.kind], self.date, self.place_id

    @property
    def label(self) -> _StrPromise:
        return KIND_LABELS[self.kind]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def contact_name(self) -> str:
        name = f"{self.contact_first_name or ''} {self.contact_last_name or ''}".strip()
        return name or self.contact_username or str(_("Ingen kontaktman"))

    @property
    def partition(self) -> tuple[str, int | None, int]:
        """What the count in `total` is of: one kind, contact person and programme."""
        return self.kind, self.contact_id, self.programme_id

    @property
    def path(self) -> str:
        if self.plan_id is not None:
            return path_with_key("plans:detail", self.plan_id)
        if self.kind == "missing":
            return path_with_key("plans:create", self.place_id)
        return path_with_key("participants:place", self.place_id)

    def as_email_line(self) -> dict[str, object]:
        return {
            # L4: a person with protected identity is never named in an e-mail; e-mails
            # carry the first name and an initial only, and never an identity number.
            "name": None if self.protected else f"{self.first_name} {self.last_name[:1]}.",
            "programme": self.programme_name,
            "label": self.label,
            "date": self.date,
            # As the e-mails show it, formatted once (not by the date filter in each body).
            "day": self.date.isoformat(),
            "path": self.path,
        }


@dataclass
class Digest:
    """What one person is told: the most urgent lines, and how many there are in all."""

    items: list[Item] = field(default_factory=list)
    partitions: dict[tuple[str, int | None, int], int] = field(default_factory=dict)

    def add(self, item: Item) -> None:
        self.items.append(item)
        self.partitions[item.partition] = item.total

    @property
    def total(self) -> int:
        return sum(self.partitions.values())

    def finish(self, limit: int) -> Digest:
        self.items.sort(key=lambda i: i.sort_key)
        del self.items[limit:]
        return self


def reminder_querysets(
    *,
    today: datetime.date,
    places: EnrolmentQuerySet | None = None,
    programmes: Iterable[Programme] | None = None,
) -> dict[str, EnrolmentQuerySet]:
    """Per kind, the `places` (all by default) that need attention, annotated with `due`,
    the date that matters, and ordered by it. The kinds are the places' status methods
    (participants.models.plan_status), which read only the places table (decision 0008)."""
    places = Enrolment.objects.all() if places is None else places
    programmes = None if programmes is None else list(programmes)
    kinds = {
        "overdue": (places.plan_overdue(on=today), "plan_follow_up_due"),
        "missing": (places.plan_missing(on=today, programmes=programmes), "start_date"),
        "renewal": (places.renewal_due(on=today), "plan_renewal_due"),
        "due_soon": (places.plan_due_soon(on=today), "plan_follow_up_due"),
        "ending": (
            places.reaching_longest_duration(on=today, programmes=programmes),
            "start_date",
        ),
    }
    return {
        kind: queryset.annotate(due=F(date)).order_by("due", "pk")
        for kind, (queryset, date) in kinds.items()
    }


def reminder_items(
    *,
    today: datetime.date,
    kinds: Iterable[str] = KIND_LABELS,
    per_partition: int,
    places: EnrolmentQuerySet | None = None,
    shown: int | None = None,
) -> list[Item]:
    """The `per_partition` most urgent places of each kind per contact person and
    programme, each with the count of all of them.

    One query per kind ranks and counts in the database, on the places table alone; one
    more query reads names and links for the lines. `places` narrows them (e.g. to one
    contact person's). With `shown` (the lines a digest shows, `route`'s limit), only the
    lines that can be shown are read (`_can_be_shown`)."""
    programmes = {p.pk: p for p in Programme.objects.all()}
    querysets = reminder_querysets(today=today, places=places, programmes=programmes.values())
    ranked = []
    for kind in kinds:
        rows = ranked_places(querysets[kind], per_partition=per_partition)
        ranked += [(kind, *row) for row in rows.values_list(*RANKED, "contact_person_id")]
    if shown is not None:
        ranked = _can_be_shown(ranked, programmes, shown)
    if not ranked:
        return []
    lines = place_lines({r[1] for r in ranked})
    details = {row[0]: row[1:] for row in lines}
    return items_of([row[:5] for row in ranked], details, programmes)


def _can_be_shown(
    ranked: list[tuple[Any, ...]], programmes: dict[int, Programme], shown: int
) -> list[tuple[Any, ...]]:
    """The ranked rows a digest can show: the `shown` most urgent of each contact person at
    each unit (their lines all go to one recipient, who is shown the most urgent `shown`
    of what they get, in `Item.sort_key`'s order), and the first of every partition, which
    carries its count for the digest's total. The mornings' lines are halved, and every
    digest is the same as with all of them."""
    due_date = DueDates(programmes)
    groups: dict[tuple[int | None, int], list[tuple[Any, ...]]] = defaultdict(list)
    for row in ranked:
        kind, pk, due, _total, programme, contact = row
        urgency = (URGENCY[kind], due_date(kind, due, programme), pk)
        groups[contact, programmes[programme].unit_id].append((urgency, row))
    kept: dict[tuple[str, int], tuple[Any, ...]] = {}
    firsts: dict[tuple[str, int | None, int], tuple[Any, ...]] = {}
    for rows in groups.values():
        rows.sort(key=lambda r: r[0])
        for rank, (_urgency, row) in enumerate(rows):
            kind, pk, _due, _total, programme, contact = row
            if rank < shown:
                kept[kind, pk] = row
            firsts.setdefault((kind, contact, programme), row)
    for row in firsts.values():
        kept[row[0], row[1]] = row
    return list(kept.values())


def items_of(
    ranked: Iterable[tuple[str, int, datetime.date, int, int]],
    details: dict[int, tuple[Any, ...]],
    programmes: dict[int, Programme],
) -> list[Item]:
    """Items from ranked rows (kind, place, due, total, programme) and each place's
    LINE_COLUMNS but the first (`place_lines`)."""
    due_date = DueDates(programmes)
    items = []
    for kind, pk, due, total, programme in ranked:
        plan, first, last, protected, contact, contact_first, contact_last, username = details[pk]
        name, unit = programmes[programme].name, programmes[programme].unit_id
        # Positional, in the order of the fields: a morning builds tens of thousands.
        items.append(
            Item(
                kind,
                due_date(kind, due, programme),
                pk,
                plan,
                first,
                last,
                protected,
                name,
                programme,
                unit,
                contact,
                contact_first,
                contact_last,
                username,
                total,
            )
        )
    return items


def ranked_places(places: EnrolmentQuerySet, *, per_partition: int) -> QuerySet[Any, Any]:
    """(pk, due, total, programme) of the `per_partition` most urgent `places` (annotated
    with `due`) per contact person and programme, with the count of all of them. The
    overdue ones are read in this order from their covering index, without a sort."""
    partition = [F("contact_person_id"), F("programme_id")]
    return (
        places.annotate(
            total=Window(Count("pk"), partition_by=partition),
            rank=Window(RowNumber(), partition_by=partition, order_by=[F("due"), F("pk")]),
        )
        .filter(rank__lte=per_partition)
        .values_list(*RANKED)
    )


RANKED = ("pk", "due", "total", "programme_id")  # what `ranked_places` gives


def place_lines(ids: Iterable[int]) -> QuerySet[Any, Any]:
    """The columns of LINE_COLUMNS for these places.

    Tens of thousands of lines on the morning run: the ids as one parameter, not one
    each; no default ordering, which would sort them for nothing; and the plan read by
    its place's key line by line, which a join would do by reading every plan."""
    plan_of_place = Plan.objects.filter(enrolment=OuterRef("pk")).order_by().values("pk")
    return (
        Enrolment.objects.filter(_OneOf(F("pk"), ids))
        .annotate(plan_pk=Subquery(plan_of_place))
        .order_by()
        .values_list(*LINE_COLUMNS)
    )


class _OneOf(Expression):
    """`expression IN (ids)`; on PostgreSQL `= ANY(%s)` with the ids as one array."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, expression: Any, ids: Iterable[int]) -> None:
        super().__init__()
        self.expression, self.ids = expression, sorted(ids)

    def get_source_expressions(self) -> list[Any]:
        return [self.expression]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.expression,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        return compiler.compile(In(self.expression, self.ids))

    def as_postgresql(self, compiler: Any, connection: Any) -> Any:
        sql, params = compiler.compile(self.expression)
        return f"{sql} = ANY(%s)", [*params, self.ids]


class DueDates:
    """The date a line shows, from the date its kind ranks by; R7's end once per start."""

    def __init__(self, programmes: dict[int, Programme]) -> None:
        self.programmes = programmes
        self.ends: dict[tuple[int, datetime.date], datetime.date] = {}

    def __call__(self, kind: str, due: datetime.date, programme: int) -> datetime.date:
        if kind == "missing":
            return due + datetime.timedelta(days=settings.PLAN_MISSING_AFTER_DAYS)
        if kind == "ending":
            if (programme, due) not in self.ends:
                end = self.programmes[programme].latest_end(due)
                self.ends[programme, due] = end or due
            return self.ends[programme, due]
        return due


def route(
    items: list[Item], *, limit: int = LINES_PER_KIND * len(KIND_LABELS)
) -> dict[User, Digest]:
    """To the contact person while they work at the unit and can be reached by e-mail;
    otherwise to the unit managers."""
    members = _memberships(items)
    managers = managers_by_unit(items)
    routed: dict[User, Digest] = defaultdict(Digest)
    for item in items:
        contact = item.contact_id
        if contact is not None and (contact, item.unit_id) in members:
            routed[members[contact, item.unit_id]].add(item)
        else:
            for manager in managers.get(item.unit_id, []):
                routed[manager].add(item)
    return {person: digest.finish(limit) for person, digest in routed.items()}


def _memberships(items: list[Item]) -> dict[tuple[int, int], User]:
    """(user id, unit id) of every active contact person who still works at the unit and
    can be reached by e-mail; anyone else's items go to the unit manager."""
    ids = {i.contact_id for i in items if i.contact_id}
    through = User.units.through.objects.filter(user_id__in=ids, user__is_active=True).exclude(
        user__email=""
    )
    return {(m.user_id, m.unit_id): m.user for m in through.select_related("user")}


def managers_by_unit(items: list[Item]) -> dict[int, list[User]]:
    units = {i.unit_id for i in items}
    through = User.units.through.objects.filter(
        unit_id__in=units, user__is_active=True, user__role=Role.MANAGER
    ).select_related("user")
    managers: dict[int, list[User]] = defaultdict(list)
    for membership in through:
        managers[membership.unit_id].append(membership.user)
    return managers


# A provider takes today's date and returns, per recipient (active, with an e-mail address),
# lines shaped like `Item.as_email_line()` (name None for a protected person, plus `hidden`,
# the words shown instead; `day` is added from `date`), most urgent first; or notices,
# marked `"notice": True`, with "unit", "year", "due" and "path" (a report that is due),
# which the e-mail shows first.
EmailLine = dict[str, object]
DigestProvider = Callable[[datetime.date], dict[User, list[EmailLine]]]
_providers: list[DigestProvider] = []


def register_digest_provider(provider: DigestProvider) -> None:
    """Add lines of another app to the daily reminder e-mail; registering twice adds once."""
    if provider not in _providers:
        _providers.append(provider)


def provided_lines(*, today: datetime.date) -> dict[User, list[EmailLine]]:
    """Every registered provider's lines, per recipient."""
    lines: dict[User, list[EmailLine]] = defaultdict(list)
    for provider in _providers:
        for person, found in provider(today).items():
            lines[person] += found
    return lines
