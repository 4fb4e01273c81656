"""The user's units: every object a view shows is scoped to them (L2).

Each app fetches its own records through `get_<thing>_for_user` in its `access.py`, built
on these; anything outside the user's units is a 404, so that another unit's staff cannot
even learn that a record exists.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from lotsen.models import Programme, Role, Unit, User


def user_of(request: HttpRequest) -> User:
    user = request.user
    assert user.is_authenticated
    return user  # type: ignore[return-value]


def units_of(request: HttpRequest) -> QuerySet[Unit]:
    return Unit.objects.filter(staff=user_of(request))


def programmes_for(request: HttpRequest) -> QuerySet[Programme]:
    return Programme.objects.filter(unit__in=units_of(request)).select_related("unit")


# Every list of staff reads in this order: by first name, then last name; an account without
# a name (shown by its username) comes first, as PostgreSQL sorts the empty name.
BY_NAME = ("first_name", "last_name", "username")


def _can_work(units: QuerySet[Unit]) -> Q:
    return Q(units__in=units, is_active=True, is_superuser=False) & ~Q(role=Role.ADMINISTRATOR)


def working_staff(units: QuerySet[Unit]) -> QuerySet[User]:
    """The units' staff who can do the work (lead an activity, treat, attend a meeting): the
    active members, by name; never a superuser or the administrator's account, even where
    such an account is a member of the units."""
    return User.objects.filter(_can_work(units)).distinct().order_by(*BY_NAME)


def contact_persons(units: QuerySet[Unit], *, with_current: bool = False) -> QuerySet[User]:
    """Who can be someone's contact person (R9: one of the team): the units' working staff.
    `with_current` (for filters) adds whoever still is the contact person of a running place
    in the units, so that the places of a colleague who has left can be found and handed on."""
    can_be = _can_work(units)
    if with_current:
        can_be |= Q(
            contact_enrolments__programme__unit__in=units,
            contact_enrolments__outcome="",
        )
    return User.objects.filter(can_be).distinct().order_by(*BY_NAME)


def get_unit_for_user(request: HttpRequest, slug: str) -> Unit:
    """One of the user's units; any other unit is a 404 (L2)."""
    return get_object_or_404(units_of(request), slug=slug)
