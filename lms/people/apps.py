from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, using="default", **kwargs):
    # post_migrate is sent once per app that has models; permissions of every app exist only
    # after the last of them.
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender is not with_models[-1]:
        return
    # imported here, not at the top: apps.py is imported before the app registry is ready, and services
    # imports models (this is the registry's order, not a cycle)
    from .services import roles_sync

    roles_sync(using=using)


class PeopleConfig(AppConfig):
    name = "lms.people"
    label = "people"
    verbose_name = _("People and organisations")

    def ready(self):
        # After every migrate, the role groups exist with exactly their permissions.
        post_migrate.connect(_sync_roles, dispatch_uid="people_sync_roles")
        from .auth import register_permission_signals  # needs the app registry (see _sync_roles)

        register_permission_signals()
