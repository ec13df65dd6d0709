from django.urls import path

from .views import calendar, sessions
from .views import kit as kit_views
from .views import roster as roster_views
from .views import tests as tests_views

app_name = "cascade"
urlpatterns = [
    path("sessions/", sessions.session_list, name="session_list"),
    path("sessions/new/", sessions.session_create, name="session_create"),
    path("sessions/<id:pk>/", sessions.session_detail, name="session_detail"),
    path("sessions/<id:pk>/edit/", sessions.session_edit, name="session_edit"),
    path("sessions/<id:pk>/roster/", sessions.session_roster, name="session_roster"),
    path("sessions/<id:pk>/roster/candidates/", roster_views.roster_candidates, name="roster_candidates"),
    path("sessions/<id:pk>/roster/import/", roster_views.roster_import, name="roster_import"),
    path("sessions/<id:pk>/roster/template.xlsx", roster_views.roster_template, name="roster_template"),
    path("sessions/<id:pk>/certificates/", roster_views.certificates_issue, name="session_certificates_issue"),
    path(
        "sessions/<id:pk>/certificates/<id:certificate_pk>/revoke/",
        roster_views.certificate_revoke,
        name="session_certificate_revoke",
    ),
    path("sessions/<id:pk>/attendance/<id:day_pk>/", sessions.session_attendance, name="session_attendance"),
    path("sessions/<id:pk>/report/", sessions.session_report, name="session_report"),
    path("sessions/<id:pk>/tests/", tests_views.session_tests, name="session_tests"),
    path("sessions/<id:pk>/kit.pdf", kit_views.session_kit, name="session_kit"),
    path("approvals/", sessions.approval_queue, name="approval_queue"),
    path("calendar/", calendar.calendar_feeds, name="calendar_feeds"),
    path("calendar/month/", calendar.calendar_month, name="calendar_month"),
    path("calendar/week/", calendar.calendar_week, name="calendar_week"),
]
