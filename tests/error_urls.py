"""The site's URLs plus views that fail, for tests/test_error_pages.py."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from lotsen.urls import urlpatterns as site


def _fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret internals: /srv/lotsen/settings.py")


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("internal reason")


def _bad(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("internal reason")


urlpatterns = [
    path("test-fel/500/", _fails),
    path("test-fel/403/", _forbidden),
    path("test-fel/400/", _bad),
    *site,
]
