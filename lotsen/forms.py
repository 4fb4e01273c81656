"""Form fields every app shares: numbers typed the Swedish way, staff by name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class StaffChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Staff by full name; an account without one by its username, marked as such."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Several staff, each named as `StaffChoiceField` names them."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class DecimalCommaField(forms.DecimalField):
    """A decimal number as Swedes type it: "3,5" as well as "3.5", in either language of the
    interface, in a text box with the phone's decimal keyboard."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Skriv ett tal, till exempel 3,5."),
    }

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
        return super().to_python(value)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        # A text box: step/min/max would make a browser refuse "3,5" before it is sent.
        for name in ("step", "min", "max"):
            attrs.pop(name, None)
        return {**attrs, "inputmode": "decimal", "autocomplete": "off"}

    def prepare_value(self, value: Any) -> Any:
        """Shown back with a comma, as typed."""
        value = super().prepare_value(value)
        return str(value).replace(".", ",") if value not in (None, "") else value
