"""Taking a test: start, answer (with or without JavaScript), autosave, submit, review. Thin views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import exceptions as errors
from .. import selectors, services
from ..exceptions import AssessmentError, AttemptClosed, BadResponse, SubmitNotConfirmed
from ..forms import AutosaveForm, response_from_post
from ..models import Assessment, Attempt


@login_required
def assessment_detail(request, slug):
    assessment = get_object_or_404(selectors.assessments_for_learner(user=request.user), slug=slug)
    attempts = assessment.my_attempts
    resumable = next((attempt for attempt in attempts if attempt.state == Attempt.State.IN_PROGRESS), None)
    refusal = None
    if resumable is None:
        try:
            services.attempt_start_check(user=request.user, assessment=assessment)
        except AssessmentError as error:
            refusal = error.message
    last = next((attempt for attempt in attempts if attempt.state != Attempt.State.IN_PROGRESS), None)
    context = {
        "assessment": assessment,
        "attempts": attempts,
        "resumable": resumable,
        "refusal": refusal,
        "last": last,
        "last_reveal": last is not None and selectors.review_allowed(attempt=last),
    }
    return render(request, "assessments/detail.html", context)


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


def _closed_or_overdue(request, attempt):
    """Where to send a learner whose attempt is no longer open (closing it first when its time ran out)."""
    now = timezone.now()
    if attempt.state == Attempt.State.IN_PROGRESS and attempt.deadline and now >= attempt.deadline:
        services.attempt_submit(attempt_id=attempt.pk, user=request.user, now=now, by_timer=True)
        messages.info(request, _("The time ran out: your saved answers were submitted."))
        return redirect("assessments:review", attempt_id=attempt.pk)
    if attempt.state != Attempt.State.IN_PROGRESS:
        return redirect("assessments:review", attempt_id=attempt.pk)
    return None


def _position(value, items) -> int | None:
    try:
        position = int(value)
    except (TypeError, ValueError):
        return None
    return position if any(item.position == position for item in items) else None


def _take_url(attempt, position=None) -> str:
    """The page of question ``position``: its own page in one-per-page tests, its anchor otherwise."""
    url = reverse("assessments:take", args=[attempt.pk])
    if position is None:
        return url
    if attempt.assessment.layout == Assessment.Layout.ONE:
        return f"{url}?item={position}"
    return f"{url}#item-{position}"


@login_required
def attempt_take(request, attempt_id):
    attempt = _learner_attempt(request, attempt_id)
    gone = _closed_or_overdue(request, attempt)
    if gone is not None:
        return gone
    items = selectors.attempt_items(attempt=attempt, reveal=False)
    one_per_page = attempt.assessment.layout == Assessment.Layout.ONE
    source = request.POST if request.method == "POST" else request.GET
    current = (_position(source.get("item"), items) or (items[0].position if items else None)) if one_per_page else None
    shown = [item for item in items if item.position == current] if one_per_page else items
    if request.method == "POST":
        try:
            responses = {item.position: response_from_post(item=item, post=request.POST) for item in shown}
            flags = {item.position: f"flag{item.position}" in request.POST for item in shown}
            services.answers_save(user=request.user, attempt_id=attempt.pk, responses=responses, flags=flags)
        except AttemptClosed as error:
            messages.error(request, error.message)
            return redirect("assessments:review", attempt_id=attempt.pk)
        except BadResponse as error:
            messages.error(request, error.message)
            return render(request, "assessments/take.html", _take_context(attempt, items, shown, current), status=400)
        if "submit" in request.POST:  # the first step of submitting: the summary, which asks to confirm
            return redirect("assessments:summary", attempt_id=attempt.pk)
        target = _position(request.POST.get("goto"), items)
        if target is not None:
            return redirect(_take_url(attempt, target))
        messages.success(request, _("Your answers were saved."))
        return redirect(_take_url(attempt, current))
    return render(request, "assessments/take.html", _take_context(attempt, items, shown, current))


def _take_context(attempt, items, shown, current):
    index = next((i for i, item in enumerate(items) if item.position == current), None)
    return {
        "attempt": attempt,
        "assessment": attempt.assessment,
        "items": items,
        "shown": shown,
        "current": current,
        "one_per_page": current is not None,
        "previous": items[index - 1] if index else None,
        "next": items[index + 1] if index is not None and index + 1 < len(items) else None,
        "answered": sum(1 for item in items if item.answered),
        "total": len(items),
        # for the script that updates the count ({% translate %} would not find a string with "%")
        "count_text": _("%(answered)s of %(total)s answered"),
        "seconds_left": _seconds_left(attempt),
    }


def _seconds_left(attempt):
    return max(0, int((attempt.deadline - timezone.now()).total_seconds())) if attempt.deadline else None


@login_required
@require_POST
def answer_autosave(request, attempt_id):
    """Save one item as the learner goes (the page's script posts the item's form fields here)."""
    posted = AutosaveForm(request.POST)
    if not posted.is_valid():
        return JsonResponse({"error": _("The request is not valid.")}, status=400)
    position = posted.cleaned_data["position"]
    # from the cache after the attempt's first save: a save is then one UPDATE (session and user are cached too)
    answer = selectors.autosave_item(user=request.user, attempt_id=attempt_id, position=position)
    if answer is None:
        _learner_attempt(request, attempt_id)  # someone else's attempt: 404
        return JsonResponse({"error": _("The request is not valid.")}, status=400)
    attempt = answer.attempt
    if attempt.state != Attempt.State.IN_PROGRESS:
        return JsonResponse({"error": str(errors.ATTEMPT_CLOSED), "closed": True}, status=409)
    try:
        response = response_from_post(item=selectors.item_view(answer=answer, attempt=attempt, reveal=False), post=request.POST)
        answer = services.answer_save(
            user=request.user,
            attempt_id=attempt.pk,
            position=position,
            response=response,
            answer=answer,
            flagged=f"flag{position}" in request.POST,
        )
    except AttemptClosed as error:
        return JsonResponse({"error": str(error.message), "closed": True}, status=409)
    except BadResponse as error:
        return JsonResponse({"error": str(error.message)}, status=400)
    return JsonResponse(
        {"saved": True, "position": answer.position, "answered": answer.response is not None, "flagged": answer.flagged}
    )


@login_required
def attempt_summary(request, attempt_id):
    """Before the final submit: every question's state (answered, not answered, flagged) with a link
    back to it, and the button that submits for grading."""
    attempt = _learner_attempt(request, attempt_id)
    gone = _closed_or_overdue(request, attempt)
    if gone is not None:
        return gone
    items = selectors.attempt_items(attempt=attempt, reveal=False)
    rows = [{"item": item, "url": _take_url(attempt, item.position)} for item in items]
    context = {
        "attempt": attempt,
        "assessment": attempt.assessment,
        "rows": rows,
        "unanswered": [row for row in rows if not row["item"].answered],
        "flagged": [row for row in rows if row["item"].flagged],
        "answered": sum(1 for item in items if item.answered),
        "total": len(items),
        "seconds_left": _seconds_left(attempt),
        "back_url": _take_url(attempt, items[0].position if attempt.assessment.layout == Assessment.Layout.ONE and items else None),
    }
    return render(request, "assessments/summary.html", context)


@login_required
@require_POST
def attempt_submit(request, attempt_id):
    """The final submit, posted by the summary page with its confirmation."""
    attempt = _learner_attempt(request, attempt_id)
    try:
        attempt = services.attempt_finish(attempt_id=attempt.pk, user=request.user, confirmed=request.POST.get("confirm") == "yes")
    except SubmitNotConfirmed as error:
        messages.error(request, error.message)
        return redirect("assessments:summary", attempt_id=attempt.pk)
    if attempt.closed_by_timer:
        messages.info(request, _("The time ran out: your saved answers were submitted."))
    else:
        messages.success(request, _("Your answers were submitted."))
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
