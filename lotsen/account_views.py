"""Logging in with a second factor, setting one up, and the staff member's own account
(decision 0015). The password step is Django's LoginView, counted by django-axes."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotsen import two_factor
from lotsen.models import User


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kod"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class RecoveryCodeForm(forms.Form):
    recovery_code = forms.CharField(
        label=gettext_lazy("Reservkod"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class PasswordStepView(auth_views.LoginView):
    """Django's LoginView. A user who has set up a second step is asked for it next even where
    REQUIRE_TWO_FACTOR does not ask it of everyone: "on" on their account page means on."""

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        if two_factor.has_second_factor(form.get_user()):
            two_factor.ask_for_second_step(self.request.session)
        return response


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _wrong_code_message(throttled: bool) -> str:
    if throttled:
        return _(
            "För många försök i rad. Vänta en halv minut och skriv den kod som appen visar då."
        )
    return _("Koden stämmer inte. Skriv den kod som appen visar nu.")


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of logging in: a passkey, a code from the app or a recovery code."""
    user = _user(request)
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(_next_url(request))
    if not two_factor.has_second_factor(user):
        if two_factor.second_step_asked(request.session) and not settings.REQUIRE_TWO_FACTOR:
            # Its devices were deleted since the password step: nothing is left to ask for.
            two_factor.forget_second_step(request.session)
            return redirect(_next_url(request))
        return redirect(f"{resolve_url('account:enrol')}?{urlencode({'next': _next_url(request)})}")
    code_form = CodeForm(request.POST if "code" in request.POST else None)
    recovery_form = RecoveryCodeForm(request.POST if "recovery_code" in request.POST else None)
    if code_form.is_valid():
        throttled = two_factor.throttled(user)
        device = two_factor.verify_code(user, code_form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        code_form.add_error("code", _wrong_code_message(throttled))
    if recovery_form.is_valid():
        device = two_factor.verify_recovery_code(user, recovery_form.cleaned_data["recovery_code"])
        if device is not None:
            otp_login(request, device)
            messages.warning(
                request,
                _("Du har %(count)s reservkoder kvar.")
                % {"count": two_factor.recovery_codes_left(user)},
            )
            return redirect(_next_url(request))
        recovery_form.add_error(
            "recovery_code", _("Reservkoden stämmer inte eller är redan använd.")
        )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "account/verify.html",
        {
            "code_form": code_form,
            "recovery_form": recovery_form,
            "has_passkey": two_factor.has_passkey(user),
            "has_app": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "next": _next_url(request),
        },
        status=status,
    )


@never_cache
@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app or a passkey: at the first login, or later from the
    account page (then only with a verified session, so a stolen password adds nothing)."""
    user = _user(request)
    if two_factor.has_second_factor(user) and not user.is_verified():  # type: ignore[attr-defined]
        return redirect("account:verify")
    device = two_factor.pending_app_device(user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        throttled = two_factor.throttled(user)
        if two_factor.confirm_app_device(device, form.cleaned_data["code"]):
            otp_login(request, device)
            return redirect("account:recovery_codes")
        form.add_error("code", _wrong_code_message(throttled))
    return render(
        request,
        "account/enrol.html",
        {
            "form": form,
            "qr_code": two_factor.qr_code_svg(device),
            "secret": two_factor.secret_for_typing(device),
        },
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown this once; made at once when the user has none."""
    user = _user(request)
    codes: list[str] = []
    if request.method == "POST" or two_factor.recovery_codes_left(user) == 0:
        codes = two_factor.new_recovery_codes(user)
        # Every setup of a second step ends here (the app's code or a passkey, then the
        # codes): sessions elsewhere that began with the password alone end now.
        if two_factor.sign_out_elsewhere(user, keep=request.session.session_key):
            messages.info(request, _("Du är utloggad på dina andra inloggningar."))
    return render(
        request,
        "account/recovery_codes.html",
        {"codes": codes, "left": two_factor.recovery_codes_left(user)},
    )


@never_cache
@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(request, "account/account.html", {"factors": two_factor.second_factors(user)})
