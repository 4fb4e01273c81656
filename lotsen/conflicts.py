"""Two people editing one record at once: the form carries a fingerprint of the record as
the user saw it, and a save over someone else's change is refused with the user's text
kept, as plans do with their revision (decision 0007)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from django import forms
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

CONFLICT = _(
    "Någon annan har ändrat uppgifterna medan du skrev. Din text finns kvar nedan men är "
    "inte sparad: jämför med sidan i en ny flik och spara igen för att skriva över."
)


def stale_revision(data: Mapping[str, Any], current: int) -> bool:
    """Whether a form was filled in on an older revision than the record's `current` one.

    Checked before the form's own validation: its choices already follow the new state, so
    a step offered on the old page would otherwise fail as an unknown choice."""
    try:
        return int(data.get("revision", "")) != current
    except (TypeError, ValueError):
        return False


def typed_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """What the user typed in a refused form, to offer again on the current record."""
    return {k: v for k, v in data.items() if k not in ("revision", "csrfmiddlewaretoken")}


def fingerprint(instance: models.Model | None) -> str:
    """A short digest of every stored value; "new" for a record not saved yet."""
    if instance is None or instance.pk is None:
        return "new"
    values = [str(getattr(instance, f.attname)) for f in instance._meta.concrete_fields]
    return hashlib.sha256(json.dumps(values).encode()).hexdigest()[:32]


class ConflictCheckedForm(forms.ModelForm):
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seen"].initial = fingerprint(self.instance)

    def save_unless_changed(self) -> bool:
        """Save if the record is as the user saw it; else add the error and let the next
        save, made knowing of the change, go through."""
        model = type(self.instance)
        with transaction.atomic():
            current = (
                model._default_manager.select_for_update().filter(pk=self.instance.pk).first()
                if self.instance.pk
                else None
            )
            now = fingerprint(current)
            if now != (self.cleaned_data.get("seen") or "new"):
                data = self.data.copy()  # type: ignore[attr-defined]
                data[self.add_prefix("seen")] = now
                self.data = data
                self.add_error(None, CONFLICT)
                return False
            self.save()
        return True
