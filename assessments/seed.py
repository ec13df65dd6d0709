"""The demo question bank, the paired pre/post test of the ToT course and a simulated cohort's results.

The questions are read from ``content/seed/questions/`` (one file per module and language, see its
FORMAT.md) and loaded through ``services.question_bank_load``. The simulated results go through the
same services as a real learner's (start, save, submit), back-dated, so the analytics see nothing
different. Safe to re-run: a learner who already has results is left alone.
"""

import json
import random
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from . import kinds, services
from .models import Assessment, Attempt, Blueprint, BlueprintRule, Question

QUESTIONS_DIR = Path(__file__).resolve().parent.parent / "content" / "seed" / "questions"
LANGUAGES = ("en", "ru", "tk")
BLUEPRINT_NAME = "ToT course: two items per module"
PRE_SLUG = "tot-pre-test"
POST_SLUG = "tot-post-test"


def question_files() -> dict:
    """``{language: [question dict, …]}`` from the seed files, each with its module number."""
    entries = {language: [] for language in LANGUAGES}
    for path in sorted(QUESTIONS_DIR.glob("*.json")):
        stem, language = path.stem.rsplit(".", 1)
        if language not in entries:
            continue
        content = json.loads(path.read_text(encoding="utf-8"))
        for question in content["questions"]:
            entries[language].append({**question, "module": content["module"]})
    return entries


def question_bank_seed(*, locales: dict) -> list:
    return services.question_bank_load(entries=question_files(), locales=locales)


def pre_post_seed(*, course_key) -> tuple:
    """A blueprint of two items per module, and a pre-test (form A) and post-test (form B) sharing it."""
    blueprint, _ = Blueprint.objects.get_or_create(name=BLUEPRINT_NAME)
    if not blueprint.rules.exists():
        for module in range(1, 9):
            BlueprintRule.objects.create(blueprint=blueprint, module=module, count=2)
    tests = []
    for slug, purpose, form, titles in (
        (PRE_SLUG, Assessment.Purpose.PRE, "A", ("ToT pre-test", "Входной тест ToT", "ToT giriş synagy")),
        (POST_SLUG, Assessment.Purpose.POST, "B", ("ToT post-test", "Итоговый тест ToT", "ToT jemleýji synag")),
    ):
        test, _ = Assessment.objects.update_or_create(
            slug=slug,
            defaults={
                "title_en": titles[0],
                "title_ru": titles[1],
                "title_tk": titles[2],
                "purpose": purpose,
                "course_key": course_key,
                "blueprint": blueprint,
                "form": form,
                "time_limit_minutes": 40,
                "max_attempts": 1,
                "pass_mark": 70 if purpose == Assessment.Purpose.POST else None,
                "review": Assessment.Review.AFTER_SUBMIT if purpose == Assessment.Purpose.POST else Assessment.Review.SCORE_ONLY,
                "published": True,
            },
        )
        tests.append(test)
    return tuple(tests)


def cohort_results_seed(
    *, learners, pre: Assessment, post: Assessment, grader, seed: int | str = 129, pre_at=None, post_at=None
) -> int:
    """Pre- and post-test results for ``learners``, in each learner's language; ``grader`` grades open responses.

    The pre-test is sat around ``pre_at`` and the post-test around ``post_at`` (30 and 25 days ago by
    default), each learner a few hours apart.

    Each learner answers an item right with a probability drawn around 45% before the course and 75%
    after it (a few learners do not improve), so the dashboard has realistic spread. Returns how many
    learners got results.
    """
    rng = random.Random(seed)
    count = 0
    now = timezone.now()
    for index, user in enumerate(learners):
        if Attempt.objects.filter(user=user, assessment__in=[pre, post]).exists():
            continue
        language = getattr(getattr(user, "profile", None), "language", "") or LANGUAGES[index % 3]
        ability = rng.uniform(0.25, 0.65)
        growth = rng.uniform(-0.05, 0.4)
        for test, chance, at in (
            (pre, ability, pre_at or now - timedelta(days=30)),
            (post, min(0.97, ability + growth), post_at or now - timedelta(days=25)),
        ):
            when = at - timedelta(minutes=rng.randint(0, 600))
            attempt = services.attempt_start(user=user, assessment=test, language=language, now=when)
            for answer in attempt.answers.select_related("question"):
                question = answer.question
                right = rng.random() < chance
                response = response_example(kind=question.kind, data=question.data, right=right, rng=rng)
                services.answer_save(user=user, attempt_id=attempt.pk, position=answer.position, response=response, now=when)
            attempt = services.attempt_submit(attempt_id=attempt.pk, user=user, now=when + timedelta(minutes=rng.randint(12, 35)))
            if attempt.state == Attempt.State.AWAITING_GRADING and index % 4:
                # most open responses were graded by the trainer; a few wait in the grading queue
                for answer in attempt.answers.filter(needs_grading=True).select_related("question"):
                    awards = {
                        criterion["key"]: criterion["points"] if rng.random() < chance else rng.randint(0, criterion["points"])
                        for criterion in answer.question.data["criteria"]
                    }
                    services.rubric_grade(answer_id=answer.pk, awards=awards, grader=grader)
        count += 1
    return count


def response_example(*, kind: str, data: dict, right: bool, rng: random.Random):
    """A response a learner could give: the key when ``right``, else a plausible wrong answer."""
    rules = kinds.get(kind)
    return rules.response_example(data, right=right, rng=rng) if rules is not None else None


def questions_total() -> int:
    return Question.objects.filter(locale__language_code="en").count()
