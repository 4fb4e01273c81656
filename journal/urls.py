from __future__ import annotations

from django.urls import path

from journal import views

app_name = "journal"
urlpatterns = [
    path("person/<int:participant_pk>/", views.journal_list, name="list"),
    path("person/<int:participant_pk>/ny/", views.entry_new, name="new"),
    path("person/<int:participant_pk>/pdf/", views.journal_pdf, name="pdf"),
    path("person/<int:participant_pk>/utkast/<uuid:key>/", views.draft_edit, name="draft"),
    path(
        "person/<int:participant_pk>/utkast/<uuid:key>/spara/",
        views.draft_autosave,
        name="autosave",
    ),
    path("person/<int:participant_pk>/utkast/<uuid:key>/signera/", views.draft_sign, name="sign"),
    path(
        "person/<int:participant_pk>/utkast/<uuid:key>/kasta/",
        views.draft_discard_view,
        name="discard",
    ),
    path("anteckning/<int:entry_pk>/", views.entry_detail, name="entry"),
    path("anteckning/<int:entry_pk>/rattelse/", views.entry_correct_view, name="correct"),
    path("anteckning/<int:entry_pk>/synpunkt/", views.entry_note_view, name="note"),
    path("gruppaktiviteter/", views.session_list, name="sessions"),
    path("gruppaktivitet/<int:session_pk>/", views.session_document_view, name="session"),
    path("enheten/", views.unit_late, name="unit"),
]
