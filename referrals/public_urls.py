from __future__ import annotations

from django.urls import path

from referrals.views import public

app_name = "public"
urlpatterns = [
    path("", public.unit_list, name="units"),
    path("tillganglighet/", public.accessibility, name="accessibility"),
    path("<slug:slug>/", public.unit_detail, name="unit"),
    path("<slug:slug>/intresseanmalan/", public.interest_form, name="interest"),
    path("<slug:slug>/tack/", public.thanks, name="thanks"),
]
