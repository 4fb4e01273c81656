from __future__ import annotations

from django.urls import path

from reporting import record_views, views

app_name = "reporting"
urlpatterns = [
    path("verksamhetsberattelse/", views.annual_report, name="annual"),
    path("verksamhetsberattelse/<int:unit_pk>/<int:year>/", views.report, name="report"),
    path(
        "verksamhetsberattelse/<int:unit_pk>/<int:year>/text/",
        views.text_autosave,
        name="text",
    ),
    path(
        "verksamhetsberattelse/<int:unit_pk>/<int:year>/skickad/",
        views.mark_sent,
        name="sent",
    ),
    path("verksamhetsberattelse/<int:unit_pk>/<int:year>/mal/", views.goal_add, name="goal_add"),
    path(
        "verksamhetsberattelse/<int:unit_pk>/<int:year>/mal/<int:goal_pk>/",
        views.goal_edit,
        name="goal_edit",
    ),
    path(
        "verksamhetsberattelse/<int:unit_pk>/<int:year>/skapa/",
        views.generate,
        name="generate",
    ),
    path("verksamhetsberattelse/fil/<int:file_pk>/", views.file_status, name="file_status"),
    path("verksamhetsberattelse/fil/<int:file_pk>/pdf/", views.file_download, name="file_pdf"),
    path(
        "verksamhetsberattelse/<int:unit_pk>/<int:year>/siffror/<str:fmt>/",
        views.export,
        name="export",
    ),
    path("logg/", record_views.record_log, name="record_log"),
    path("gallring/", record_views.retention, name="retention"),
    path("gallring/foresla/", record_views.retention_propose_view, name="retention_propose"),
    path(
        "gallring/<int:run_pk>/godkann/",
        record_views.retention_approve_view,
        name="retention_approve",
    ),
    # Every download ends in its format, so that crawlers and proxies know it is a file.
    path("registerutdrag/<int:participant_pk>/pdf/", record_views.register_extract, name="extract"),
    path(
        "registerutdrag/<int:participant_pk>/json/",
        record_views.register_extract,
        {"kind": "json"},
        name="extract_json",
    ),
    path(
        "registerutdrag/<int:participant_pk>/tillsyn/pdf/",
        record_views.register_extract,
        {"kind": "inspection"},
        name="extract_inspection",
    ),
]
