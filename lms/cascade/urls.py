from django.urls import path

from .views import grading, paper

app_name = "cascade"
urlpatterns = [
    path("grading/", grading.grading_queue, name="grading_queue"),
    path("grading/<int:answer_id>/", grading.grade_answer, name="grade_answer"),
    path("paper/", paper.paper_forms, name="paper_forms"),
    path("paper/<str:code>.pdf", paper.paper_form_pdf, name="paper_form_pdf"),
    path("paper/<str:code>/enter/", paper.paper_enter, name="paper_enter"),
]
