from django.urls import path

from .views import certificates, cohorts, registry

app_name = "trainers"
urlpatterns = [
    path("", registry.registry, name="registry"),
    path("registry.xlsx", registry.registry_export, name="registry_export"),
    path("trainer/<id:user_id>/", registry.trainer_profile, name="trainer_profile"),
    path("cohorts/", cohorts.cohort_list, name="cohort_list"),
    path("cohorts/<slug:code>/", cohorts.cohort_detail, name="cohort_detail"),
    path("certifications/<id:pk>/", cohorts.certification_detail, name="certification_detail"),
    path("certifications/<id:pk>/evaluate/", cohorts.evaluation_create, name="evaluation_create"),
    path("certifications/<id:pk>/certificate.pdf", certificates.certification_pdf, name="certification_pdf"),
    path("certificates/", certificates.my_certificates, name="my_certificates"),
    path("certificates/<id:pk>.pdf", certificates.completion_certificate_pdf, name="completion_certificate_pdf"),
    path("certificates/course/<uuid:course_key>.pdf", certificates.course_certificate_pdf, name="course_certificate_pdf"),
]
