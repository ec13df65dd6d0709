"""/api/v1/: mounted outside the language prefixes (the language of messages comes from Accept-Language)."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from . import views

app_name = "api"
urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("sessions/", views.SessionList.as_view(), name="session_list"),
    path("sessions/<id:pk>/", views.SessionDetail.as_view(), name="session_detail"),
    path("sessions/<id:pk>/submit/", views.SessionSubmit.as_view(), name="session_submit"),
    path("sessions/<id:pk>/approve/", views.SessionApprove.as_view(), name="session_approve"),
    path("sessions/<id:pk>/return/", views.SessionReturn.as_view(), name="session_return"),
    path("sessions/<id:pk>/cancel/", views.SessionCancel.as_view(), name="session_cancel"),
    path("sessions/<id:pk>/deliver/", views.SessionDeliver.as_view(), name="session_deliver"),
    path("sessions/<id:pk>/participants/", views.ParticipantList.as_view(), name="participant_list"),
    path(
        "sessions/<id:pk>/participants/<id:user_id>/", views.ParticipantDetail.as_view(), name="participant_detail"
    ),
    path("sessions/<id:pk>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path("trainers/", views.TrainerList.as_view(), name="trainer_list"),
    path("trainers/<id:pk>/", views.TrainerDetail.as_view(), name="trainer_detail"),
    path("reports/reach/", views.ReachView.as_view(), name="reach"),
]
