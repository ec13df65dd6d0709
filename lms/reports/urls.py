from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("knowledge-gain/", views.knowledge_gain, name="knowledge_gain"),
    path("reach/", views.reach, name="reach"),
]
