from __future__ import annotations

from django.urls import path

from plans import views

app_name = "plans"
urlpatterns = [
    path("ny/<int:enrolment_pk>/", views.plan_create_view, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("enheten/", views.unit_plans, name="unit"),
    path("<int:pk>/pdf/", views.plan_pdf, name="pdf"),
    path("<int:pk>/andra/", views.plan_edit, name="edit"),
    path("<int:pk>/version/<int:revision>/", views.plan_version, name="version"),
    path("<int:pk>/uppfoljning/", views.follow_up_create, name="follow_up"),
]
