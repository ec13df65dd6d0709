from django.urls import path

from . import views

urlpatterns = [
    path("<str:token>/player/", views.player, name="h5p_player"),
    path("<str:token>/<path:path>", views.package_file, name="h5p_file"),
]
