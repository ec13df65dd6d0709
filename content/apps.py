from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Content")

    def ready(self):
        from django.core import checks
        from django.urls import register_converter

        # in ready(), not at the top: these import models, which need the app registry (not a cycle)
        from .bounds import IdConverter
        from .h5p.services import media_hosts_check
        from .storage import packages_root_check

        checks.register(packages_root_check)
        checks.register(media_hosts_check)
        # ``<id:pk>`` in every URLconf of ours: an id out of a primary key's range is a 404, not a 500
        register_converter(IdConverter, "id")
