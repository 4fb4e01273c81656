"""IPS records, fetched only within the user's units (L2); reads of a person's case logged."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from auditlog.signals import accessed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from employment.models import Case, Employer, EmploymentProgramme, JobStart
from lotsen.access import units_of, user_of
from participants.models import Participant


def programmes_for_user(request: HttpRequest) -> QuerySet[EmploymentProgramme]:
    return EmploymentProgramme.objects.filter(programme__unit__in=units_of(request)).select_related(
        "programme__unit"
    )


def ips_staff_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The IPS pages are for staff of a unit that runs IPS (L2): anyone else gets 404, as
    for another unit's pages, and no menu or link of theirs leads here."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not programmes_for_user(request).exists():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def cases_for_user(request: HttpRequest) -> QuerySet[Case]:
    return Case.objects.visible_to(user_of(request))


def get_case_for_user(request: HttpRequest, pk: int) -> Case:
    queryset = cases_for_user(request).select_related(
        "enrolment__participant", "enrolment__programme__unit", "specialist", "programme"
    )
    case = get_object_or_404(queryset, pk=pk)
    accessed.send(sender=Participant, instance=case.enrolment.participant)
    return case


def get_job_for_user(request: HttpRequest, pk: int) -> JobStart:
    job = get_object_or_404(
        JobStart.objects.filter(case__in=cases_for_user(request)).select_related(
            "case__enrolment__participant"
        ),
        pk=pk,
    )
    accessed.send(sender=Participant, instance=job.case.enrolment.participant)
    return job


def employers_for_user(request: HttpRequest) -> QuerySet[Employer]:
    return Employer.objects.filter(unit__in=units_of(request))


def get_employer_for_user(request: HttpRequest, pk: int) -> Employer:
    return get_object_or_404(employers_for_user(request), pk=pk)
