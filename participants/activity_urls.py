from __future__ import annotations

from django.urls import path, register_converter

from participants import activity_views as views

register_converter(views.IsoDateConverter, "isodate")

app_name = "activities"
urlpatterns = [
    path("narvaro/", views.start, name="start"),
    path("<slug:unit>/narvaro/", views.sheet_today, name="sheet_today"),
    path("<slug:unit>/narvaro/<isodate:day>/", views.sheet, name="sheet"),
    path("<slug:unit>/narvaro/<isodate:day>/markera/", views.sheet_mark, name="sheet_mark"),
    path("<slug:unit>/narvaro/<isodate:day>/sok/", views.sheet_search, name="sheet_search"),
    path("<slug:unit>/narvaro/<isodate:day>/rakna/", views.sheet_anonymous, name="sheet_count"),
    path("<slug:unit>/vecka/", views.week_today, name="week_today"),
    path("<slug:unit>/vecka/<isodate:day>/", views.week, name="week"),
    path("<slug:unit>/kalender/<int:year>/", views.calendar, name="calendar"),
    path("<slug:unit>/kalender/stangt/", views.closure_add, name="closure_add"),
    path(
        "<slug:unit>/kalender/stangt/<int:closure_pk>/ta-bort/",
        views.closure_delete,
        name="closure_delete",
    ),
    path("<slug:unit>/kalender/extra/", views.extra_add, name="extra_add"),
    path(
        "<slug:unit>/kalender/extra/<int:extra_pk>/ta-bort/",
        views.extra_delete,
        name="extra_delete",
    ),
    path("<slug:unit>/aktiviteter/", views.activity_list, name="activity_list"),
    path("<slug:unit>/aktiviteter/ny/", views.activity_create_view, name="activity_create"),
    path("aktivitet/<int:activity_pk>/", views.activity_detail, name="activity"),
    path(
        "aktivitet/<int:activity_pk>/medlem/", views.activity_member_add, name="activity_member_add"
    ),
    path(
        "aktivitet/<int:activity_pk>/medlem/ta-bort/",
        views.activity_member_remove,
        name="activity_member_remove",
    ),
    path("tillfalle/<int:session_pk>/", views.session_detail, name="session"),
    path("tillfalle/<int:session_pk>/narvaro/", views.session_mark, name="session_mark"),
    path("tillfalle/<int:session_pk>/flytta/", views.session_move_view, name="session_move"),
    path("tillfalle/<int:session_pk>/stall-in/", views.session_cancel_view, name="session_cancel"),
    path(
        "tillfalle/<int:session_pk>/ater/", views.session_reinstate_view, name="session_reinstate"
    ),
]
