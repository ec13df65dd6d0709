"""Editors' screen: rescore the answers to a question after its key was corrected.

GET shows what a regrade would change (``services.question_regrade_preview``: nothing is written);
POST runs ``services.question_regrade_apply`` (one transaction, a ``ScoreChange`` row with the editor
for every answer that changes). Running it again with the same key changes nothing and says so.
Only an editor who may change questions sees the button and may open this page; the view checks it.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods
from wagtail.admin.auth import permission_denied

from .. import kinds
from ..models import Question
from ..services import question_regrade_apply, question_regrade_preview

PREVIEW_ROWS = 10
REGRADE_NOTE = "key corrected"
NOTHING_CHANGED = gettext_lazy("Nothing changed: every answer already has the score of the current key.")


def may_regrade(user) -> bool:
    """Regrading changes learners' scores: the same right as changing the question (no model has a narrower one)."""
    return user.has_perm("assessments.change_question")


def key_summary(*, kind: str, data: dict) -> str:
    """The key of a question without its texts, the same in every language when the versions agree."""
    rules = kinds.get(kind)
    return rules.key_summary(data if isinstance(data, dict) else {}) if rules is not None else ""


@require_http_methods(["GET", "POST"])
def question_regrade(request, pk):
    if not may_regrade(request.user):
        return permission_denied(request)
    question = get_object_or_404(Question.objects.select_related("locale"), pk=pk)
    edit_url = reverse("wagtailsnippets_assessments_question:edit", args=[question.pk])
    if request.method == "POST":
        result = question_regrade_apply(question_key=question.translation_key, actor=request.user, note=REGRADE_NOTE)
        if result.answers:
            messages.success(
                request,
                " ".join(
                    (
                        ngettext("%(count)s answer was rescored.", "%(count)s answers were rescored.", result.answers)
                        % {"count": result.answers},
                        ngettext(
                            "%(count)s attempt got a new total.", "%(count)s attempts got a new total.", result.attempts
                        )
                        % {"count": result.attempts},
                    )
                ),
            )
        else:
            messages.info(request, NOTHING_CHANGED)
        return redirect(edit_url)
    preview = question_regrade_preview(question_key=question.translation_key, rows=PREVIEW_ROWS)
    own = key_summary(kind=question.kind, data=question.data)
    versions = [
        {
            "question": version,
            "key": key_summary(kind=version.kind, data=version.data),
            "differs": version.pk != question.pk and (version.kind != question.kind or key_summary(kind=version.kind, data=version.data) != own),
        }
        for version in question.get_translations(inclusive=True).select_related("locale").order_by("locale__language_code")
    ]
    return TemplateResponse(
        request,
        "assessments/admin/question_regrade.html",
        {
            "question": question,
            "preview": preview,
            "versions": versions,
            "short_answer": question.kind == Question.Kind.SHORT,
            "rubric": question.kind == Question.Kind.RUBRIC,
            "edit_url": edit_url,
            "more_rows": max(0, preview.attempts_changed - len(preview.rows)),
            "page_title": _("Regrade answers"),
        },
    )
