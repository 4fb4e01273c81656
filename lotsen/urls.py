from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from lotsen import account_views, views

admin.site.site_header = "Lotsen"

urlpatterns = [
    path("", include("home.urls")),
    path("health/", views.health, name="health"),
    path("logga-in/", account_views.PasswordStepView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/", include("lotsen.account_urls")),
    path("konto/nyckel/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("deltagare/", include("participants.urls")),
    path("planer/", include("plans.urls")),
    path("verksamhet/", include("activities.urls")),
    path("journal/", include("journal.urls")),
    path("behandling/", include("treatment.urls")),
    path("arbete/", include("employment.urls")),
    path("rapporter/", include("reporting.urls")),
    path("", include("referrals.urls")),
    path("for-besokare/", include("referrals.public_urls")),
    # One way in for everyone, with both steps: the admin's own login form would take the
    # password only and leave the second step to a redirect after it.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
]
