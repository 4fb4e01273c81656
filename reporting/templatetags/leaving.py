"""Counts as they leave the unit, in the annual report's PDF: `{{ n|masked }}` shows 1 to 4
as "färre än 5", the CSV's rule (`reporting.exports.shown_count`); `{% if n|masks %}`."""

from __future__ import annotations

from django import template

from employment.figures import withheld as employment_withheld
from reporting.exports import SUPPRESS_BELOW, Count, hidden, masking_note, shown_count

register = template.Library()


@register.filter
def masked(value: Count) -> Count | str:
    return shown_count(value)


@register.filter
def masks(value: Count) -> bool:
    return hidden(value)


@register.simple_tag
def withheld() -> str:
    """What a share of a group too small to count shows, as on the IPS follow-up."""
    return employment_withheld(SUPPRESS_BELOW)


@register.simple_tag(name="masking_note")
def masking_note_tag() -> str:
    return masking_note()
