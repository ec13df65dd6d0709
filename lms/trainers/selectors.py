"""Reads about the pool of trainers, scoped to what the acting user may see, and the requirement check.

Requirements are computed from records every time (nobody ticks a box the system already knows):
``requirement_table`` evaluates many certifications with a fixed number of queries.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Attempt
from courses.models import CourseCompletion
from lms.people import selectors as people_selectors
from lms.people.names import display_name
from lms.people.roles import Role

from . import delivery
from .models import Certification, CertificationEvent, PracticeTeachingEvaluation, ToTCohort

FINISHED_STATES = (Attempt.State.SUBMITTED, Attempt.State.GRADED)

# requirement keys and their labels; the order is the order shown
REQUIREMENT_LABELS = {
    "course": gettext_lazy("ToT course completed"),
    "post_test": gettext_lazy("Post-test passed"),
    "practice": gettext_lazy("Practice teaching evaluated as meeting the standard"),
    "co_facilitation": gettext_lazy("Co-facilitated a cascade session"),
    "recert_sessions": gettext_lazy("Cascade sessions delivered and reported in the period"),
    "recert_gain": gettext_lazy("Participants' mean normalised gain"),
    "refresher_course": gettext_lazy("Refresher module completed"),
    "refresher_test": gettext_lazy("Refresher test passed"),
}


@dataclass
class Requirement:
    key: str
    met: bool
    evidence: str

    @property
    def label(self) -> str:
        return str(REQUIREMENT_LABELS[self.key])


def _local_day(value) -> date:
    """The calendar day of a date, or of a stored (UTC) datetime in the site's time zone."""
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


def _date(value) -> str:
    if value is None:
        return ""
    return formats.date_format(_local_day(value), "DATE_FORMAT")


def _percent(attempt: Attempt) -> str:
    if not attempt.max_score:
        return "0%"
    return f"{(attempt.score or 0) * 100 / attempt.max_score:.0f}%"


def evaluation_passed(*, evaluation: PracticeTeachingEvaluation, programme) -> bool:
    """An evaluation meets the standard when the mean reaches the threshold and no criterion is too low."""
    return evaluation.mean >= programme.evaluation_threshold and min(evaluation.scores.values()) >= programme.evaluation_minimum


def _best_passed(attempts, *, since=None):
    found = [a for a in attempts if a.passed and (since is None or (a.submitted_at and _local_day(a.submitted_at) >= since))]
    return max(found, key=lambda a: (a.score or 0, a.submitted_at), default=None)


def requirement_table(*, certifications: list[Certification], recertification: bool | None = None) -> dict:
    """Return ``{certification.pk: [Requirement, …]}`` for many certifications in a fixed number of queries.

    Candidates are checked against the requirements of certification; certified, expired, suspended
    and revoked trainers against those of recertification, over their current validity period (from
    ``certified_on``), unless ``recertification`` says which.
    """
    if not certifications:
        return {}
    user_ids = {c.user_id for c in certifications}
    course_keys = set()
    test_ids = set()
    for c in certifications:
        programme = c.programme
        course_keys.add(programme.course_key)
        if programme.refresher_course_key:
            course_keys.add(programme.refresher_course_key)
        if programme.refresher_test_id:
            test_ids.add(programme.refresher_test_id)
        if c.cohort_id and c.cohort.post_test_id:
            test_ids.add(c.cohort.post_test_id)
    completions = {}
    for completion in CourseCompletion.objects.filter(user_id__in=user_ids, course_key__in=course_keys):
        completions[(completion.user_id, completion.course_key)] = completion
    attempts = {}
    for attempt in Attempt.objects.filter(
        user_id__in=user_ids, assessment_id__in=test_ids, state__in=FINISHED_STATES
    ).only("user_id", "assessment_id", "score", "max_score", "passed", "submitted_at"):
        attempts.setdefault((attempt.user_id, attempt.assessment_id), []).append(attempt)
    evaluations = {}
    for evaluation in PracticeTeachingEvaluation.objects.filter(
        certification__in=[c.pk for c in certifications]
    ).select_related("evaluator"):
        evaluations.setdefault(evaluation.certification_id, []).append(evaluation)
    # one provider call per distinct period start (usually a handful)
    starts = {}
    for c in certifications:
        recert = recertification if recertification is not None else c.status != Certification.Status.CANDIDATE
        since = c.certified_on if recert else (c.cohort.starts_on if c.cohort_id else None)
        starts.setdefault(since, set()).add(c.user_id)
    delivered = {}
    for since, ids in starts.items():
        for user_id, found in delivery.deliveries(user_ids=ids, since=since).items():
            delivered[(user_id, since)] = found

    table = {}
    for c in certifications:
        programme = c.programme
        recert = recertification if recertification is not None else c.status != Certification.Status.CANDIDATE
        rows = []
        if not recert:
            completion = completions.get((c.user_id, programme.course_key))
            rows.append(
                Requirement(
                    "course",
                    completion is not None,
                    _("Completed on %(date)s") % {"date": _date(completion.completed_at)} if completion else _("Not completed"),
                )
            )
            post_test = c.cohort.post_test if c.cohort_id else None
            if post_test is None:
                rows.append(Requirement("post_test", False, _("No post-test is attached to the cohort")))
            else:
                tried = attempts.get((c.user_id, post_test.pk), [])
                best = _best_passed(tried)
                if best:
                    evidence = _("%(score)s on %(date)s (pass mark %(mark)s%%)") % {
                        "score": _percent(best), "date": _date(best.submitted_at), "mark": post_test.pass_mark,
                    }
                elif tried:
                    last = max(tried, key=lambda a: a.submitted_at)
                    evidence = _("Not passed: %(score)s on %(date)s (pass mark %(mark)s%%)") % {
                        "score": _percent(last), "date": _date(last.submitted_at), "mark": post_test.pass_mark,
                    }
                else:
                    evidence = _("Not taken")
                rows.append(Requirement("post_test", best is not None, evidence))
            done = evaluations.get(c.pk, [])
            good = [e for e in done if evaluation_passed(evaluation=e, programme=programme)]
            shown = good[0] if good else (done[0] if done else None)
            if shown is None:
                evidence = _("Not evaluated yet")
            else:
                evidence = _("Mean %(mean)s of 5 (needed %(needed)s, no criterion below %(minimum)s), by %(evaluator)s on %(date)s") % {
                    "mean": shown.mean,
                    "needed": programme.evaluation_threshold,
                    "minimum": programme.evaluation_minimum,
                    "evaluator": display_name(shown.evaluator),
                    "date": _date(shown.taught_on),
                }
            rows.append(Requirement("practice", bool(good), evidence))
            if programme.requires_co_facilitation:
                found = delivered[(c.user_id, c.cohort.starts_on if c.cohort_id else None)]
                count = found.sessions_co_facilitated + found.sessions_led
                rows.append(Requirement("co_facilitation", count >= 1, _("%(count)s sessions") % {"count": count}))
        else:
            found = delivered[(c.user_id, c.certified_on)]
            rows.append(
                Requirement(
                    "recert_sessions",
                    found.sessions_led >= programme.recert_sessions,
                    _("%(count)s of %(needed)s sessions since %(date)s")
                    % {"count": found.sessions_led, "needed": programme.recert_sessions, "date": _date(c.certified_on)},
                )
            )
            if found.mean_gain is None:
                rows.append(Requirement("recert_gain", False, _("No participant with both tests yet")))
            else:
                rows.append(
                    Requirement(
                        "recert_gain",
                        Decimal(str(found.mean_gain)) >= programme.recert_min_gain,
                        _("%(gain)s (needed %(needed)s), %(count)s participants")
                        % {"gain": f"{found.mean_gain:.2f}", "needed": programme.recert_min_gain, "count": found.participants},
                    )
                )
            if programme.refresher_course_key:
                completion = completions.get((c.user_id, programme.refresher_course_key))
                met = completion is not None and c.certified_on is not None and _local_day(completion.completed_at) >= c.certified_on
                rows.append(
                    Requirement(
                        "refresher_course",
                        met,
                        _("Completed on %(date)s") % {"date": _date(completion.completed_at)} if met else _("Not completed in the period"),
                    )
                )
            if programme.refresher_test_id:
                best = _best_passed(attempts.get((c.user_id, programme.refresher_test_id), []), since=c.certified_on)
                rows.append(
                    Requirement(
                        "refresher_test",
                        best is not None,
                        _("%(score)s on %(date)s") % {"score": _percent(best), "date": _date(best.submitted_at)}
                        if best
                        else _("Not passed in the period"),
                    )
                )
        table[c.pk] = rows
    return table


def requirement_list(*, certification: Certification, recertification: bool | None = None) -> list[Requirement]:
    return requirement_table(certifications=[certification], recertification=recertification)[certification.pk]


def requirements_met(requirements: list[Requirement]) -> bool:
    return all(requirement.met for requirement in requirements)


# --- scoping ----------------------------------------------------------------------------------------------


def _base():
    return Certification.objects.select_related(
        "user", "user__profile", "user__profile__agency", "user__profile__region", "programme", "cohort",
        "cohort__post_test", "agency",
    )


def certification_list(*, actor) -> QuerySet[Certification]:
    """Certifications the actor may see: managers all; coordinators their agency's people; master trainers
    the candidates of their cohorts; everyone their own."""
    queryset = _base()
    agencies = people_selectors.agency_scope(user=actor)
    if agencies.all:
        return queryset
    if not actor.is_authenticated:
        return queryset.none()
    scope = Q(user=actor) | Q(cohort__master_trainers=actor)
    if agencies.own is not None:
        scope |= agencies.q("user__profile__agency")
    return queryset.filter(pk__in=Certification.objects.filter(scope).values("pk"))


def certification_get(*, actor, pk: int) -> Certification:
    """One certification the actor may see; ``Certification.DoesNotExist`` otherwise."""
    return certification_list(actor=actor).get(pk=pk)


def cohort_list(*, actor) -> QuerySet[ToTCohort]:
    """Cohorts the actor may see: managers all; master trainers and candidates theirs; coordinators those
    with a candidate of their agency, and every cohort not yet over (to nominate to)."""
    queryset = ToTCohort.objects.select_related("programme", "region")
    agencies = people_selectors.agency_scope(user=actor)
    if agencies.all:
        return queryset
    if not actor.is_authenticated:
        return queryset.none()
    scope = Q(master_trainers=actor) | Q(candidates__user=actor)
    if agencies.own is not None:
        scope |= agencies.q("candidates__user__profile__agency") | Q(ends_on__gte=timezone.localdate())
    return queryset.filter(pk__in=ToTCohort.objects.filter(scope).values("pk"))


def cohort_candidates(*, actor, cohort: ToTCohort) -> QuerySet[Certification]:
    return certification_list(actor=actor).filter(cohort=cohort).order_by("user__last_name", "user__first_name")


def nominable_people(*, actor, cohort: ToTCohort):
    """People the actor may nominate to the cohort: their agency's (all for managers), not yet in the programme."""
    User = get_user_model()
    agencies = people_selectors.managed_agency_list(actor=actor)
    taken = Certification.objects.filter(programme=cohort.programme).values("user_id")
    return (
        User.objects.filter(is_active=True, profile__agency__in=agencies)
        .exclude(pk__in=taken)
        .select_related("profile", "profile__agency")
        .order_by("last_name", "first_name", "username")
    )


def event_list(*, certification: Certification) -> QuerySet[CertificationEvent]:
    return certification.events.select_related("actor")


def may_manage(*, user) -> bool:
    """Programme managers decide on certifications."""
    return people_selectors.agency_scope(user=user).all


def may_evaluate(*, user, certification: Certification) -> bool:
    """Master trainers of the candidate's cohort record their evaluations; a programme manager records one
    on a master trainer's behalf (naming them) or as the observer."""
    if user.is_superuser or may_manage(user=user):
        return True
    return bool(certification.cohort_id) and certification.cohort.master_trainers.filter(pk=user.pk).exists()


def evaluator_list(*, actor, certification: Certification) -> list:
    """Whom the actor may name as the evaluator: a manager the cohort's master trainers and themself,
    anyone else only themself (an empty list when they may not evaluate)."""
    if not may_evaluate(user=actor, certification=certification):
        return []
    if not (actor.is_superuser or may_manage(user=actor)):
        return [actor]
    masters = []
    if certification.cohort_id:
        masters = list(
            certification.cohort.master_trainers.select_related("profile", "profile__agency").order_by(
                "last_name", "first_name", "username"
            )
        )
    return masters + ([actor] if actor not in masters else [])


def master_trainer_choices(*, keep=(), today: date | None = None) -> QuerySet:
    """The people who may be named master trainers of a ToT cohort, by surname: active programme managers,
    and active trainers whose standing has not lapsed (a current certification, or none ever granted here:
    international master trainers hold the trainer role without one). ``keep`` (the cohort's present master
    trainers, by id) stay in the list, so editing an older cohort neither drops nor refuses them."""
    today = today or timezone.localdate()
    User = get_user_model()
    memberships = User.groups.through.objects.filter(user_id=OuterRef("pk"))
    granted = Certification.objects.filter(user_id=OuterRef("pk"), number__isnull=False)
    current = granted.filter(status=Certification.Status.CERTIFIED, valid_until__gte=today)
    trainer = Group.objects.filter(name=Role.TRAINER).values("pk")
    manager = Group.objects.filter(name=Role.MANAGER).values("pk")
    eligible = Q(is_active=True) & (
        Q(Exists(memberships.filter(group_id__in=manager)))
        | (Q(Exists(memberships.filter(group_id__in=trainer))) & (Q(Exists(current)) | ~Q(Exists(granted))))
    )
    return (
        User.objects.filter(eligible | Q(pk__in=list(keep)))
        .select_related("profile", "profile__agency", "profile__region")
        .order_by("last_name", "first_name", "username")
    )


def active_certification(*, user, on: date | None = None) -> Certification | None:
    """The user's certification that lets them teach today (certified and within validity), if any."""
    on = on or timezone.localdate()
    return (
        Certification.objects.filter(user=user, status=Certification.Status.CERTIFIED, valid_until__gte=on)
        .select_related("programme")
        .order_by("-valid_until")
        .first()
    )


# --- dashboards ------------------------------------------------------------------------------------------

# a trainer is warned this many days before their certification ends
EXPIRY_WARNING_DAYS = 60
# a cohort is "open" for certification decisions until this many days after its last day
OPEN_COHORT_DAYS = 180
# the most candidates whose requirements a dashboard checks (the check runs in Python)
READY_CHECK_CAP = 200


@dataclass
class Validity:
    certification: Certification
    days_left: int | None

    @property
    def expiring(self) -> bool:
        return self.days_left is not None and 0 <= self.days_left <= EXPIRY_WARNING_DAYS

    @property
    def valid(self) -> bool:
        return self.days_left is not None and self.days_left >= 0


def certification_validity(*, user, today: date | None = None) -> Validity | None:
    """The user's current trainer certification (the certified one valid longest, else the latest granted
    one, say an expired one) with the days left of its validity: one query."""
    today = today or timezone.localdate()
    certification = (
        Certification.objects.filter(user=user, number__isnull=False)
        .select_related("programme")
        .annotate(current=Case(When(status=Certification.Status.CERTIFIED, then=Value(0)), default=Value(1),
                               output_field=IntegerField()))
        .order_by("current", "-valid_until", "-pk")
        .first()
    )
    if certification is None:
        return None
    if certification.status != Certification.Status.CERTIFIED or certification.valid_until is None:
        return Validity(certification=certification, days_left=None)
    return Validity(certification=certification, days_left=(certification.valid_until - today).days)


def ready_candidate_list(*, actor, today: date | None = None, limit: int = 5) -> tuple[list[Certification], int]:
    """Candidates of open cohorts (not over more than ``OPEN_COHORT_DAYS`` ago) the actor sees who meet every
    requirement of certification, and how many: at most ``READY_CHECK_CAP`` candidates are checked
    (``requirement_table``, a fixed number of queries), the first ``limit`` ready ones are returned."""
    today = today or timezone.localdate()
    candidates = list(
        certification_list(actor=actor)
        .filter(status=Certification.Status.CANDIDATE, cohort__ends_on__gte=today - timedelta(days=OPEN_COHORT_DAYS))
        .order_by("cohort__ends_on", "user__last_name", "user__first_name", "pk")[:READY_CHECK_CAP]
    )
    table = requirement_table(certifications=candidates, recertification=False)
    ready = [candidate for candidate in candidates if requirements_met(table[candidate.pk])]
    return ready[:limit], len(ready)
