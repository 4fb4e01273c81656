from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from journal.models import Entry, EntryCorrection, EntryKind, EntryNote, UnitJournalRules


@admin.register(EntryKind)
class EntryKindAdmin(admin.ModelAdmin):
    """Administrators edit the list of kinds; a kind in use cannot be deleted (PROTECT)."""

    list_display = ["name", "position", "active"]
    list_editable = ["position", "active"]


@admin.register(UnitJournalRules)
class UnitJournalRulesAdmin(admin.ModelAdmin):
    list_display = ["unit", "late_after_days"]


class _ReadOnly(admin.ModelAdmin):
    """Signed entries, corrections and notes are read in the admin, never changed (L1)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Entry)
class EntryAdmin(_ReadOnly):
    list_display = ["pk", "participant_id", "kind", "author", "occurred_at", "signed_at", "late"]
    list_filter = ["kind", "late", "participant__unit"]


@admin.register(EntryCorrection)
class EntryCorrectionAdmin(_ReadOnly):
    list_display = ["pk", "entry_id", "created_by", "created_at"]


@admin.register(EntryNote)
class EntryNoteAdmin(_ReadOnly):
    list_display = ["pk", "entry_id", "created_by", "created_at"]
