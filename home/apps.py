from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The start page of each role: it reads every app, so it sits on top of them all."""

    name = "home"
    verbose_name = _("Startsida")
