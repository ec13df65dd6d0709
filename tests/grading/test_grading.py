"""Trainers grade open responses of their sessions' participants, coordinators those of their agency's people;
nobody else's, and only within the rubric."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Answer, Assessment, AssessmentItem, Attempt, Question
from lms.people.roles import Role
from lms.cascade.models import CascadeSession
from tests.assessments.bank import bank_load
from tests.factories import person
from tests.grading.conftest import taught

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(site_home, agency_a):
    bank_load()
    test = Assessment.objects.create(slug="essay", title_en="Essay", purpose="exam", published=True)
    question = Question.objects.get(key="m2-rubric", locale__language_code="en")
    AssessmentItem.objects.create(assessment=test, question_key=question.translation_key)
    learner = person(username="writer", roles=[Role.TRAINEE], agency=agency_a)
    attempt = services.attempt_start(user=learner, assessment=test, language="en")
    services.answer_save(user=learner, attempt_id=attempt.pk, position=1, response="The request names the authority.")
    services.attempt_submit(attempt_id=attempt.pk, user=learner)
    return Answer.objects.get(attempt=attempt)


def test_the_trainer_of_the_learner_s_session_grades_within_the_rubric(client, pending, agency_a):
    trainer = person(username="tr", roles=[Role.TRAINER], agency=agency_a)
    taught(trainer, pending.attempt.user)
    client.force_login(trainer)
    queue = client.get(reverse("grading:grading_queue"))
    assert [answer.pk for answer in queue.context["answers"]] == [pending.pk]
    url = reverse("grading:grade_answer", args=[pending.pk])
    refused = client.post(url, {"criterion-authority": "5", "criterion-facts": "1"})
    assert refused.status_code == 400
    pending.refresh_from_db()
    assert pending.needs_grading
    assert client.post(url, {"criterion-authority": "2", "criterion-facts": "1"}).status_code == 302
    attempt = Attempt.objects.get()
    assert attempt.state == Attempt.State.GRADED
    assert str(attempt.score) == "3.00"  # 3 of 4 criterion points of a 4-point question
    assert list(client.get(reverse("grading:grading_queue")).context["answers"]) == []


def test_a_trainer_of_another_agency_cannot_see_or_grade_it(client, pending, agency_b):
    client.force_login(person(username="tr-b", roles=[Role.TRAINER], agency=agency_b))
    assert list(client.get(reverse("grading:grading_queue")).context["answers"]) == []
    url = reverse("grading:grade_answer", args=[pending.pk])
    assert client.post(url, {"criterion-authority": "2", "criterion-facts": "2"}).status_code == 404
    pending.refresh_from_db()
    assert pending.needs_grading


def test_a_trainee_has_no_grading_queue(client, pending, agency_a):
    client.force_login(person(username="t2", roles=[Role.TRAINEE], agency=agency_a))
    assert client.get(reverse("grading:grading_queue")).status_code == 403


def test_a_trainer_of_the_agency_who_does_not_teach_the_learner_cannot_grade_it(client, pending, agency_a):
    trainer = person(username="tr", roles=[Role.TRAINER], agency=agency_a)
    taught(trainer)  # a session of their own, without the learner
    taught(trainer, pending.attempt.user, state=CascadeSession.State.CANCELLED)  # a cancelled one does not count
    client.force_login(trainer)
    assert list(client.get(reverse("grading:grading_queue")).context["answers"]) == []
    url = reverse("grading:grade_answer", args=[pending.pk])
    assert client.post(url, {"criterion-authority": "2", "criterion-facts": "2"}).status_code == 404
    pending.refresh_from_db()
    assert pending.needs_grading


def test_the_coordinator_of_the_agency_grades_anyone_of_it(client, pending, coordinator_a):
    client.force_login(coordinator_a)
    assert [answer.pk for answer in client.get(reverse("grading:grading_queue")).context["answers"]] == [pending.pk]
    url = reverse("grading:grade_answer", args=[pending.pk])
    assert client.post(url, {"criterion-authority": "2", "criterion-facts": "2"}).status_code == 302
    pending.refresh_from_db()
    assert not pending.needs_grading


def test_a_coordinator_of_another_agency_cannot_grade_it(client, pending, coordinator_b):
    client.force_login(coordinator_b)
    assert list(client.get(reverse("grading:grading_queue")).context["answers"]) == []
    assert client.get(reverse("grading:grade_answer", args=[pending.pk])).status_code == 404
