from django.urls import path

from .views import calendar, grading, paper, sessions

app_name = "cascade"
urlpatterns = [
    path("sessions/", sessions.session_list, name="session_list"),
    path("sessions/new/", sessions.session_create, name="session_create"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", sessions.session_edit, name="session_edit"),
    path("sessions/<int:pk>/roster/", sessions.session_roster, name="session_roster"),
    path("sessions/<int:pk>/attendance/<int:day_pk>/", sessions.session_attendance, name="session_attendance"),
    path("sessions/<int:pk>/report/", sessions.session_report, name="session_report"),
    path("approvals/", sessions.approval_queue, name="approval_queue"),
    path("calendar/", calendar.calendar_feeds, name="calendar_feeds"),
    path("grading/", grading.grading_queue, name="grading_queue"),
    path("grading/<int:answer_id>/", grading.grade_answer, name="grade_answer"),
    path("paper/", paper.paper_forms, name="paper_forms"),
    path("paper/<str:code>.pdf", paper.paper_form_pdf, name="paper_form_pdf"),
    path("paper/<str:code>/enter/", paper.paper_enter, name="paper_enter"),
]
