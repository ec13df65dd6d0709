"""Seed the two-node test's database (run once, before the nodes start): the small curriculum of the suite,
a learner enrolled in it with an open test attempt, and an editor (after migrating); print what the test needs as JSON."""

import json
import os

import django

import time

django.setup()
started = time.monotonic()
from django.core.management import call_command  # noqa: E402

call_command("migrate", "--noinput", verbosity=0)
migrated = time.monotonic()

from django.urls import reverse  # noqa: E402
from django.utils import translation  # noqa: E402
from wagtail.models import Locale  # noqa: E402

from assessments import services as assessment_services  # noqa: E402
from assessments.models import Assessment, AssessmentItem  # noqa: E402
from content.h5p.tokens import player_token  # noqa: E402
from content.models import H5PUsage  # noqa: E402
from courses import services as course_services  # noqa: E402
from courses.models import LessonPage  # noqa: E402
from lms.people.roles import Role  # noqa: E402
from tests.assessments.bank import bank_load  # noqa: E402
from tests.conftest import _seed_small_curriculum  # noqa: E402
from tests.factories import AgencyFactory, person  # noqa: E402

_seed_small_curriculum()
password = os.environ["TWO_NODES_PASSWORD"]
agency = AgencyFactory(code="GPO")
learner = person(username="walker", roles=[Role.TRAINEE], agency=agency, language="tk")
learner.set_password(password)
learner.save()
editor = person(username="editor", roles=[Role.EDITOR], agency=None, language="en", is_superuser=True, is_staff=True)
editor.set_password(password)
editor.save()

tk = Locale.objects.get(language_code="tk")
lesson = LessonPage.objects.get(slug="definitions-one", locale__language_code="en").get_translation(tk)
activity_lesson = LessonPage.objects.get(slug="definitions-two", locale__language_code="en").get_translation(tk)
package = H5PUsage.objects.select_related("package").get(page=activity_lesson).package
course = lesson.get_parent().get_parent().specific
course_services.enrolment_create(user=learner, course=course)

bank = bank_load()
test = Assessment.objects.create(slug="fixed", title_en="Fixed test", purpose=Assessment.Purpose.PRE, published=True, shuffle_items=False)
for position, question in enumerate(q for q in bank if q.locale.language_code == "en"):
    AssessmentItem.objects.create(assessment=test, question_key=question.translation_key, position=position)
attempt = assessment_services.attempt_start(user=learner, assessment=test, language="en")
single = next(answer for answer in attempt.answers.select_related("question") if answer.question.kind == "single")

with translation.override("tk"):
    print(json.dumps({
        "timings": {"migrate": round(migrated - started, 1), "seed": round(time.monotonic() - migrated, 1)},
        "lesson_url": lesson.url,
        "lesson_id": lesson.pk,
        "lesson_text": "Türkmençe one paragraph one.",
        "done_url": reverse("courses:lesson_done", args=[lesson.pk]),
        "undone_url": reverse("courses:lesson_undone", args=[lesson.pk]),
        "state_url": reverse("courses:h5p_state"),
        "activity_lesson_id": activity_lesson.pk,
        "package_id": package.pk,
        "player_url": "/h5p/" + player_token(user_id=learner.pk, package_id=package.pk, lesson_id=activity_lesson.pk, language="tk") + "/player/",
        "autosave_url": reverse("assessments:autosave", args=[attempt.pk]),
        "attempt_id": attempt.pk,
        "position": single.position,
        "options": [option["key"] for option in single.question.data["options"]],
        "learner_id": learner.pk,
    }))
