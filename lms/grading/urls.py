from django.urls import path

from .views import paper, queue

app_name = "grading"
urlpatterns = [
    path("grading/", queue.grading_queue, name="grading_queue"),
    path("grading/<id:answer_id>/", queue.grade_answer, name="grade_answer"),
    path("paper/", paper.paper_forms, name="paper_forms"),
    path("paper/<str:code>.pdf", paper.paper_form_pdf, name="paper_form_pdf"),
    path("paper/<str:code>/enter/", paper.paper_enter, name="paper_enter"),
]
