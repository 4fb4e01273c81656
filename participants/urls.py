from __future__ import annotations

from django.urls import path

from participants import views

app_name = "participants"
urlpatterns = [
    path("", views.participant_list, name="list"),
    path("ny/", views.participant_create, name="create"),
    path("<int:pk>/", views.participant_detail, name="detail"),
    path("<int:pk>/plats/", views.enrolment_create_view, name="enrol"),
    path("<int:pk>/besok/", views.visit_create, name="visit"),
    path("<int:pk>/bedomning/", views.assessment_create, name="assessment"),
    path("<int:pk>/narstaende/", views.relative_create, name="relative"),
    path("<int:pk>/boendestod/", views.housing_support_create, name="housing_support"),
    path("kapacitet/", views.capacity_overview, name="capacity_list"),
    path("kapacitet/<int:programme_pk>/", views.capacity_detail, name="capacity"),
    path("plats/<int:place_pk>/", views.place_detail, name="place"),
    path("plats/<int:place_pk>/timmar/", views.place_change_hours, name="place_hours"),
    path("plats/<int:place_pk>/avsluta/", views.place_end, name="place_end"),
    path("plats/<int:place_pk>/arbetsplats/", views.place_workplace, name="place_workplace"),
]
