from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotsen.models import Unit
from participants.forms import limit_choices


class AnnualReportForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Enhet"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        limit_choices(self, "unit", units)
        self.fields["unit"].initial = units.first()
        self.fields["year"] = forms.IntegerField(
            label=_("År"), min_value=2000, max_value=this_year, initial=this_year
        )
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.add_input(Submit("pdf", _("Ladda ned PDF")))
