from __future__ import annotations

from django.urls import path, register_converter

from activities import correction_views, day_views
from activities import views as activity_views

register_converter(day_views.IsoDateConverter, "isodate")

app_name = "activities"
urlpatterns = [
    path("narvaro/", day_views.start, name="start"),
    path("<slug:unit>/narvaro/", day_views.sheet_today, name="sheet_today"),
    path("<slug:unit>/narvaro/<isodate:day>/", day_views.sheet, name="sheet"),
    path("<slug:unit>/narvaro/<isodate:day>/markera/", day_views.sheet_mark, name="sheet_mark"),
    path("<slug:unit>/narvaro/<isodate:day>/sok/", day_views.sheet_search, name="sheet_search"),
    path("<slug:unit>/narvaro/<isodate:day>/rakna/", day_views.sheet_anonymous, name="sheet_count"),
    path(
        "<slug:unit>/narvaro/<isodate:day>/ratta/<int:participant_pk>/<int:programme_pk>/",
        correction_views.visit_correct_view,
        name="visit_correct",
    ),
    path(
        "tillfalle/<int:session_pk>/ratta/<int:participant_pk>/",
        correction_views.session_correct_view,
        name="session_correct",
    ),
    path("<slug:unit>/traningstimmar/", day_views.training_hours, name="training_hours"),
    path("<slug:unit>/vecka/", day_views.week_today, name="week_today"),
    path("<slug:unit>/vecka/<isodate:day>/", day_views.week, name="week"),
    path("<slug:unit>/kalender/<int:year>/", day_views.calendar, name="calendar"),
    path("<slug:unit>/kalender/stangt/", day_views.closure_add, name="closure_add"),
    path(
        "<slug:unit>/kalender/stangt/<int:closure_pk>/ta-bort/",
        day_views.closure_delete,
        name="closure_delete",
    ),
    path("<slug:unit>/kalender/extra/", day_views.extra_add, name="extra_add"),
    path(
        "<slug:unit>/kalender/extra/<int:extra_pk>/ta-bort/",
        day_views.extra_delete,
        name="extra_delete",
    ),
    path("<slug:unit>/aktiviteter/", activity_views.activity_list, name="activity_list"),
    path(
        "<slug:unit>/aktiviteter/ny/", activity_views.activity_create_view, name="activity_create"
    ),
    path("aktivitet/<int:activity_pk>/", activity_views.activity_detail, name="activity"),
    path(
        "aktivitet/<int:activity_pk>/medlem/",
        activity_views.activity_member_add,
        name="activity_member_add",
    ),
    path(
        "aktivitet/<int:activity_pk>/medlem/ta-bort/",
        activity_views.activity_member_remove,
        name="activity_member_remove",
    ),
    path("tillfalle/<int:session_pk>/", activity_views.session_detail, name="session"),
    path("tillfalle/<int:session_pk>/narvaro/", activity_views.session_mark, name="session_mark"),
    path(
        "tillfalle/<int:session_pk>/flytta/", activity_views.session_move_view, name="session_move"
    ),
    path(
        "tillfalle/<int:session_pk>/stall-in/",
        activity_views.session_cancel_view,
        name="session_cancel",
    ),
    path(
        "tillfalle/<int:session_pk>/ater/",
        activity_views.session_reinstate_view,
        name="session_reinstate",
    ),
]
