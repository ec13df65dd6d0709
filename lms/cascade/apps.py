from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CascadeConfig(AppConfig):
    name = "lms.cascade"
    label = "cascade"
    verbose_name = _("Cascade trainings")

    def ready(self):
        # the trainers app reads what trainers delivered through this provider (it may not import cascade);
        # imported in ready(), not at the top: both modules import models, which need the app registry
        from lms.trainers import delivery as trainer_delivery

        from .delivery import deliveries

        trainer_delivery.provider_set(deliveries)
