"""Taking a test: start, answer (with or without JavaScript), autosave, submit, review. Thin views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import exceptions as errors
from .. import selectors, services
from ..exceptions import AssessmentError, AttemptClosed, BadResponse
from ..forms import AutosaveForm, response_from_post
from ..models import Assessment, Attempt


@login_required
def assessment_detail(request, slug):
    assessment = get_object_or_404(selectors.assessments_for_learner(user=request.user), slug=slug)
    return render(request, "assessments/detail.html", {"assessment": assessment, "attempts": assessment.my_attempts})


@login_required
@require_POST
def attempt_start(request, slug):
    assessment = get_object_or_404(Assessment.objects.filter(published=True), slug=slug)
    try:
        attempt = services.attempt_start(user=request.user, assessment=assessment, language=translation.get_language())
    except AssessmentError as error:
        messages.error(request, error.message)
        return redirect("assessments:detail", slug=slug)
    return redirect("assessments:take", attempt_id=attempt.pk)


def _learner_attempt(request, attempt_id) -> Attempt:
    attempt = selectors.attempt_for_learner(user=request.user, attempt_id=attempt_id)
    if attempt is None:
        raise Http404
    return attempt


@login_required
def attempt_take(request, attempt_id):
    attempt = _learner_attempt(request, attempt_id)
    now = timezone.now()
    if attempt.state == Attempt.State.IN_PROGRESS and attempt.deadline and now >= attempt.deadline:
        services.attempt_submit(attempt_id=attempt.pk, user=request.user, now=now, by_timer=True)
        messages.info(request, _("The time ran out: your saved answers were submitted."))
        return redirect("assessments:review", attempt_id=attempt.pk)
    if attempt.state != Attempt.State.IN_PROGRESS:
        return redirect("assessments:review", attempt_id=attempt.pk)
    items = selectors.attempt_items(attempt=attempt, reveal=False)
    if request.method == "POST":
        try:
            responses = {item.position: response_from_post(item=item, post=request.POST) for item in items}
            services.answers_save(user=request.user, attempt_id=attempt.pk, responses=responses, now=now)
        except AttemptClosed as error:
            messages.error(request, error.message)
            return redirect("assessments:review", attempt_id=attempt.pk)
        except BadResponse as error:
            messages.error(request, error.message)
            return render(request, "assessments/take.html", _take_context(attempt, items, request.POST), status=400)
        if "submit" in request.POST:
            services.attempt_submit(attempt_id=attempt.pk, user=request.user)
            messages.success(request, _("Your answers were submitted."))
            return redirect("assessments:review", attempt_id=attempt.pk)
        messages.success(request, _("Your answers were saved."))
        return redirect("assessments:take", attempt_id=attempt.pk)
    return render(request, "assessments/take.html", _take_context(attempt, items, None))


def _take_context(attempt, items, post):
    return {
        "attempt": attempt,
        "assessment": attempt.assessment,
        "items": items,
        "answered": sum(1 for item in items if item.response is not None),
        "seconds_left": (
            max(0, int((attempt.deadline - timezone.now()).total_seconds())) if attempt.deadline else None
        ),
    }


@login_required
@require_POST
def answer_autosave(request, attempt_id):
    """Save one item as the learner goes (the page's script posts the item's form fields here)."""
    posted = AutosaveForm(request.POST)
    if not posted.is_valid():
        return JsonResponse({"error": _("The request is not valid.")}, status=400)
    position = posted.cleaned_data["position"]
    answer = selectors.attempt_item_for_learner(user=request.user, attempt_id=attempt_id, position=position)
    if answer is None:
        _learner_attempt(request, attempt_id)  # someone else's attempt: 404
        return JsonResponse({"error": _("The request is not valid.")}, status=400)
    attempt = answer.attempt
    if attempt.state != Attempt.State.IN_PROGRESS:
        return JsonResponse({"error": str(errors.ATTEMPT_CLOSED), "closed": True}, status=409)
    try:
        response = response_from_post(item=selectors.item_view(answer=answer, attempt=attempt, reveal=False), post=request.POST)
        answer = services.answer_save(
            user=request.user, attempt_id=attempt.pk, position=position, response=response, answer=answer
        )
    except AttemptClosed as error:
        return JsonResponse({"error": str(error.message), "closed": True}, status=409)
    except BadResponse as error:
        return JsonResponse({"error": str(error.message)}, status=400)
    return JsonResponse({"saved": True, "position": answer.position, "answered": answer.response is not None})


@login_required
@require_POST
def attempt_submit(request, attempt_id):
    attempt = _learner_attempt(request, attempt_id)
    services.attempt_submit(attempt_id=attempt.pk, user=request.user)
    return redirect("assessments:review", attempt_id=attempt.pk)


@login_required
def attempt_review(request, attempt_id):
    attempt = _learner_attempt(request, attempt_id)
    if attempt.state == Attempt.State.IN_PROGRESS:
        return redirect("assessments:take", attempt_id=attempt.pk)
    reveal = selectors.review_allowed(attempt=attempt)
    context = {
        "attempt": attempt,
        "assessment": attempt.assessment,
        "reveal": reveal,
        "items": selectors.attempt_items(attempt=attempt, reveal=reveal) if reveal else [],
        "percent": round(attempt.score * 100 / attempt.max_score) if attempt.score is not None and attempt.max_score else None,
    }
    return render(request, "assessments/review.html", context)
