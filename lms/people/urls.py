from django.urls import path

from .views import people

urlpatterns = [
    path("", people.person_list, name="list"),
    path("new/", people.person_create, name="create"),
    path("<id:pk>/", people.person_edit, name="edit"),
    path("enrol/", people.people_enrol, name="enrol"),
]
