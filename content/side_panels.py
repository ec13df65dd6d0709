"""The "Translations" side panel of the edit views of translatable snippets (terms, legal provisions,
questions, H5P and SCORM packages): per language, the source, or whether the translation is up to date,
outdated or missing, with the link to the translation editor. Pages show the same table in their form
(``content.panels.TranslationStatePanel``); a snippet's form is the snippet's own, so the table joins the
side panels Wagtail gives every edit view (status, preview, checks), and its toggle counts the languages
that need work. The states of all languages come from ``translation_states``, in a fixed number of queries.
"""

from functools import cached_property

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.side_panels import BaseSidePanel
from wagtail.models import TranslatableMixin
from wagtail.snippets.views.snippets import EditView

from .translation_state import MISSING, OUTDATED, translation_states


class TranslationStateSidePanel(BaseSidePanel):
    class SidePanelToggle(BaseSidePanel.SidePanelToggle):
        aria_label = _("Toggle translations")
        icon_name = "globe"
        counter_classname = "w-bg-critical-200"

        def get_context_data(self, parent_context):
            context = super().get_context_data(parent_context)
            context["count"] = len(self.panel.needing_work)
            return context

    name = "translations"
    title = _("Translations")
    template_name = "content/admin/translation_state_side_panel.html"
    order = 150

    class Media:
        css = {"all": ["css/translation-state.css"]}

    @cached_property
    def states(self):
        return translation_states(self.object)

    @property
    def needing_work(self):
        return [entry for entry in self.states if entry.state in (OUTDATED, MISSING)]

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["states"] = self.states
        return context


class TranslationStateEditViewMixin:
    """Add the Translations side panel to a snippet edit view (of a ``TranslatableMixin`` model)."""

    def get_side_panels(self):
        side_panels = super().get_side_panels()
        if isinstance(self.object, TranslatableMixin) and self.object.pk is not None:
            side_panels.append(TranslationStateSidePanel(self.object, self.request))
        return side_panels


class TranslatableSnippetEditView(TranslationStateEditViewMixin, EditView):
    """The edit view of a translatable snippet that needs nothing else."""
