from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from lotsen import account_views

app_name = "account"
urlpatterns = [
    path("", account_views.account, name="account"),
    path("verifiera/", account_views.verify, name="verify"),
    path("tva-steg/", account_views.enrol, name="enrol"),
    path("reservkoder/", account_views.recovery_codes, name="recovery_codes"),
    path(
        "losenord/",
        auth_views.PasswordChangeView.as_view(
            template_name="account/password_change.html",
            success_url=reverse_lazy("account:password_changed"),
        ),
        name="password_change",
    ),
    path(
        "losenord/klart/",
        auth_views.PasswordChangeDoneView.as_view(template_name="account/password_changed.html"),
        name="password_changed",
    ),
]
