from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    """The site shell: root redirect, language switcher, dashboard, base templates tags."""

    name = "lms"
    label = "lms"
    verbose_name = _("Learning management system")
