from __future__ import annotations

from django.urls import path

from treatment import views

app_name = "treatment"

urlpatterns = [
    path("<slug:unit>/kurser/", views.courses, name="courses"),
    path("kurs/<int:course_pk>/", views.course, name="course"),
    path("kurs/<int:course_pk>/delta/", views.join, name="join"),
    path("kursdeltagare/<int:membership_pk>/avsluta/", views.leave, name="leave"),
    path("kursdeltagare/<int:membership_pk>/matning/", views.measure, name="measure"),
    path(
        "kursdeltagare/<int:membership_pk>/matning/<int:measurement_pk>/ratta/",
        views.measurement_correct_view,
        name="measurement_correct",
    ),
    path("<slug:unit>/samtal/", views.individual_sessions, name="individual_sessions"),
    path(
        "samtal/<int:session_pk>/ta-bort/",
        views.individual_session_delete,
        name="individual_session_delete",
    ),
    path("<slug:unit>/resultat/", views.results_page, name="results"),
    path("<slug:unit>/manadsredovisning/", views.statements, name="statements"),
    path(
        "<slug:unit>/manadsredovisning/<int:year>/<int:month>/", views.statement, name="statement"
    ),
    path(
        "<slug:unit>/manadsredovisning/<int:year>/<int:month>/bekrafta/",
        views.statement_confirm_view,
        name="statement_confirm",
    ),
    path(
        "<slug:unit>/manadsredovisning/<int:year>/<int:month>/pdf/",
        views.statement_pdf,
        name="statement_pdf",
    ),
    path(
        "<slug:unit>/manadsredovisning/<int:year>/<int:month>/csv/",
        views.statement_csv,
        name="statement_csv",
    ),
]
