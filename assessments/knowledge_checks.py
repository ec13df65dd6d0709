"""Knowledge checks in lessons: which questions a check asks, the learner's view, and scoring answers.

A knowledge check is a block of a lesson (``content.blocks.KnowledgeCheckBlock``: plain settings only).
This module gives it its questions and its scoring, so ``content`` and ``courses`` never import the
question bank. The reads (``knowledge_check_items``, ``knowledge_check_view``) and the one write
(``knowledge_check_submit``) sit together because nothing else uses them; the scoring itself is the pure
``assessments.scoring``.

Checks are formative: results go to ``KnowledgeCheckResult`` only, never to attempts and answers, so
knowledge-gain analytics and certification (which read attempts of tests) never see them.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from content.blocks import KnowledgeCheckBlock, knowledge_check_required
from courses.exceptions import CourseError
from courses.models import LessonProgress
from courses.services import lesson_complete_enrolling

from . import kinds
from .exceptions import BadResponse
from .models import KnowledgeCheckResult, Question
from .scoring import ResponseError, options_order, response_score, response_validate
from .selectors import question_public

SOURCE_LANGUAGE = "en"
# Kinds a check asks: scored at once. Open responses need a trainer, so a check never asks them.
CHECK_KINDS = tuple(kind.name for kind in kinds.all() if not kind.graded_by_hand)
MAX_QUESTIONS = 20

NOT_A_CHECK = _("This lesson has no such knowledge check.")


@dataclass
class CheckItem:
    """One question of a check as the learner sees it, with their last answer and its feedback."""

    position: int
    question: Question
    public: dict
    response: object = None
    score: Decimal | None = None
    max_score: Decimal | None = None
    status: str = ""  # "right", "partly", "wrong", "unanswered"; empty before the first answer
    feedback: list = field(default_factory=list)  # html strings, in the question's language

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def field_name(self) -> str:
        return f"q{self.position}"

    @property
    def key(self) -> str:
        return str(self.question.translation_key)


@dataclass
class CheckView:
    block_id: str
    items: list
    completion: str
    pass_mark: int
    result: KnowledgeCheckResult | None = None

    @property
    def percent(self) -> int:
        if not self.result or not self.result.max_score:
            return 0
        return int(self.result.score * 100 / self.result.max_score)


def _list(value) -> list:
    return [item for item in (value or []) if isinstance(item, str) and item]


def knowledge_check_questions(*, check, block_id: str, language: str) -> list[Question]:
    """The questions a check asks, in ``language`` where translated, else in the source language.

    Listed questions are asked in their order; otherwise ``count`` questions of the module and/or
    objective are drawn in an order fixed by the block id (the same for every learner and language).
    Retired questions and kinds a check cannot score at once are left out. One query.
    """
    languages = {language, SOURCE_LANGUAGE}
    rows = Question.objects.filter(active=True, kind__in=CHECK_KINDS, locale__language_code__in=languages)
    keys = _list(check.get("questions"))[:MAX_QUESTIONS]
    if keys:
        rows = rows.filter(key__in=keys)
    else:
        module, objective = check.get("module"), check.get("objective")
        if not module and not objective:
            return []
        if module:
            rows = rows.filter(module=module)
        if objective:
            rows = rows.filter(objective=objective)
    by_key: dict[str, Question] = {}
    for question in rows.select_related("locale"):
        if question.key not in by_key or question.locale.language_code == language:
            by_key[question.key] = question
    if not keys:
        count = min(check.get("count") or 4, MAX_QUESTIONS)
        keys = options_order(keys=sorted(by_key), seed=f"check:{block_id}")[:count]
    return [by_key[key] for key in keys if key in by_key]


def knowledge_check_items(*, check, block_id: str, language: str) -> list[CheckItem]:
    return [
        CheckItem(
            position=position,
            question=question,
            public=question_public(kind=question.kind, data=question.data, seed=f"{block_id}:{question.key}"),
        )
        for position, question in enumerate(
            knowledge_check_questions(check=check, block_id=block_id, language=language), start=1
        )
    ]


def knowledge_check_result(*, user, lesson_key, block_id: str) -> KnowledgeCheckResult | None:
    if not user.is_authenticated:
        return None
    return KnowledgeCheckResult.objects.filter(user=user, lesson_key=lesson_key, block_id=block_id).first()


def _status(score, max_score, response) -> str:
    if response is None:
        return "unanswered"
    if score >= max_score:
        return "right"
    return "partly" if score > 0 else "wrong"


def _feedback(question: Question, response, parts: dict) -> list[str]:
    """Feedback texts for this response, in the question's language: never the key itself."""
    data = question.data if isinstance(question.data, dict) else {}
    rules = kinds.get(question.kind)
    texts = list(rules.feedback(data, response, parts)) if rules is not None else []
    if question.feedback:
        texts.append(question.feedback)
    return texts


def knowledge_check_view(*, check, block_id: str, language: str, user, lesson_key) -> CheckView:
    """What the check shows this learner: its questions with their last answers and feedback."""
    items = knowledge_check_items(check=check, block_id=block_id, language=language)
    result = knowledge_check_result(user=user, lesson_key=lesson_key, block_id=block_id) if items else None
    if result is not None:
        for item in items:
            given = result.answers.get(item.key) if isinstance(result.answers, dict) else None
            if not isinstance(given, dict):
                continue
            item.response = given.get("response")
            item.score = Decimal(given.get("score") or 0)
            item.max_score = Decimal(given.get("max") or item.question.points)
            item.status = _status(item.score, item.max_score, item.response)
            item.feedback = _feedback(item.question, item.response, given.get("parts") or {})
    return CheckView(
        block_id=block_id,
        items=items,
        completion=check.get("completion") or KnowledgeCheckBlock.Completion.ANSWER,
        pass_mark=check.get("pass_mark") or 80,
        result=result,
    )


def knowledge_check_find(*, lesson, block_id: str):
    """The check block ``block_id`` of ``lesson``: (its value, its raw JSON value), or None.

    Only that block is converted (a lesson's other blocks may reference provisions and packages).
    """
    if not isinstance(block_id, str) or len(block_id) > 64:
        return None
    for index, item in enumerate(lesson.body.raw_data):
        if isinstance(item, dict) and item.get("type") == "knowledge_check" and item.get("id") == block_id:
            return lesson.body[index].value, item.get("value")
    return None


def _satisfied(*, completion: str, pass_mark: int, score, max_score, answered: int, total: int) -> bool:
    if total == 0:
        return False
    if completion == KnowledgeCheckBlock.Completion.PASS:
        return max_score > 0 and score * 100 >= max_score * pass_mark
    return answered == total


@transaction.atomic
def knowledge_check_submit(
    *, user, lesson, block_id: str, items: list[CheckItem], responses: dict, language: str
) -> KnowledgeCheckResult:
    """Score a learner's answers to a check, keep them (a retry replaces them) and complete the lesson
    when its required checks are all satisfied.

    ``responses`` maps an item's position to the response read from the form (shapes of FORMAT.md,
    None for unanswered). A response of the wrong shape or naming a key the question lacks raises
    ``BadResponse`` and nothing is stored.
    """
    found = knowledge_check_find(lesson=lesson, block_id=block_id)
    if found is None or not items:
        raise BadResponse(NOT_A_CHECK)
    check, raw = found
    answers = {}
    score = max_score = Decimal(0)
    answered = 0
    for item in items:
        question = item.question
        try:
            response = response_validate(kind=question.kind, data=question.data, response=responses.get(item.position))
        except ResponseError as error:
            raise BadResponse(error.message) from None
        scored = response_score(kind=question.kind, data=question.data, points=question.points, response=response)
        points = Decimal(question.points).quantize(Decimal("0.01"))
        answers[item.key] = {
            "response": response,
            "score": str(scored.score),
            "max": str(points),
            "fraction": str(scored.fraction),
            "parts": {key: str(value) for key, value in scored.parts.items()},
        }
        score += scored.score
        max_score += points
        answered += response is not None
    completion = check.get("completion") or KnowledgeCheckBlock.Completion.ANSWER
    passed = _satisfied(
        completion=completion, pass_mark=check.get("pass_mark") or 80,
        score=score, max_score=max_score, answered=answered, total=len(items),
    )
    values = {
        "language": language,
        "score": score,
        "max_score": max_score,
        "answered": answered,
        "questions": len(items),
        "passed": passed,
        "answers": answers,
    }
    lookup = {"user": user, "lesson_key": lesson.translation_key, "block_id": block_id}
    updated = KnowledgeCheckResult.objects.filter(**lookup).update(attempts=F("attempts") + 1, **values)
    if not updated:
        try:
            with transaction.atomic():
                KnowledgeCheckResult.objects.create(attempts=1, **lookup, **values)
        except IntegrityError:  # a double submit raced us: count it as the retry it is
            KnowledgeCheckResult.objects.filter(**lookup).update(attempts=F("attempts") + 1, **values)
    if passed and knowledge_check_required(raw):
        _lesson_complete_if_checks_satisfied(user=user, lesson=lesson)
    return KnowledgeCheckResult.objects.get(**lookup)


def _lesson_complete_if_checks_satisfied(*, user, lesson) -> None:
    required = {
        item.get("id")
        for item in lesson.body.raw_data
        if isinstance(item, dict) and item.get("type") == "knowledge_check" and knowledge_check_required(item.get("value"))
    }
    satisfied = KnowledgeCheckResult.objects.filter(
        user=user, lesson_key=lesson.translation_key, block_id__in=required, passed=True
    ).count()
    if satisfied == len(required):
        try:
            lesson_complete_enrolling(user=user, lesson=lesson, source=LessonProgress.Source.ACTIVITY)
        except CourseError:  # not enrolled and the course takes no self-enrolment: the result is kept
            pass
