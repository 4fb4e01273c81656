"""What the treatment courses add to the unit's day sheet (decision 0013): who is expected
on a day, and that a day's month is in a confirmed statement."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from treatment.models import CourseParticipant, CourseType, Statement


def expected_in_course(day: datetime.date) -> Q:
    """A place in a programme run as courses is expected only on the days its person's group
    meets (a session held that day, while they are in the group); other places always."""
    meets = CourseParticipant.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gte=day),
        place=OuterRef("pk"),
        joined_on__lte=day,
        course__activity__sessions__date=day,
        course__activity__sessions__cancelled=False,
    )
    run_as_courses = CourseType.objects.filter(programme=OuterRef("programme"))
    return Q(Exists(meets)) | ~Q(Exists(run_as_courses))


def confirmed_month(day: datetime.date) -> tuple[Exists, str]:
    """R25: the day's month is in a confirmed statement of the programme's unit; a change of
    the day's attendance does not change the statement until a correction is confirmed."""
    confirmed = Statement.objects.filter(unit=OuterRef("unit"), month=day.replace(day=1))
    return Exists(confirmed), _(
        "Månadsredovisningen för den här månaden är bekräftad. Ändras närvaron behöver "
        "enhetschefen bekräfta en rättelse av redovisningen."
    )
