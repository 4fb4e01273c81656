"""The attendance sheet's rows as HTML: one renderer for the whole sheet and for the row an
htmx mark answers with, so that the two never differ.

A sheet has hundreds of rows; rendering each through a template cost most of the page
(a CSRF token, several translations and URL reversals per row). Here the strings that are
the same on every row are translated, escaped and reversed once per page.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from html import escape  # as django.utils.html.escape, without a SafeString per call

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from activities.attendance import SheetRow, hours_text
from lotsen.models import Unit


class SheetRowRenderer:
    """Renders rows of one unit's sheet for one day, as `activities/sheet.html` shows them."""

    def __init__(
        self, request: HttpRequest, *, unit: Unit, day: datetime.date, mark_url: str, locked: bool
    ) -> None:
        self.locked = locked
        url = escape(mark_url)
        # One token value for the page: every form posts it (BREACH masking is per response).
        csrf = format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
        )
        self.head = (
            f'<form method="post" action="{url}" hx-post="{url}" hx-target="closest li" '
            'hx-swap="innerHTML" hx-sync="this:queue last" hx-trigger="submit, change" '
            'class="d-flex flex-wrap align-items-center gap-2'
        )
        self.csrf = f"\n  {csrf}\n"
        self.save = (
            '  <button type="submit" name="action" value="present" class="d-none" '
            f'tabindex="-1">{escape(_("Spara"))}</button>\n'
        )
        self.walk_in = (
            f' <span class="badge text-bg-light border">{escape(_("kom utan att väntas"))}</span>'
        )
        self.present = escape(_("Närvarande"))
        self.hours_missing = f' <span class="status-soon">{escape(_("timmar saknas"))}</span>'
        self.not_marked = f'<span class="visually-hidden">{escape(_("Inte markerad"))}</span>'
        self.tim = escape(_("tim"))
        self.undo = escape(_("Ångra"))
        self.correct = escape(_("Rätta"))
        # blocktranslate's messages: the translation as it is, the values escaped.
        self.planned_msg = _("planerat %(h)s tim/vecka")
        self.hours_msg = _("%(h)s tim")
        self.label_msg = _("Timmar i dag för %(name)s")
        self.correct_msg = _("Rätta närvaro för %(name)s")
        self.undo_msg = _("Ångra närvaro för %(name)s")
        self.present_msg = _("Närvarande: %(name)s")
        self.correct_url = _correct_url_maker(unit, day) if locked else None
        self.locked_spacing = "\n  \n  "  # the template's blank lines around a locked row
        self._planned_texts: dict[Decimal, str] = {}
        self._hours_texts: dict[Decimal, str] = {}

    def items(self, rows: list[SheetRow]) -> SafeString:
        """The rows with their list items, as on the sheet."""
        return mark_safe(  # noqa: S308 (built from escaped parts)
            "".join(
                f'\n    <li class="list-group-item sheet-row" id="row-{key}">'
                f"{self._form(row, key, '', '')}</li>\n    "
                for row in rows
                for key in (f"{row.participant.pk}-{row.programme.pk}",)
            )
        )

    def form(self, row: SheetRow, *, error: str = "", typed: str = "") -> SafeString:
        """The row's form, all that an htmx mark swaps into the list item."""
        return mark_safe(self._form(row, row.key, error, typed))  # noqa: S308 (escaped)

    def _form(self, row: SheetRow, key: str, error: str, typed: str) -> str:
        person, visit = row.participant, row.visit
        name = escape(f"{person.first_name} {person.last_name}")
        locked_visit = self.locked and visit is not None
        trainee = row.programme.is_work_training
        return (
            f'\n{self.head}{" is-present" if visit else ""}">{self.csrf}'
            f'  <input type="hidden" name="participant" value="{person.pk}">\n'
            f'  <input type="hidden" name="programme" value="{row.programme.pk}">\n  \n'
            f"{self.save}{self._name(row)}\n  "
            f"{self._hours(row, key, name, trainee, locked_visit, error, typed) if trainee else ''}"
            f"{'' if trainee or not locked_visit else self.locked_spacing}"
            f'\n  <span class="sheet-status">{self._status(row, trainee)}</span>\n  \n  '
            f"{self._button(row, key, name, locked_visit)}\n  \n  "
            + (
                f'<span class="text-danger w-100" id="error-{key}" role="alert">'
                f"{escape(error)}</span>"
                if error
                else ""
            )
            + "\n</form>\n\n"
        )

    def _name(self, row: SheetRow) -> str:
        last, first = escape(row.participant.last_name), escape(row.participant.first_name)
        html = f'  <span class="sheet-name flex-grow-1" data-name="{last}, {first}">{last}, {first}'
        if row.walk_in:
            html += self.walk_in
        if row.planned_hours is not None:
            html += (
                f' <span class="text-body-secondary">· {self._planned(row.planned_hours)}</span>'
            )
        return html + "</span>"

    def _hours(
        self,
        row: SheetRow,
        key: str,
        name: str,
        trainee: bool,
        locked_visit: bool,
        error: str,
        typed: str,
    ) -> str:
        """A trainee's hours: typed, or shown once the day is locked."""
        hours = row.visit.hours if row.visit is not None else None
        if locked_visit:
            return f"\n  <span>{self.hours_msg % {'h': self._hours_text(hours) or '–'}}</span>\n  "
        value = escape(typed) if typed and error else self._hours_text(hours)
        invalid = f' aria-invalid="true" aria-describedby="error-{key}"' if error else ""
        return (
            f'\n  <label for="hours-{key}" class="visually-hidden">'
            f"{self.label_msg % {'name': name}}</label>\n"
            f'  <input type="text" inputmode="decimal" autocomplete="off" id="hours-{key}" '
            f'name="hours" class="form-control form-control-sm sheet-hours" '
            f'value="{value}"{invalid}>\n'
            f'  <span aria-hidden="true">{self.tim}</span>\n  '
        )

    def _status(self, row: SheetRow, trainee: bool) -> str:
        if row.visit is None:
            return self.not_marked
        missing = trainee and row.visit.hours is None
        return f"✓ {self.present}{self.hours_missing if missing else ''}"

    def _button(self, row: SheetRow, key: str, name: str, locked_visit: bool) -> str:
        """Correct (a locked day), undo (marked) or mark present."""
        if locked_visit:
            assert self.correct_url is not None
            href = escape(self.correct_url(row.participant.pk, row.programme.pk))
            return (
                f'<a class="btn btn-sm btn-outline-secondary" href="{href}" '
                f'aria-label="{self.correct_msg % {"name": name}}">{self.correct}</a>'
            )
        if row.visit is not None:
            return (
                f'<button type="submit" name="action" value="absent" id="btn-{key}" '
                f'class="btn btn-sm btn-outline-secondary" '
                f'aria-label="{self.undo_msg % {"name": name}}">{self.undo}</button>'
            )
        return (
            f'<button type="submit" name="action" value="present" id="btn-{key}" '
            f'class="btn btn-sm btn-primary" '
            f'aria-label="{self.present_msg % {"name": name}}">{self.present}</button>'
        )

    def _planned(self, hours: Decimal) -> str:
        if (text := self._planned_texts.get(hours)) is None:
            text = self.planned_msg % {"h": floatformat(hours, "-2")}
            self._planned_texts[hours] = text
        return text

    def _hours_text(self, hours: Decimal | None) -> str:
        if hours is None:
            return ""
        if (text := self._hours_texts.get(hours)) is None:
            text = self._hours_texts[hours] = escape(hours_text(hours))
        return text


def _correct_url_maker(unit: Unit, day: datetime.date) -> Callable[[int, int], str]:
    """The correction link of a row without reversing the URL 400 times: the pattern ends
    with the two ids, so the rest is reversed once."""

    def reversed_for(participant_pk: int, programme_pk: int) -> str:
        kwargs = {"participant_pk": participant_pk, "programme_pk": programme_pk}
        return reverse("activities:visit_correct", kwargs={"unit": unit.slug, "day": day, **kwargs})

    probe = reversed_for(1, 1)
    if not probe.endswith("/1/1/"):
        return reversed_for
    prefix = probe[: -len("1/1/")]
    return lambda participant_pk, programme_pk: f"{prefix}{participant_pk}/{programme_pk}/"
