from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        # in ready(), not at the top: these import models, which need the app registry (not a cycle)
        from .models import Assessment, Question
        from .selectors import autosave_forget

        # the autosave validates against cached copies of an attempt's questions: an edit forgets them
        for model in (Question, Assessment):
            post_save.connect(autosave_forget, sender=model, dispatch_uid=f"assessments_autosave_{model.__name__}")
            post_delete.connect(autosave_forget, sender=model, dispatch_uid=f"assessments_autosave_del_{model.__name__}")
