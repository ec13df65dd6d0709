"""The demo pool of trainers, read from ``data/tot_cohorts.json``; safe to re-run.

It builds the certification programme, a ToT cohort that ended about two years ago with every record
the requirements are computed from (course completion, pre- and post-test attempts, practice-teaching
evaluations), the decisions on its candidates (certified, expired, suspended, revoked, still a
candidate) and an upcoming cohort that coordinators can nominate to. Everything goes through the
services that a coordinator, a master trainer, a learner and the programme manager use, dated with
their ``today``/``now`` arguments.

A few services stamp rows with the current time and take no date (nominations, audit events, course
progress, evaluations); the seed back-dates those rows right after the call, so the history reads as
it happened. Dates in the file are relative to the day of the first run and are kept afterwards: a
second run finds every record by its code or username and adds nothing.
"""

import json
import random
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import Assessment, Attempt
from assessments.scoring import response_score
from assessments.seed import response_example
from content.seed.loader import SeedDataError
from courses import services as course_services
from courses.models import CourseCompletion, CoursePage, Enrolment, LessonPage, LessonProgress
from courses.selectors import course_nav
from lms.people.models import Region
from lms.people.seed import _person_save

from . import services
from .exceptions import TrainersError
from .models import Certification, CertificationEvent, CertificationProgramme, PracticeTeachingEvaluation, ToTCohort

DATA_FILE = Path(__file__).resolve().parent / "data" / "tot_cohorts.json"
PROGRAMME_FIELDS = (
    "name_en", "name_ru", "name_tk", "modules", "evaluation_minimum", "requires_co_facilitation",
    "validity_months", "recert_sessions",
)
Status = Certification.Status


def _read() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@contextmanager
def _events_dated(when: datetime | None):
    """Stamp the audit events written inside the block with ``when`` (None: leave them at now)."""
    last = CertificationEvent.objects.aggregate(last=Max("pk"))["last"] or 0
    yield
    if when is not None:
        CertificationEvent.objects.filter(pk__gt=last).update(at=when)


def _user(username: str) -> User:
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist as error:
        raise SeedDataError(f"{DATA_FILE.name}: no account {username!r} (load the demo people first)") from error


# --- the programme and its cohorts -----------------------------------------------------------------------


def programme_seed(*, data: dict, tot: CoursePage, refresher: CoursePage | None) -> CertificationProgramme:
    """Create or update the programme: the ToT course to complete, the refresher to renew with.

    The refresher test is the refresher course's published post-test when there is one, else none.
    """
    refresher_test = None
    if refresher is not None:
        refresher_test = Assessment.objects.filter(
            course_key=refresher.translation_key, purpose=Assessment.Purpose.POST, published=True
        ).first()
    programme, _created = CertificationProgramme.objects.update_or_create(
        code=data["code"],
        defaults={
            **{field: data[field] for field in PROGRAMME_FIELDS},
            "evaluation_threshold": Decimal(data["evaluation_threshold"]),
            "recert_min_gain": Decimal(data["recert_min_gain"]),
            "course_key": tot.translation_key,
            "refresher_course_key": refresher.translation_key if refresher is not None else None,
            "refresher_test": refresher_test,
        },
    )
    return programme


def cohort_seed(*, row: dict, programme, pre, post, today: date) -> ToTCohort:
    """Create the cohort on the first run, its dates counted from ``today``; later runs keep the dates."""
    starts_on = services.add_months(today, row["starts"]["months"]) + timedelta(days=row["starts"]["days"])
    cohort, _created = ToTCohort.objects.get_or_create(
        code=row["code"],
        defaults={
            "programme": programme,
            "title": row["title"],
            "starts_on": starts_on,
            "ends_on": starts_on + timedelta(days=row["days"] - 1),
        },
    )
    cohort.programme = programme
    cohort.title = row["title"]
    cohort.venue = row.get("venue", "")
    cohort.region = Region.objects.filter(code=row.get("region")).first()
    cohort.language = row["language"]
    cohort.pre_test = pre
    cohort.post_test = post
    cohort.save()
    cohort.master_trainers.set([_user(username) for username in row["master_trainers"]])
    return cohort


# --- a candidate's records -------------------------------------------------------------------------------


def _nominate(*, cohort: ToTCohort, user, actor, day: date, today: date) -> Certification:
    existing = Certification.objects.filter(user=user, programme=cohort.programme).first()
    if existing is not None:
        return existing
    when = _at(day, 10) if day < today else None
    with _events_dated(when):
        certification = services.candidate_nominate(actor=actor, cohort=cohort, user=user, today=day)
    if when is not None:
        Certification.objects.filter(pk=certification.pk).update(nominated_at=when)
    return certification


def _course_complete(*, user, course: CoursePage, cohort: ToTCohort, finished_on: date, enrolled_by) -> None:
    """Enrol the candidate and mark every lesson done: spread over the cohort's days, the last one on
    ``finished_on`` (the day the course counts as completed)."""
    if CourseCompletion.objects.filter(user=user, course_key=course.translation_key).exists():
        return
    course_services.enrolment_create(
        user=user, course=course, enrolled_by=enrolled_by, source=Enrolment.Source.COORDINATOR
    )
    keys = course_nav(course_key=course.translation_key, language=course.locale.language_code).lesson_keys
    lessons = {lesson.translation_key: lesson for lesson in LessonPage.objects.filter(translation_key__in=keys, locale=course.locale)}
    for key in keys:
        course_services.lesson_complete(user=user, lesson=lessons[key])
    days = (cohort.ends_on - cohort.starts_on).days + 1
    for index, key in enumerate(keys):
        day = finished_on if index == len(keys) - 1 else cohort.starts_on + timedelta(days=index * days // len(keys))
        LessonProgress.objects.filter(user=user, lesson_key=key).update(completed_at=_at(day, 11 + index % 6, index))
    Enrolment.objects.filter(user=user, course_key=course.translation_key).update(
        enrolled_at=_at(cohort.starts_on - timedelta(days=7), 9)
    )
    CourseCompletion.objects.filter(user=user, course_key=course.translation_key).update(
        completed_at=_at(finished_on, 17, 30)
    )


def _items_right(points: list[Decimal], *, target: Decimal, at_least=None, below=None) -> list[bool]:
    """Which items to answer right for a score near ``target``: in order, each item that brings the
    score nearer; then the smallest items are added until ``at_least`` is reached, or the largest
    dropped until the score is ``below`` it."""
    right, scored = [], Decimal(0)
    for value in points:
        right.append(scored + value / 2 <= target)
        scored += value if right[-1] else 0
    by_size = sorted(range(len(points)), key=lambda index: points[index])
    for index in by_size if at_least is not None else ():
        if scored >= at_least:
            break
        if not right[index]:
            right[index], scored = True, scored + points[index]
    for index in reversed(by_size) if below is not None else ():
        if scored < below:
            break
        if right[index]:
            right[index], scored = False, scored - points[index]
    return right


def _test_sit(*, user, test: Assessment, percent: int, when: datetime, grader) -> None:
    """Sit ``test`` for a score near ``percent`` (the items are drawn at random, so it is aimed at)
    and on the side of the pass mark that ``percent`` is; open responses are graded by ``grader``.

    Wrong answers are the assessments seed's plausible wrong responses; one that would still earn
    part of the points is left blank instead.
    """
    if Attempt.objects.filter(user=user, assessment=test).exists():
        return
    rng = random.Random(f"{user.username}:{test.slug}")
    language = getattr(getattr(user, "profile", None), "language", "") or "tk"
    attempt = assessment_services.attempt_start(user=user, assessment=test, language=language, now=when)
    answers = list(attempt.answers.select_related("question").order_by("position"))
    limits = {}
    if test.pass_mark is not None:
        threshold = Decimal(test.pass_mark) * attempt.max_score / 100
        limits = {"at_least": threshold} if percent >= test.pass_mark else {"below": threshold}
    plan = _items_right(
        [answer.max_score for answer in answers], target=Decimal(percent) * attempt.max_score / 100, **limits
    )
    grades = {}
    for answer, right in zip(answers, plan):
        question = answer.question
        response = response_example(kind=question.kind, data=question.data, right=right, rng=rng)
        if question.kind == "rubric":
            grades[answer.pk] = {
                criterion["key"]: criterion["points"] if right else 0 for criterion in question.data["criteria"]
            }
        elif not right and response_score(
            kind=question.kind, data=question.data, points=answer.max_score, response=response
        ).score:
            response = None
        if response is not None:
            assessment_services.answer_save(
                user=user, attempt_id=attempt.pk, position=answer.position, response=response, now=when
            )
    assessment_services.attempt_submit(
        attempt_id=attempt.pk, user=user, now=when + timedelta(minutes=rng.randint(18, 36))
    )
    for answer_id, awards in grades.items():
        assessment_services.rubric_grade(answer_id=answer_id, awards=awards, grader=grader)


def _evaluate(*, certification: Certification, cohort: ToTCohort, row: dict) -> None:
    if certification.status != Status.CANDIDATE or certification.evaluations.exists():
        return
    day = cohort.starts_on + timedelta(days=row["day"] - 1)
    with _events_dated(_at(day, 16)):
        evaluation = services.evaluation_record(
            actor=_user(row["evaluator"]),
            certification=certification,
            taught_on=day,
            topic=row["topic"],
            scores=row["scores"],
            feedback=row["feedback"],
        )
    PracticeTeachingEvaluation.objects.filter(pk=evaluation.pk).update(created_at=_at(day, 16))


# --- decisions ---------------------------------------------------------------------------------------------


def _grant_day(*, grant: dict, cohort: ToTCohort, today: date) -> date:
    if "days_ago" in grant:
        return today - timedelta(days=grant["days_ago"])
    return cohort.ends_on + timedelta(days=grant["days_after_end"])


def _decide(*, action, certification: Certification, username: str, when: datetime, **kwargs) -> None:
    try:
        with _events_dated(when):
            action(certification=certification, **kwargs)
    except TrainersError as error:
        raise SeedDataError(f"{DATA_FILE.name}: {username}: {error.message}") from error


def _cohort_records(*, row: dict, cohort: ToTCohort, course: CoursePage, data: dict, today: date) -> None:
    """Nominate the cohort's candidates; for a cohort that was held, give each the records the file
    lists and decide on them."""
    manager = _user(data["manager"])
    coordinators = {agency: _user(username) for agency, username in data["coordinators"].items()}
    grader = _user(row["master_trainers"][0])
    nominated_on = min(today, cohort.starts_on - timedelta(days=row.get("nominated_days_before", 0)))
    decisions = []
    for candidate in row["candidates"]:
        user = _user(candidate["username"])
        agency = getattr(getattr(getattr(user, "profile", None), "agency", None), "code", None)
        actor = coordinators.get(agency, manager)
        certification = _nominate(cohort=cohort, user=user, actor=actor, day=nominated_on, today=today)
        if not row.get("held"):
            continue  # a cohort still to come: nominations only
        finished = candidate.get("course_completed")
        finished_on = today - timedelta(days=finished["days_ago"]) if finished else cohort.ends_on
        _course_complete(user=user, course=course, cohort=cohort, finished_on=finished_on, enrolled_by=actor)
        if cohort.pre_test and "pre" in candidate:
            _test_sit(user=user, test=cohort.pre_test, percent=candidate["pre"], when=_at(cohort.starts_on, 9, 30), grader=grader)
        if cohort.post_test and "post" in candidate:
            _test_sit(user=user, test=cohort.post_test, percent=candidate["post"], when=_at(cohort.ends_on, 14), grader=grader)
        if "evaluation" in candidate:
            _evaluate(certification=certification, cohort=cohort, row=candidate["evaluation"])
        if candidate.get("certified"):
            day = _grant_day(grant=row["grants"][candidate["certified"]], cohort=cohort, today=today)
            decisions.append((day, candidate, certification))
    # in the order they were taken, so certificate numbers follow the dates
    for day, candidate, certification in sorted(decisions, key=lambda item: item[0]):
        certification.refresh_from_db()
        if certification.status == Status.CANDIDATE:
            _decide(
                action=services.certification_grant, certification=certification, username=candidate["username"],
                when=_at(day, 11), actor=manager, today=day,
            )
    for day, candidate, certification in decisions:
        certification.refresh_from_db()
        for key, action in (("suspended", services.certification_suspend), ("revoked", services.certification_revoke)):
            move = candidate.get(key)
            if move and certification.status == Status.CERTIFIED:
                _decide(
                    action=action, certification=certification, username=candidate["username"],
                    when=_at(today - timedelta(days=move["days_ago"]), 12), actor=manager, reason=move["reason"],
                )


@transaction.atomic
def tot_cohorts_seed(
    *,
    tot: CoursePage,
    refresher: CoursePage | None = None,
    pre: Assessment | None = None,
    post: Assessment | None = None,
    today: date | None = None,
) -> dict[str, int]:
    """Load the programme, the people, the cohorts and their records; return the certifications by status.

    ``tot`` and ``refresher`` are the English course pages, ``pre`` and ``post`` the ToT tests that
    the cohorts sat. The demo accounts named in the file (manager, coordinators, trainers) must exist.
    """
    today = today or timezone.localdate()
    data = _read()
    for person in data["people"]:
        _person_save(person, password=None)
    programme = programme_seed(data=data["programme"], tot=tot, refresher=refresher)
    for row in data["cohorts"]:
        cohort = cohort_seed(row=row, programme=programme, pre=pre, post=post, today=today)
        _cohort_records(row=row, cohort=cohort, course=tot, data=data, today=today)
    services.certifications_expire(today=today)
    found = dict(
        Certification.objects.filter(programme=programme).values_list("status").annotate(count=Count("pk")).order_by()
    )
    return {status: found.get(status, 0) for status in Status.values}
