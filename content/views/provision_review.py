"""Admin report: pages that still reference a legal provision replaced by a newer edition."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from django.views.generic import TemplateView

from ..selectors import provision_review_list


class ProvisionReviewView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "content/provision_review.html"
    page_title = _("Legal provisions to review")
    header_icon = "doc-full-inverse"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("content.change_legalprovision"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = provision_review_list()
        return context
