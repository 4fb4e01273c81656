"""The site's URLs plus the empty page every measurement is compared with."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from lotsen.urls import urlpatterns as site


@login_required
def empty_page(request: HttpRequest) -> HttpResponse:
    """An empty page of the site: base.html and nothing else, for a signed-in member of staff."""
    return render(request, "base.html")


urlpatterns = [path("bench/tom-sida/", empty_page, name="bench_empty"), *site]
