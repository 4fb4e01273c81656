"""Pages for visitors, without logging in (mission item 7; L5 accessibility).

The interest form tells nothing about existing records: whatever is in the register, a
valid, a duplicate and a bot's submission all end on the same confirmation page.
"""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from lotsen.celery import enqueue
from lotsen.models import Unit
from referrals import opening
from referrals.forms import InterestForm
from referrals.models import PublicUnitInfo
from referrals.ratelimit import hit
from referrals.services import referral_from_web
from referrals.tasks import notify_web_referral

log = logging.getLogger(__name__)
RATE_SCOPE = "interest-form"


def _published() -> object:
    return PublicUnitInfo.objects.filter(published=True).select_related("unit")


def unit_list(request: HttpRequest) -> HttpResponse:
    return render(request, "public/unit_list.html", {"infos": _published()})


def _info(slug: str) -> PublicUnitInfo:
    return get_object_or_404(_published(), unit__slug=slug)  # type: ignore[arg-type]


def unit_detail(request: HttpRequest, slug: str) -> HttpResponse:
    info = _info(slug)
    today = timezone.localdate()
    context = {
        "info": info,
        "programmes": info.unit.programmes.all(),
        "week": opening.week(info.unit, today=today),
        "exceptions": opening.exceptions(info.unit, today=today),
        "activities": opening.coming_activities(info.unit, today=today),
    }
    return render(request, "public/unit_detail.html", context)


@never_cache
def interest_form(request: HttpRequest, slug: str) -> HttpResponse:
    info = _info(slug)
    unit: Unit = info.unit
    if request.method == "POST":
        if len(request.body) > settings.PUBLIC_FORM_MAX_BYTES:
            return render(request, "public/too_large.html", {"info": info}, status=413)
        form = InterestForm(request.POST, unit=unit)
        # Only what would be saved counts: a visitor correcting a typo is not limited.
        if (form.is_bot or form.is_valid()) and not _within_limit(request):
            return render(request, "public/rate_limited.html", {"info": info}, status=429)
        if form.is_bot:
            log.info("Interest form: honeypot filled in, nothing saved")
            return redirect("public:thanks", slug=unit.slug)
        if form.is_valid():
            referral, created = referral_from_web(
                unit=unit,
                name=form.cleaned_data["name"],
                contact=form.cleaned_data["contact"],
                programme=form.cleaned_data["programme"],
                interest=form.cleaned_data["interest"],
                submission_key=form.cleaned_data["submission_key"],
                today=timezone.localdate(),
            )
            log.info("Interest form: referral %s received", referral.pk)
            if created:  # the unit's managers get a notice without personal data
                # With the broker down the visitor still gets the thanks page; the daily
                # run sends the notice (notified_at is still empty).
                transaction.on_commit(partial(enqueue, notify_web_referral, referral.pk))
            return redirect("public:thanks", slug=unit.slug)
        return render(
            request, "public/interest_form.html", {"form": form, "info": info}, status=400
        )
    form = InterestForm(unit=unit)
    return render(request, "public/interest_form.html", {"form": form, "info": info})


def _within_limit(request: HttpRequest) -> bool:
    return hit(request, RATE_SCOPE, limit=settings.PUBLIC_FORM_LIMIT_PER_HOUR, period=3600)


def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "public/thanks.html", {"info": _info(slug)})


def accessibility(request: HttpRequest) -> HttpResponse:
    """Tillgänglighetsredogörelse (L5), with how to report problems."""
    return render(request, "public/accessibility.html", {"infos": _published()})
