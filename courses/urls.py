from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("enrol/<id:page_id>/", views.course_enrol, name="enrol"),
    path("lesson/<id:page_id>/done/", views.lesson_done, name="lesson_done"),
    path("lesson/<id:page_id>/undone/", views.lesson_undone, name="lesson_undone"),
    path("search/", views.search, name="search"),
    path("glossary/", views.glossary, name="glossary"),
    path("h5p/xapi/", views.h5p_xapi, name="h5p_xapi"),
    path("h5p/state/", views.h5p_state, name="h5p_state"),
    # the SCORM runtime commits from its sandbox (no cookies): the player token authorises it
    path("scorm/<str:token>/<int:sco>/<int:attempt>/commit/", views.scorm_commit, name="scorm_commit"),
    path("scorm/status/", views.scorm_status, name="scorm_status"),
]
