"""The grading queue: open responses that wait for a trainer, graded against their rubric."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments import selectors as assessment_selectors
from assessments import services as assessment_services
from assessments.exceptions import AssessmentError

from .. import selectors
from ..forms import rubric_points


def _queue(request):
    if not selectors.may_grade(user=request.user):
        raise PermissionDenied
    return assessment_selectors.grading_queue(learners=selectors.gradable_learners(user=request.user))


@login_required
def grading_queue(request):
    answers = list(_queue(request)[:200])
    return render(request, "grading/grading_queue.html", {"answers": answers})


@login_required
@require_http_methods(["GET", "POST"])
def grade_answer(request, answer_id):
    answer = _queue(request).filter(pk=answer_id).first()
    if answer is None:
        raise Http404
    criteria = answer.question.data.get("criteria") or []
    errors = []
    if request.method == "POST":
        awards = {}
        for criterion in criteria:
            points = rubric_points(request.POST.get(f"criterion-{criterion['key']}", ""))
            if points is None:
                errors.append(_("Give a whole number of points for “%(criterion)s”.") % {"criterion": criterion["text"]})
            else:
                awards[criterion["key"]] = points
        if not errors:
            try:
                assessment_services.rubric_grade(answer_id=answer.pk, awards=awards, grader=request.user)
            except AssessmentError as error:
                errors.append(error.message)
            else:
                messages.success(request, _("The answer is graded."))
                return redirect("grading:grading_queue")
    rows = [(criterion, request.POST.get(f"criterion-{criterion['key']}", "")) for criterion in criteria]
    context = {"answer": answer, "rows": rows, "errors": errors}
    return render(request, "grading/grade_answer.html", context, status=400 if errors else 200)
