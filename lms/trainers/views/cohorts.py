"""ToT cohorts, their candidates, and a certification's page: requirements with evidence, evaluations,
history, and the decisions a programme manager takes on it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from lms.people import selectors as people_selectors
from lms.people.names import display_name
from lms.people.roles import Role

from .. import selectors, services
from ..exceptions import TrainersError
from ..forms import EvaluationForm, NominationForm, ReasonForm
from ..models import Certification

Action = services.Action

# what a manager may do on the certification page: form value → (action, service, needs a reason, button)
DECISIONS = {
    "grant": (Action.CERTIFIED, services.certification_grant, False, gettext_lazy("Certify")),
    "recertify": (Action.RECERTIFIED, services.certification_recertify, False, gettext_lazy("Recertify")),
    "suspend": (Action.SUSPENDED, services.certification_suspend, True, gettext_lazy("Suspend")),
    "revoke": (Action.REVOKED, services.certification_revoke, True, gettext_lazy("Revoke")),
    "reinstate": (Action.REINSTATED, services.certification_reinstate, True, gettext_lazy("Reinstate")),
}


@login_required
def cohort_list(request):
    cohorts = selectors.cohort_list(actor=request.user).order_by("-starts_on")
    return render(request, "trainers/cohort_list.html", {"cohorts": cohorts})


@login_required
@require_http_methods(["GET", "POST"])
def cohort_detail(request, code):
    cohort = get_object_or_404(selectors.cohort_list(actor=request.user).prefetch_related("master_trainers"), code=code)
    may_nominate = selectors.may_manage(user=request.user) or people_selectors.user_has_role(
        user=request.user, role=Role.COORDINATOR
    )
    errors = []
    if request.method == "POST":
        if not may_nominate:
            raise Http404
        chosen = NominationForm(request.POST, people=selectors.nominable_people(actor=request.user, cohort=cohort))
        person = chosen.cleaned_data["user"] if chosen.is_valid() else None
        if person is None:
            errors.append(_("Choose a person of your agency who is not in this programme yet."))
        else:
            try:
                services.candidate_nominate(actor=request.user, cohort=cohort, user=person)
            except TrainersError as error:
                errors.append(error.message)
            else:
                messages.success(request, _("%(name)s is nominated.") % {"name": display_name(person)})
                return redirect("trainers:cohort_detail", code=cohort.code)
    candidates = list(selectors.cohort_candidates(actor=request.user, cohort=cohort))
    table = selectors.requirement_table(certifications=candidates, recertification=False)
    rows = [
        {
            "certification": candidate,
            "met": sum(requirement.met for requirement in table[candidate.pk]),
            "total": len(table[candidate.pk]),
        }
        for candidate in candidates
    ]
    context = {
        "cohort": cohort,
        "rows": rows,
        "may_nominate": may_nominate and cohort.ends_on >= timezone.localdate(),
        "nominable": selectors.nominable_people(actor=request.user, cohort=cohort) if may_nominate else [],
        "errors": errors,
    }
    return render(request, "trainers/cohort_detail.html", context, status=400 if errors else 200)


def _certification(request, pk) -> Certification:
    try:
        return selectors.certification_get(actor=request.user, pk=pk)
    except Certification.DoesNotExist:
        raise Http404 from None


def _decision_message(certification: Certification, action) -> str:
    """Say what the decision did: the number and validity of a (re)certification, else the new status."""
    if action in (Action.CERTIFIED, Action.RECERTIFIED):
        facts = {"number": certification.number, "date": date_format(certification.valid_until, "DATE_FORMAT")}
        if action == Action.RECERTIFIED:
            return _("Recertified: %(number)s, valid until %(date)s") % facts
        return _("Certified: %(number)s, valid until %(date)s") % facts
    return _("The certification is now “%(status)s”.") % {"status": certification.get_status_display()}


@login_required
@require_http_methods(["GET", "POST"])
def certification_detail(request, pk):
    certification = _certification(request, pk)
    is_manager = selectors.may_manage(user=request.user)
    form = ReasonForm(request.POST or None)
    if request.method == "POST":
        decision = DECISIONS.get(request.POST.get("decision", ""))
        if decision is None or not is_manager:
            raise Http404
        action, service, needs_reason, _label = decision
        if form.is_valid():
            try:
                if needs_reason:
                    done = service(actor=request.user, certification=certification, reason=form.cleaned_data["reason"])
                else:
                    done = service(actor=request.user, certification=certification)
            except TrainersError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _decision_message(done, action))
                return redirect("trainers:certification_detail", pk=certification.pk)
        certification = _certification(request, pk)
    candidate = certification.status == Certification.Status.CANDIDATE
    requirements = selectors.requirement_list(certification=certification, recertification=not candidate)
    status = certification.status
    actions = []
    if is_manager:
        for value, (action, _service, needs_reason, label) in DECISIONS.items():
            if status in services.TRANSITIONS[action][0]:
                # certifying waits for every requirement: the button is disabled with the missing ones beside it
                blocked = value in ("grant", "recertify") and not selectors.requirements_met(requirements)
                actions.append({"value": value, "label": label, "needs_reason": needs_reason, "blocked": blocked})
    context = {
        "certification": certification,
        "requirements": requirements,
        "all_met": selectors.requirements_met(requirements),
        "unmet": [requirement for requirement in requirements if not requirement.met],
        "evaluations": certification.evaluations.select_related("evaluator"),
        "events": selectors.event_list(certification=certification),
        "actions": actions,
        "may_evaluate": candidate and selectors.may_evaluate(user=request.user, certification=certification),
        "form": form,
        "has_certificate": status in {Certification.Status.CERTIFIED, Certification.Status.EXPIRED, Certification.Status.SUSPENDED},
    }
    return render(request, "trainers/certification_detail.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_create(request, pk):
    certification = _certification(request, pk)
    evaluators = selectors.evaluator_list(actor=request.user, certification=certification)
    if not evaluators:
        raise Http404
    form = EvaluationForm(request.POST or None, evaluators=evaluators)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.evaluation_record(
                actor=request.user,
                certification=certification,
                taught_on=data["taught_on"],
                topic=data["topic"],
                scores={name: data[name] for name in EvaluationForm.CRITERIA},
                feedback=data["feedback"],
                evaluator=data.get("evaluator"),
            )
        except TrainersError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The evaluation is recorded."))
            return redirect("trainers:certification_detail", pk=certification.pk)
    context = {"certification": certification, "form": form, "programme": certification.programme}
    return render(request, "trainers/evaluation_form.html", context, status=400 if form.errors else 200)
