"""A small world with one record of every kind the pages and the API address by id, and a person in each
role: what the hostile-input tests post to (``test_no_server_error``, ``test_fuzz_inputs``, ``test_api_schemathesis``)."""

import uuid
from dataclasses import dataclass, field
from datetime import time, timedelta

from django.utils import timezone
from rest_framework.authtoken.models import Token

from assessments import services as assessment_services
from courses.models import LessonPage
from assessments.models import Answer, Assessment, AssessmentItem, Question
from lms.cascade import services as cascade_services
from lms.cascade.models import SessionParticipant
from lms.ojt.models import OJTRecord, TrainingPlan
from lms.people.roles import Role
from lms.trainers import services as trainer_services
from lms.trainers.models import Certification, CertificationProgramme, ToTCohort
from tests.factories import AgencyFactory, TrainingUnitFactory, person

TODAY = timezone.localdate()
SOON = TODAY + timedelta(days=10)


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role name → user
    ids: dict = field(default_factory=dict)  # path parameter name → a valid id of a record it names
    strings: dict = field(default_factory=dict)  # path parameter name → a valid text value
    records: dict = field(default_factory=dict)

    def token(self, role: str) -> str:
        return Token.objects.get_or_create(user=self.users[role])[0].key


def build_world(curriculum) -> World:
    world = World()
    agency = AgencyFactory(code="GPO", name_en="General Prosecutor's Office")
    unit = TrainingUnitFactory(agency=agency)
    tot = curriculum["tot"]
    programme = CertificationProgramme.objects.create(
        code="tot", name_en="Certified trainer", course_key=tot.translation_key, modules=[1, 2]
    )
    manager = person(username="w.manager", roles=[Role.MANAGER], agency=None, language="en")
    coordinator = person(username="w.coordinator", roles=[Role.COORDINATOR], agency=agency, language="en")
    trainer = person(username="w.trainer", roles=[Role.TRAINER], agency=agency, language="en")
    co_trainer = person(username="w.cotrainer", roles=[Role.TRAINER], agency=agency, language="en")
    trainee = person(username="w.trainee", roles=[Role.TRAINEE], agency=agency, language="en")
    editor = person(username="w.editor", roles=[Role.EDITOR], agency=None, language="en")
    other = person(username="w.other", roles=[Role.TRAINEE], agency=agency, language="en")
    for number, user in enumerate((trainer, co_trainer), start=1):
        Certification.objects.create(
            user=user, programme=programme, status="certified", number=f"TOT-{number}", code=f"code-{number}",
            certified_on=TODAY - timedelta(days=100), valid_until=TODAY + timedelta(days=400),
        )
    world.users = {"trainee": trainee, "trainer": trainer, "coordinator": coordinator, "manager": manager,
                   "editor": editor}

    session = cascade_services.session_schedule(
        actor=trainer, title="Victim-sensitive interviewing", course_key=programme.course_key, modules=[1],
        days=[cascade_services.Day(SOON, time(9), time(13))], venue="Daşoguz", capacity=5, language="en",
    )
    place = cascade_services.participant_add(actor=trainer, session=session, user=trainee)
    day = session.days.get()

    essay = Assessment.objects.create(slug="essay", title_en="Essay", purpose="exam", published=True)
    question = Question.objects.create(
        key="m2-rubric", kind="rubric", title="Request", points=4, module=2, locale=curriculum["locales"]["en"],
        data={"criteria": [{"key": "authority", "text": "names the authority", "points": 2},
                           {"key": "facts", "text": "states the facts", "points": 2}],
              "guidance": "Write a short request.", "model_answer": "<p>model</p>", "max_words": 200},
    )
    AssessmentItem.objects.create(assessment=essay, question_key=question.translation_key)
    attempt = assessment_services.attempt_start(user=trainee, assessment=essay, language="en")
    assessment_services.answer_save(user=trainee, attempt_id=attempt.pk, position=1, response="The authority.")
    assessment_services.attempt_submit(attempt_id=attempt.pk, user=trainee)
    answer = Answer.objects.get(attempt=attempt)
    open_attempt = assessment_services.attempt_start(user=other, assessment=essay, language="en")

    plan = TrainingPlan.objects.create(agency=agency, year=TODAY.year, target_sessions=2)
    record = OJTRecord.objects.create(
        agency=agency, staff=trainee, date=TODAY - timedelta(days=3), hours=2, topic="Indicators",
        instructor="Aýgül", created_by=coordinator,
    )
    cohort = ToTCohort.objects.create(
        code="tot-dz", title="ToT Daşoguz", programme=programme, starts_on=TODAY - timedelta(days=3),
        ends_on=TODAY + timedelta(days=20), language="tk",
    )
    candidate = trainer_services.candidate_nominate(
        actor=coordinator, cohort=cohort, user=person(username="w.candidate", roles=[Role.TRAINER], agency=agency)
    )
    lesson = LessonPage.objects.live().descendant_of(tot).first()
    world.ids = {
        "pk": session.pk, "day_pk": day.pk, "user_id": trainee.pk, "answer_id": answer.pk,
        "attempt_id": open_attempt.pk, "page_id": lesson.pk, "certificate_pk": 1,
    }
    world.strings = {"code": cohort.code, "slug": essay.slug, "kind": "csv", "token": "x", "path": "h5p.json"}
    world.records = {
        "session": session, "place": place, "day": day, "answer": answer, "plan": plan, "record": record,
        "cohort": cohort, "candidate": candidate, "essay": essay, "lesson": lesson, "course": tot, "unit": unit,
        "agency": agency, "programme": programme, "participant": SessionParticipant.objects.get(pk=place.pk),
        "co_trainer": co_trainer, "other": other, "open_attempt": open_attempt, "uuid": uuid.uuid4(),
    }
    return world
