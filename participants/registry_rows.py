"""The registry's rows as HTML, as `participants/list.html` showed them with a template loop:
a page of 50 people, each with their places and contact persons, cost a third of the page
in the template engine (decision 0019 did the same for the attendance sheet). The words are
translated and the link reversed once per page; every value is escaped."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape  # as django.utils.html.escape, without a SafeString per call

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lotsen.models import User
from lotsen.paths import path_with_key
from participants.models import Participant


def registry_rows(people: Iterable[Participant]) -> SafeString:
    """One table row per person (read with `current_places`), or "" for none."""
    protected = f' <span class="badge text-bg-warning">{escape(_("Skyddad"))}</span>'
    rows = []
    for p in people:
        places = p.current_places  # type: ignore[attr-defined]
        url = path_with_key("participants:detail", p.pk)
        rows.append(
            f'\n    <tr><td><a href="{escape(url)}">{escape(p.last_name)}, '
            f"{escape(p.first_name)}</a>{protected if p.protected_identity else ''}</td>"
            f'\n    <td class="date">{p.birth_date.isoformat()}</td>'
            f"\n    <td>{_programmes(places)}</td>"
            f"\n    <td>{_contact_persons(places)}</td></tr>\n  "
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value escaped above)


def _programmes(places: list[object]) -> str:
    if not places:
        return "–"
    return ", ".join(escape(e.programme.name) for e in places)  # type: ignore[attr-defined]


def _contact_persons(places: list[object]) -> str:
    """Each place's contact person in the order of the programmes beside them; "–" for a
    place without one, as for a person without a place."""
    if not places:
        return "–"
    return ", ".join(_contact_person(e.contact_person) for e in places)  # type: ignore[attr-defined]


def _contact_person(user: User | None) -> str:
    return "–" if user is None else escape(user.display_name)
