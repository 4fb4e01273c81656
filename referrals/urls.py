from __future__ import annotations

from django.urls import path

from referrals.views import collaboration, referrals

app_name = "referrals"
urlpatterns = [
    path("anmalningar/", referrals.referral_list, name="list"),
    path("anmalningar/ny/", referrals.referral_create_view, name="create"),
    path("anmalningar/<int:pk>/", referrals.referral_detail, name="detail"),
    path("anmalningar/<int:pk>/steg/", referrals.referral_step, name="step"),
    path("anmalningar/<int:pk>/anta/", referrals.referral_accept_view, name="accept"),
    path("anmalningar/<int:pk>/koppla/", referrals.referral_link, name="link"),
    path("anmalningar/<int:pk>/registrera/", referrals.referral_register, name="register"),
    path("vantelista/", referrals.waiting_list, name="waiting"),
    path("vantelista/<int:programme_pk>/", referrals.waiting_programme, name="waiting_programme"),
    path("samverkan/", collaboration.overview, name="collaboration"),
    path("samverkan/siffror/", collaboration.figures, name="figures"),
    path("samverkan/boendestod/ny/", collaboration.housing_unit_create, name="housing_unit_create"),
    path(
        "samverkan/boendestod/<int:housing_pk>/",
        collaboration.housing_unit_detail,
        name="housing_unit",
    ),
    path("samverkan/uppsokande/ny/", collaboration.outreach_create, name="outreach_create"),
    path("samverkan/uppsokande/<int:outreach_pk>/", collaboration.outreach_detail, name="outreach"),
    path("samverkan/moten/nytt/", collaboration.meeting_create, name="meeting_create"),
    path("samverkan/moten/<int:meeting_pk>/", collaboration.meeting_detail, name="meeting"),
    path(
        "samverkan/moten/<int:meeting_pk>/genomfort/",
        collaboration.meeting_record_held,
        name="meeting_held",
    ),
    path(
        "samverkan/moten/<int:meeting_pk>/atgard/",
        collaboration.action_create,
        name="action_create",
    ),
    path(
        "samverkan/atgard/<int:action_pk>/",
        collaboration.action_follow_up_view,
        name="action_follow_up",
    ),
]
