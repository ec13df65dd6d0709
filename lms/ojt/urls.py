from django.urls import path

from . import views

app_name = "ojt"
urlpatterns = [
    path("ojt/", views.ojt_dashboard, name="ojt_dashboard"),
    path("ojt/plans/new/", views.ojt_plan_create, name="ojt_plan_create"),
    path("ojt/plans/<id:pk>/", views.ojt_plan_edit, name="ojt_plan_edit"),
    path("ojt/records/", views.ojt_records, name="ojt_records"),
    path("ojt/records/new/", views.ojt_record_create, name="ojt_record_create"),
    path("ojt/records/<id:pk>/", views.ojt_record_edit, name="ojt_record_edit"),
    path("ojt/records/<id:pk>/delete/", views.ojt_record_delete, name="ojt_record_delete"),
    path("ojt/records/export.<str:kind>", views.ojt_records_export, name="ojt_records_export"),
    path("ojt/import/", views.ojt_import, name="ojt_import"),
    path("ojt/import/template.xlsx", views.ojt_import_template, name="ojt_import_template"),
]
