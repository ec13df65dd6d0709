"""Shared helpers of the report tests (and of the browser tests of the report pages).

The knowledge-gain pair: two tests of two 1-point items each, taken with ``take``. The reach dataset's
builders: people, certifications, sessions and graded attempts on fixed dates.
"""

import uuid
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from assessments import services
from assessments.models import Assessment, Attempt
from lms.people.models import Profile
from lms.people.roles import Role
from lms.trainers.models import Certification
from tests.factories import CascadeSessionFactory, person

# --- knowledge gain -------------------------------------------------------------------------------------

KEYS = ["m1-single", "m1-truefalse"]  # 1 point each: a test of 2 points


def take(user, test, *, right: int, days_ago: int):
    """Answer ``right`` of the two items right (single: b, true/false: False)."""
    when = timezone.now() - timedelta(days=days_ago)
    attempt = services.attempt_start(user=user, assessment=test, language="en", now=when)
    for answer in attempt.answers.select_related("question"):
        good = {"m1-single": "b", "m1-truefalse": False}[answer.question.key]
        bad = {"m1-single": "a", "m1-truefalse": True}[answer.question.key]
        response = good if answer.position <= right else bad
        services.answer_save(user=user, attempt_id=attempt.pk, position=answer.position, response=response, now=when)
    services.attempt_submit(attempt_id=attempt.pk, user=user, now=when + timedelta(minutes=10))


# --- reach ---------------------------------------------------------------------------------------------

COURSE = uuid.UUID("00000000-0000-0000-0000-0000000000c1")
TODAY = date(2026, 6, 1)


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


# --- dataset --------------------------------------------------------------------------------------------


def assessment_of(slug, purpose):
    return Assessment.objects.create(slug=slug, title_en=slug, purpose=purpose, published=True)


def who(username, agency, *, gender="female", region=None, roles=(Role.TRAINEE,)):
    user = person(username=username, roles=list(roles), agency=agency, first_name=username.upper(), last_name="")
    Profile.objects.filter(user=user).update(gender=gender, region=region)
    return user


def certify(user, programme, cohort, *, status="certified", valid_until=date(2027, 12, 31)):
    values = {}
    if status != "candidate":
        values = {"number": f"TOT-{user.pk}", "code": f"code-{user.pk}", "certified_on": cohort.ends_on,
                  "valid_until": valid_until}
    return Certification.objects.create(user=user, programme=programme, cohort=cohort, status=status, **values)


def session(lead, agency, region, days, people, *, state="delivered", tests=(None, None), title=None):
    days = [(day, time(9), time(hours)) for day, hours in days]
    return CascadeSessionFactory(
        title=title or f"Session of {lead.username}", course_key=COURSE, lead_trainer=lead, agency=agency,
        region=region, language="tk", venue="Centre", state=state, schedule=days,
        starts_at=at(days[0][0], 9), ends_at=at(days[-1][0], days[-1][2].hour),
        pre_test=tests[0], post_test=tests[1], participants=people,
    )


def attempt(user, test, percent, when):
    number = Attempt.objects.filter(user=user, assessment=test).count() + 1
    return Attempt.objects.create(
        assessment=test, user=user, number=number, state=Attempt.State.GRADED, language="tk",
        score=percent, max_score=100, submitted_at=when,
    )
