"""Answering a lesson's knowledge check: a plain form POST, scored on the server, then back to the lesson.

Post/Redirect/Get: the answers are stored, the learner is sent back to the check's place in the lesson
(``#check-<block id>-result``) and the page shows the feedback from the stored result, so it works
without JavaScript and a reload never posts twice.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.selectors import lesson_for_viewer

from ..exceptions import BadResponse
from ..forms import ORDER_INCOMPLETE, response_from_post
from ..knowledge_checks import knowledge_check_find, knowledge_check_items, knowledge_check_submit


def _back(request, lesson, block_id):
    target = request.POST.get("next") or lesson.url
    if not isinstance(target, str) or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not target.startswith("/"):
        target = lesson.url
    return redirect(f"{target.split('#')[0]}#check-{block_id}-result")


@login_required
@require_POST
def check_answer(request, page_id, block_id):
    lesson = lesson_for_viewer(user=request.user, lesson_id=page_id)
    if lesson is None:
        raise Http404
    found = knowledge_check_find(lesson=lesson, block_id=block_id)
    if found is None:
        raise Http404
    check, _raw = found
    language = translation.get_language() or lesson.locale.language_code
    items = knowledge_check_items(check=check, block_id=block_id, language=language)
    if not items:
        raise Http404
    try:
        responses = {item.position: response_from_post(item=item, post=request.POST) for item in items}
    except BadResponse as error:
        if error.message == ORDER_INCOMPLETE:
            # a learner's slip (two items in one place): say so next to the lesson, store nothing
            messages.error(request, error.message)
            return _back(request, lesson, block_id)
        return HttpResponseBadRequest(escape(str(error.message)))
    try:
        knowledge_check_submit(
            user=request.user, lesson=lesson, block_id=block_id, items=items, responses=responses, language=language
        )
    except BadResponse as error:
        return HttpResponseBadRequest(escape(str(error.message)))
    messages.success(request, _("Your answers are checked: see the feedback below each question."))
    return _back(request, lesson, block_id)
