from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = _("Journal")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from journal.models import Entry, EntryCorrection, EntryNote

        # Drafts are not audited keystroke by keystroke: they are the author's own unsaved
        # work; what counts is the signed entry, logged when it is created (L1, L2).
        auditlog.register(Entry)
        auditlog.register(EntryCorrection)
        auditlog.register(EntryNote)
