from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "lms.api"
    label = "lms_api"
    verbose_name = _("API")
