from django.urls import path

from . import views

urlpatterns = [
    path("<str:token>/<int:sco>/<path:path>", views.sco_file, name="scorm_file"),
]
