"""``{% knowledge_check value block_id %}``: a lesson's knowledge check with the learner's last feedback.

Used by the template of ``content.blocks.KnowledgeCheckBlock``, so ``content`` needs no Python import of
the question bank. Rendered on every request (never from the lesson body's cache): it carries the
learner's answers and a CSRF token.
"""

from django import template
from django.utils import translation

from assessments.knowledge_checks import knowledge_check_view

register = template.Library()


@register.inclusion_tag("assessments/knowledge_check.html", takes_context=True)
def knowledge_check(context, value, block_id=""):
    request = context.get("request")
    page = context.get("page")
    user = getattr(request, "user", None)
    block_id = str(block_id or "")
    # the learner's language (the URL's); on a source page shown in place of a missing translation the
    # questions are still asked in it where they are translated
    language = translation.get_language() or "en"
    lesson_key = getattr(page, "translation_key", None)
    check = knowledge_check_view(
        check=value,
        block_id=block_id or "preview",
        language=language,
        user=user if user is not None and block_id and lesson_key else _Anonymous(),
        lesson_key=lesson_key,
    )
    can_answer = bool(
        block_id
        and page is not None
        and getattr(page, "pk", None)
        and user is not None
        and user.is_authenticated
        and not getattr(request, "is_preview", False)
    )
    return {
        "value": value,
        "check": check,
        "can_answer": can_answer,
        "page": page,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "language": language,
    }


class _Anonymous:
    is_authenticated = False
