from __future__ import annotations

from django.urls import path

from reporting import views

app_name = "reporting"
urlpatterns = [
    path("verksamhetsberattelse/", views.annual_report, name="annual"),
    path("logg/", views.record_log, name="record_log"),
    path("gallring/", views.retention, name="retention"),
    path("gallring/foresla/", views.retention_propose_view, name="retention_propose"),
    path("gallring/<int:run_pk>/godkann/", views.retention_approve_view, name="retention_approve"),
    # Every download ends in its format, so that crawlers and proxies know it is a file.
    path("registerutdrag/<int:participant_pk>/pdf/", views.register_extract, name="extract"),
    path(
        "registerutdrag/<int:participant_pk>/json/",
        views.register_extract,
        {"kind": "json"},
        name="extract_json",
    ),
    path(
        "registerutdrag/<int:participant_pk>/tillsyn/pdf/",
        views.register_extract,
        {"kind": "inspection"},
        name="extract_inspection",
    ),
]
