from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        # in ready(), not at the top: these import models, which need the app registry (not a cycle)
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
