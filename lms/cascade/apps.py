from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CascadeConfig(AppConfig):
    name = "lms.cascade"
    label = "cascade"
    verbose_name = _("Cascade trainings")

    def ready(self):
        # the trainers app reads what trainers delivered through this provider (it may not import cascade)
        from lms.trainers import delivery as trainer_delivery

        from .delivery import deliveries

        trainer_delivery.provider_set(deliveries)
