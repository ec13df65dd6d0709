from django.urls import path

from .views import grading

app_name = "cascade"
urlpatterns = [
    path("grading/", grading.grading_queue, name="grading_queue"),
    path("grading/<int:answer_id>/", grading.grade_answer, name="grade_answer"),
]
