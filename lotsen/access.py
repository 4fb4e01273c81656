"""The user's units: every object a view shows is scoped to them (L2).

Each app fetches its own records through `get_<thing>_for_user` in its `access.py`, built
on these; anything outside the user's units is a 404, so that another unit's staff cannot
even learn that a record exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from lotsen.models import Programme, Unit

if TYPE_CHECKING:
    from lotsen.models import User


def user_of(request: HttpRequest) -> User:
    user = request.user
    assert user.is_authenticated
    return user  # type: ignore[return-value]


def units_of(request: HttpRequest) -> QuerySet[Unit]:
    return Unit.objects.filter(staff=user_of(request))


def programmes_for(request: HttpRequest) -> QuerySet[Programme]:
    return Programme.objects.filter(unit__in=units_of(request)).select_related("unit")


def get_unit_for_user(request: HttpRequest, slug: str) -> Unit:
    """One of the user's units; any other unit is a 404 (L2)."""
    return get_object_or_404(units_of(request), slug=slug)
