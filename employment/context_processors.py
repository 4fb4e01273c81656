"""What the menu shows: the IPS tab for staff whose units run an IPS programme, and none of
Lotsen's day-activity tabs for staff whose units run only IPS (issue 15)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from lotsen.access import user_of
from lotsen.models import Programme


def _kinds(request: HttpRequest) -> dict[str, bool]:
    ips = [
        pk is not None
        for pk in Programme.objects.filter(unit__staff=user_of(request)).values_list(
            "employment", flat=True
        )
    ]
    return {"any": any(ips), "only": bool(ips) and all(ips)}


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    kinds = SimpleLazyObject(lambda: _kinds(request))
    return {"nav_ips": kinds}
