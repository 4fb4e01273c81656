from __future__ import annotations

import datetime

from employment.models import Case
from employment.services import case_open
from tests.factories import TODAY, make_participant, make_place


def open_case(ips, specialist, *, intake: datetime.date, by=None) -> Case:  # type: ignore[no-untyped-def]
    person = make_participant(ips.programme.unit)
    place = make_place(person, ips.programme, start=intake, hours=None)
    return case_open(
        enrolment=place, specialist=specialist, intake_on=intake, by=by or specialist, today=TODAY
    )
