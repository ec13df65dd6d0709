"""The demo pool of trainers: every status shows, each decision rests on met requirements, and a second
run adds nothing. Runs on the small test curriculum with the small question bank (a few seconds a run)."""

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from assessments.models import Assessment, Attempt, Blueprint, BlueprintRule
from courses.models import CourseCompletion, Enrolment, LessonProgress
from lms.people.seed import demo_people_load, reference_data_load
from lms.trainers import selectors
from lms.trainers.models import (
    Certification,
    CertificationEvent,
    CertificationProgramme,
    PracticeTeachingEvaluation,
    ToTCohort,
)
from lms.trainers.seed import tot_cohorts_seed
from tests.assessments.bank import bank_load

pytestmark = pytest.mark.django_db

Status = Certification.Status
COUNTED = [
    User, CertificationProgramme, ToTCohort, Certification, CertificationEvent, PracticeTeachingEvaluation,
    Attempt, CourseCompletion, Enrolment, LessonProgress,
]


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture
def tests_of_the_cohort(db):
    """A pre-test (form A) and post-test (form B) drawing two items of each module of the small bank."""
    bank_load()
    blueprint = Blueprint.objects.create(name="two per module")
    for module in (1, 2):
        BlueprintRule.objects.create(blueprint=blueprint, module=module, count=2)
    pre = Assessment.objects.create(
        slug="tot-pre-test", title_en="Pre-test", purpose=Assessment.Purpose.PRE, blueprint=blueprint, form="A", published=True
    )
    post = Assessment.objects.create(
        slug="tot-post-test", title_en="Post-test", purpose=Assessment.Purpose.POST, blueprint=blueprint, form="B",
        pass_mark=70, published=True,
    )
    return pre, post


@pytest.fixture
def seeded(curriculum, tests_of_the_cohort):
    reference_data_load()
    demo_people_load(password="demo-pass-1")
    pre, post = tests_of_the_cohort

    def run():
        return tot_cohorts_seed(tot=curriculum["tot"], refresher=curriculum["refresher"], pre=pre, post=post)

    return run


def test_a_second_run_adds_nothing_and_every_status_shows(seeded):
    first_statuses = seeded()
    first = counts()
    assert seeded() == first_statuses
    assert counts() == first
    assert first["ToTCohort"] == 2
    assert first["CertificationProgramme"] == 1
    assert all(first_statuses[status] >= 1 for status in Status.values), first_statuses
    today = timezone.localdate()
    for username in ("trainer", "trainer.mia"):
        certification = Certification.objects.get(user__username=username)
        assert certification.status == Status.CERTIFIED
        assert certification.valid_until > today
        assert selectors.active_certification(user=certification.user, on=today) == certification
    assert Certification.objects.get(status=Status.EXPIRED).valid_until < today


def test_cohort_titles_and_venues_are_in_the_cohorts_language_and_an_older_english_demo_is_put_right(seeded):
    import json

    from lms.trainers.seed import DATA_FILE

    rows = json.loads(DATA_FILE.read_text(encoding="utf-8"))["cohorts"]
    seeded()
    texts = {cohort.code: (cohort.title, cohort.venue, cohort.language) for cohort in ToTCohort.objects.all()}
    assert texts == {row["code"]: (row["title"], row["venue"], row["language"]) for row in rows}
    assert {row["language"] for row in rows} == {"tk", "ru"}
    # a demo database seeded with the English title and venue gets them in the cohort's language
    first = counts()
    ToTCohort.objects.filter(code=rows[0]["code"]).update(
        title="ToT for prosecutors and police, Daşoguz and Balkan, 2024",
        venue="Daşoguz, training hall of the regional prosecutor's office",
    )
    seeded()
    assert counts() == first
    cohort = ToTCohort.objects.get(code=rows[0]["code"])
    assert (cohort.title, cohort.venue) == (rows[0]["title"], rows[0]["venue"])


def test_every_decision_rests_on_met_requirements_and_is_dated(seeded):
    seeded()
    decided = Certification.objects.exclude(status=Status.CANDIDATE).select_related("programme", "cohort", "cohort__post_test")
    assert decided.count() >= 20
    for certification in decided:
        requirements = selectors.requirement_list(certification=certification, recertification=False)
        assert selectors.requirements_met(requirements), (certification.user.username, requirements)
        granted = certification.events.get(action=CertificationEvent.Action.CERTIFIED)
        assert all(row["met"] for row in granted.details["requirements"].values())
        assert granted.at.date() == certification.certified_on  # the history is dated as it happened
    # the candidates of the completed cohort lack something; the upcoming cohort has only nominations
    completed, upcoming = ToTCohort.objects.order_by("starts_on")
    waiting = Certification.objects.filter(cohort=completed, status=Status.CANDIDATE)
    assert waiting.count() >= 1
    for certification in waiting:
        requirements = selectors.requirement_list(certification=certification, recertification=False)
        assert not selectors.requirements_met(requirements), certification.user.username
    assert upcoming.starts_on > timezone.localdate()
    assert upcoming.candidates.filter(status=Status.CANDIDATE).count() == upcoming.candidates.count() >= 1
    assert not PracticeTeachingEvaluation.objects.filter(certification__cohort=upcoming).exists()
    # suspension and revocation keep their reason on the row and in the history
    for status in (Status.SUSPENDED, Status.REVOKED):
        certification = Certification.objects.get(status=status)
        assert certification.status_reason
        assert certification.events.last().reason == certification.status_reason
