"""Admin report: every use of a deprecated term (the same findings as ``manage.py check_terms``)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from ..terminology import terminology_findings

KIND_LABELS = {
    "lesson": _("Lesson"),
    "question": _("Question"),
    "provision": _("Legal provision"),
    "h5p": _("H5P activity"),
    "catalogue": _("Interface text"),
}


def language_name(code: str):
    """The language's name in the reader's language ("Туркменский" to a Russian reader), never its code;
    the code itself only for a language Django does not know."""
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


def may_see_report(user) -> bool:
    return user.has_perm("content.change_term")


class TerminologyReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "assessments/admin/terminology_report.html"
    page_title = _("Deprecated terms")
    header_icon = "openquote"

    def dispatch(self, request, *args, **kwargs):
        if not may_see_report(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [
            {
                "finding": finding,
                "kind": KIND_LABELS.get(finding.kind, finding.kind),
                "language": language_name(finding.language),
            }
            for finding in terminology_findings()
        ]
        return context
