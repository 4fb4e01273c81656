from __future__ import annotations

from django.urls import path

from employment import views

app_name = "employment"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("arenden/", views.case_list, name="cases"),
    path("platser/<int:place_pk>/oppna/", views.case_open_view, name="case_open"),
    path("arenden/<int:case_pk>/", views.case_detail, name="case"),
    path("arenden/<int:case_pk>/steg/", views.case_step, name="case_step"),
    path("arenden/<int:case_pk>/avsluta/", views.case_end_view, name="case_end"),
    path("arenden/<int:case_pk>/specialist/", views.case_reassign_view, name="case_reassign"),
    path("arenden/<int:case_pk>/start/", views.job_start_view, name="job_start"),
    path("starter/<int:job_pk>/slut/", views.job_end_view, name="job_end"),
    path("arbetsgivare/", views.employer_list, name="employers"),
    path("arbetsgivare/<int:employer_pk>/", views.employer_detail, name="employer"),
    path("kontakter/ny/", views.contact_create, name="contact_create"),
    path("uppfoljning/", views.follow_up, name="follow_up"),
]
