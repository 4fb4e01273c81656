from __future__ import annotations

from django.urls import path

from reporting import views

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
]
