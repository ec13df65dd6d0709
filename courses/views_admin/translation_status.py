"""Admin report: translated pages whose English source changed after they were last synced."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from ..translation_status import translations_out_of_date


class TranslationStatusView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "courses/admin/translation_status.html"
    page_title = _("Translations to update")
    header_icon = "globe"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("wagtail_localize.submit_translation"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = translations_out_of_date()
        return context
