from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    """The site shell: root redirect, language switcher, dashboard, base templates tags."""

    name = "lms"
    label = "lms"
    verbose_name = _("Learning management system")

    def ready(self):
        # in ready(), not at the top: the dashboard imports models, which need the app registry
        from .dashboard import register_dashboard_signals

        register_dashboard_signals()
