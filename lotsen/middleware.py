from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from lotsen import two_factor


class LanguageMiddleware:
    """Swedish unless the user chose another language (the cookie set by set_language).

    Django's LocaleMiddleware would follow the browser's Accept-Language, giving staff
    with an English browser a half-English service they did not ask for.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# Reachable with a password alone: the steps of logging in, and what needs no login at all.
TWO_FACTOR_EXEMPT_NAMES = {"login", "logout", "health", "set_language"}
TWO_FACTOR_EXEMPT_NAMESPACES = {"public", "otp_webauthn"}
TWO_FACTOR_EXEMPT_VIEWS = {"account:verify", "account:enrol"}


class TwoFactorMiddleware:
    """A session that has only passed the password step reaches nothing but the second step
    (decision 0015), the admin included: every session with REQUIRE_TWO_FACTOR, and without
    it the session of a user who has set up a second step. After django-otp's OTPMiddleware,
    which gives the user `is_verified()`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            (settings.REQUIRE_TWO_FACTOR or two_factor.second_step_asked(request.session))
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and not _exempt(request)
        ):
            target = reverse("account:verify")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return self.get_response(request)


def _exempt(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True  # a 404 shows nothing
    return (
        match.url_name in TWO_FACTOR_EXEMPT_NAMES
        or bool(TWO_FACTOR_EXEMPT_NAMESPACES.intersection(match.namespaces))
        or match.view_name in TWO_FACTOR_EXEMPT_VIEWS
    )


class NoStoreMiddleware:
    """Pages for a logged-in user carry personal data: no browser or proxy keeps a copy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


class NotAllowedPageMiddleware:
    """A form's address opened in the browser (a bookmark, a link pasted, a reload after the
    post) gets Django's 405 with an empty body from `require_POST`: a blank page. It gets a
    Swedish page with the site's look instead, with the same status and Allow header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or request.method != "GET" or response.streaming:
            return response
        if response.content:
            return response
        page = render(request, "405.html", status=405)
        page["Allow"] = response.get("Allow", "")
        return page
