from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OjtConfig(AppConfig):
    name = "lms.ojt"
    label = "ojt"
    verbose_name = _("On-the-job training")
