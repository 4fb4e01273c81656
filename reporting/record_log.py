"""The unit manager's review of the record log (L2): who read or changed which person's
record, with flags for protected persons (L4) and for reads outside the reader's caseload."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import ActivityMember
from lotsen.csvfile import BOM, CsvWriter, csv_writer
from lotsen.models import Unit, User
from participants.models import Enrolment, Participant, RecordEvent

# Where a read happened, in words: the events keep the page's URL name, the record's model
# or the extract's kind (data for the code); the manager reads these labels instead.
PAGE_LABELS = {
    "home": gettext_lazy("Mina uppgifter"),
    "participants:list": gettext_lazy("Deltagarregistret"),
    "participants:capacity_detail": gettext_lazy("Programmets väntelista"),
    "participants:detail": gettext_lazy("Personens sida"),
    "referrals:list": gettext_lazy("Anmälningar"),
    "referrals:waiting": gettext_lazy("Väntelistan"),
    "activities:sheet": gettext_lazy("Närvarolistan"),
    "activities:sheet_today": gettext_lazy("Närvarolistan"),
    "activities:session": gettext_lazy("Aktivitetstillfälle"),
    "reporting:record_log": gettext_lazy("Loggen"),
    "reporting:retention": gettext_lazy("Gallring"),
    "journal:list": gettext_lazy("Journalen"),
    "journal:entry": gettext_lazy("Journalanteckning"),
    "journal:pdf": gettext_lazy("Journalen som PDF"),
    "journal:new": gettext_lazy("Ny journalanteckning"),
    "journal:draft": gettext_lazy("Utkast till journalanteckning"),
    "journal:sign": gettext_lazy("Signering av journalanteckning"),
    "journal:session": gettext_lazy("Dokumentation av gruppaktivitet"),
    "pdf": gettext_lazy("Registerutdrag (PDF)"),
    "json": gettext_lazy("Registerutdrag (maskinläsbart)"),
    "inspection": gettext_lazy("Utdrag för tillsyn"),
}


def page_label(page: str) -> str:
    """The page or record an event names, in words; never the code's own names."""
    if page in PAGE_LABELS:
        return str(PAGE_LABELS[page])
    if page.startswith("journal:"):
        return str(PAGE_LABELS["journal:list"])
    if "." in page and ":" not in page:
        try:
            return str(apps.get_model(page)._meta.verbose_name).capitalize()
        except (LookupError, ValueError):
            pass
    return _("Annan sida")


@dataclass
class LogRow:
    event: RecordEvent
    person: Participant | None
    protected: bool
    outside_caseload: bool

    @property
    def page(self) -> str:
        return page_label(self.event.page)


def record_events(
    *,
    units: QuerySet[Unit],
    person: Participant | None = None,
    staff: User | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[RecordEvent]:
    """The events of the units' people, and the log's own reads by the units' staff."""
    staff_of_units = User.objects.filter(units__in=units)
    events = RecordEvent.objects.filter(
        Q(unit__in=units) | Q(unit__isnull=True, user__in=staff_of_units)
    ).select_related("user")
    if person is not None:
        events = events.filter(participant_id=person.pk)
    if staff is not None:
        events = events.filter(user=staff)
    if start is not None:
        events = events.filter(at__date__gte=start)
    if end is not None:
        events = events.filter(at__date__lte=end)
    return events


def caseload_pairs(pairs: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Of (user id, participant id) pairs, those where the user works with the person: in
    the person's team, their contact person, or leading a group the person belongs to.
    Three queries whatever the number of pairs."""
    users = {u for u, _p in pairs}
    people = {p for _u, p in pairs}
    if not pairs:
        return set()
    team = Participant.team.through.objects.filter(user_id__in=users, participant_id__in=people)
    found = set(team.values_list("user_id", "participant_id"))
    found |= set(
        Enrolment.objects.filter(
            contact_person_id__in=users, participant_id__in=people
        ).values_list("contact_person_id", "participant_id")
    )
    found |= set(
        ActivityMember.objects.filter(
            activity__leaders__in=users, participant_id__in=people
        ).values_list("activity__leaders", "participant_id")
    )
    return found & pairs


def log_rows(events: Iterable[RecordEvent]) -> list[LogRow]:
    events = list(events)
    ids = {e.participant_id for e in events if e.participant_id}
    people = Participant.objects.in_bulk(ids)
    pairs = {(e.user_id, e.participant_id) for e in events if e.user_id and e.participant_id}
    works_with = caseload_pairs(pairs)  # type: ignore[arg-type]
    return [
        LogRow(
            event=e,
            person=people.get(e.participant_id) if e.participant_id else None,
            protected=bool(
                e.participant_id
                and e.participant_id in people
                and people[e.participant_id].protected_identity
            ),
            # An opened record or an extract, by someone who does not work with the person;
            # a name seen in a list (the day's sheet lists everyone) is routine, and the unit
            # manager's caseload is the whole unit.
            outside_caseload=bool(
                e.participant_id
                and e.user_id
                and e.kind in ("read", "extract")
                and not (e.user and e.user.is_manager)
                and (e.user_id, e.participant_id) not in works_with
            ),
        )
        for e in events
    ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def log_csv(events: QuerySet[RecordEvent], chunk: int = 500) -> Iterator[str]:
    """The log as CSV rows, in chunks so that a long period does not fill the memory."""
    writer = csv_writer(_Echo())
    yield BOM
    yield writer.writerow(
        [
            _("Tid"),
            _("Personal"),
            _("Händelse"),
            _("Sida eller uppgift"),
            _("Person"),
            _("Skyddade personuppgifter"),
            _("Utanför arbetsuppgifterna"),
        ]
    )
    batch: list[RecordEvent] = []
    for event in events.iterator(chunk_size=chunk):
        batch.append(event)
        if len(batch) == chunk:
            yield from _csv_lines(writer, batch)
            batch = []
    yield from _csv_lines(writer, batch)


def _csv_lines(writer: CsvWriter, batch: list[RecordEvent]) -> Iterator[str]:
    yes, no = _("ja"), _("nej")
    for row in log_rows(batch):
        at = timezone.localtime(row.event.at).strftime("%Y-%m-%d %H:%M")
        yield writer.writerow(
            [
                at,
                row.event.user.display_name if row.event.user else "",
                row.event.get_kind_display(),
                row.page,
                row.person.full_name if row.person else "",
                yes if row.protected else no,
                yes if row.outside_caseload else no,
            ]
        )
