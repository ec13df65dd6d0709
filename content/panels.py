"""Admin panels shared by translatable pages and snippets."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from .translation_state import translation_states


class TranslationStatePanel(Panel):
    """Per language: the source, or whether its translation is up to date, outdated (the source changed since
    the last sync) or missing, each with a link to the translation editor (or to start the translation)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", _("Translations"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "content/admin/translation_state_panel.html"

        def is_shown(self):
            return self.instance is not None and self.instance.pk is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["states"] = translation_states(self.instance)
            return context
