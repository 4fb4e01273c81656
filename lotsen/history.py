"""The records no one can quietly change (L1, L3): the database triggers that refuse
UPDATE and DELETE, and the two deliberate paths that set them aside for one transaction
(decision 0016). Trigger names are strings, so this base module imports no app."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pgtrigger

VISIT_TRIGGER = "participants.Visit:past_visit_never_changes"

PROTECTED_TRIGGERS = (
    "lotsen.AuditLogEntry:audit_log_never_changes",
    VISIT_TRIGGER,
    "plans.PlanVersion:plan_version_never_changes",
    "plans.FollowUp:follow_up_never_changes",
    "plans.GoalProgress:goal_progress_never_changes",
    "journal.Entry:signed_entry_never_changes",
    "journal.EntryCorrection:correction_never_changes",
    "journal.EntryNote:note_never_changes",
    "activities.AttendanceCorrection:attendance_correction_never_changes",
    "treatment.MeasurementCorrection:measurement_correction_never_changes",
)


@contextmanager
def retention_erasing() -> Iterator[None]:
    """The one path that deletes protected history: an approved retention run (L3)."""
    with pgtrigger.ignore(*PROTECTED_TRIGGERS):
        yield


@contextmanager
def attendance_correcting() -> Iterator[None]:
    """A past visit changes only together with the correction row that keeps the old mark,
    who changed it and why (written in the same transaction)."""
    with pgtrigger.ignore(VISIT_TRIGGER):
        yield
