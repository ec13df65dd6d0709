from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CascadeConfig(AppConfig):
    name = "lms.cascade"
    label = "cascade"
    verbose_name = _("Cascade trainings")
