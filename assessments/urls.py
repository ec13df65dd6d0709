from django.urls import path

from .views import knowledge_check
from .views import taking as views

app_name = "assessments"
urlpatterns = [
    path("<slug:slug>/", views.assessment_detail, name="detail"),
    path("<slug:slug>/start/", views.attempt_start, name="start"),
    path("attempt/<id:attempt_id>/", views.attempt_take, name="take"),
    path("attempt/<id:attempt_id>/save/", views.answer_autosave, name="autosave"),
    path("attempt/<id:attempt_id>/summary/", views.attempt_summary, name="summary"),
    path("attempt/<id:attempt_id>/submit/", views.attempt_submit, name="submit"),
    path("attempt/<id:attempt_id>/review/", views.attempt_review, name="review"),
    path("check/<id:page_id>/<str:block_id>/", knowledge_check.check_answer, name="check_answer"),
]
