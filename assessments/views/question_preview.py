"""Editors' screen: one question as a learner sees it, in each language version, with the key apart.

Each version is rendered with the learner's own templates (``assessments/item.html`` for the prompt and the
answer inputs, ``assessments/review_key.html`` for the key) from the same ``ItemView`` the test-taking page
builds (``selectors.question_public``: never the key), in that version's language. The key, points and
feedback are shown only in the "For editors" part. The same right as editing questions; the view checks it.
"""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.admin.auth import permission_denied

from content.translation_state import MISSING, translation_states

from ..models import Question
from ..selectors import ItemView, question_key_view, question_public
from .question_regrade import key_summary


def may_preview(user) -> bool:
    """Previewing shows the key: the same right as changing the question."""
    return user.has_perm("assessments.change_question")


@dataclass
class Version:
    language: str
    name: str
    question: Question | None = None
    item: ItemView | None = None
    key: str = ""
    link: str = ""


def _item(question: Question) -> ItemView:
    """The item as the test-taking page builds it (``selectors.item_view``), unanswered, options unshuffled."""
    return ItemView(
        position=1,
        kind=question.kind,
        prompt=question.prompt,
        points=question.points,
        public=question_public(kind=question.kind, data=question.data),
        response=None,
        saved=False,
        review=question_key_view(kind=question.kind, data=question.data, feedback=question.feedback),
    )


@require_GET
def question_preview(request, pk):
    if not may_preview(request.user):
        return permission_denied(request)
    question = get_object_or_404(Question.objects.select_related("locale"), pk=pk)
    by_language = {
        version.locale.language_code: version
        for version in question.get_translations(inclusive=True).select_related("locale")
    }
    versions = []
    for state in translation_states(question):
        version = by_language.get(state.language)
        entry = Version(language=state.language, name=state.name, link=state.edit_url)
        if version is not None and state.state != MISSING:
            entry.question = version
            entry.item = _item(version)
            entry.key = key_summary(kind=version.kind, data=version.data)
        versions.append(entry)
    return TemplateResponse(
        request,
        "assessments/admin/question_preview.html",
        {
            "question": question,
            "versions": versions,
            "edit_url": reverse("wagtailsnippets_assessments_question:edit", args=[question.pk]),
            "page_title": _("Preview"),
        },
    )
