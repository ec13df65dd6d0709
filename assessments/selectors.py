"""Reads of the assessment domain, scoped to who may see them.

What a learner sees of a question is built by whitelisting (``question_public``): fields are copied
one by one, so a key or a model answer added to ``Question.data`` later cannot leak into a page or a
JSON response of an open attempt by accident.
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.utils import timezone

from . import exceptions as errors
from . import kinds
from .interchange.files import PLUGINFILE
from .models import Answer, Assessment, Attempt, BlueprintRule, Question

SOURCE_LANGUAGE = "en"


def assessments_for_learner(*, user, course_key=None):
    """Published tests, with this learner's attempts (newest first) prefetched."""
    tests = Assessment.objects.filter(published=True)
    if course_key is not None:
        tests = tests.filter(course_key=course_key)
    return tests.prefetch_related(
        Prefetch("attempts", queryset=Attempt.objects.filter(user=user).order_by("-number"), to_attr="my_attempts")
    )


# the order of tests on a learner's list: the pre-test before the post-test, then the others
PURPOSE_ORDER = Case(
    When(purpose=Assessment.Purpose.PRE, then=Value(0)),
    When(purpose=Assessment.Purpose.POST, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


@dataclass
class LearnerTest:
    """A test on a learner's dashboard: its window and where the learner stands."""

    assessment: Assessment
    status: str  # "not_started", "in_progress", "submitted" or "scored"
    attempt: Attempt | None = None


def learner_test_list(*, user, now=None, limit: int = 6) -> list[LearnerTest]:
    """The published tests open to ``user`` now (or already taken by them), pre-test before post-test,
    then the others, each with the learner's status; two queries, at most ``limit`` tests.

    A test whose window has closed is listed only if the learner took it (to show the score); one that
    opens later is listed with its dates, so the learner knows when.
    """
    now = now or timezone.now()
    tests = (
        Assessment.objects.filter(published=True)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now) | Q(pk__in=Attempt.objects.filter(user=user).values("assessment_id")))
        .annotate(purpose_order=PURPOSE_ORDER)
        .order_by("purpose_order", "opens_at", "pk")
        .prefetch_related(
            Prefetch("attempts", queryset=Attempt.objects.filter(user=user).order_by("-number"), to_attr="my_attempts")
        )[:limit]
    )
    result = []
    for test in tests:
        last = test.my_attempts[0] if test.my_attempts else None
        if last is None:
            status = "not_started"
        elif last.state == Attempt.State.IN_PROGRESS:
            status = "in_progress"
        elif last.state != Attempt.State.AWAITING_GRADING and last.score is not None:
            status = "scored"
        else:
            status = "submitted"
        result.append(LearnerTest(assessment=test, status=status, attempt=last))
    return result


def attempt_for_learner(*, user, attempt_id: int) -> Attempt | None:
    """The learner's own attempt; another person's attempt does not exist for them."""
    return Attempt.objects.select_related("assessment").filter(pk=attempt_id, user=user).first()


def review_allowed(*, attempt: Attempt, now=None) -> bool:
    """May the learner see the key and feedback of this attempt now?"""
    if attempt.state == Attempt.State.IN_PROGRESS:
        return False
    policy = attempt.assessment.review
    if policy == Assessment.Review.AFTER_SUBMIT:
        return True
    if policy == Assessment.Review.AFTER_CLOSE:
        closes = attempt.assessment.closes_at
        return closes is not None and (now or timezone.now()) >= closes
    return False


@dataclass
class ItemView:
    position: int
    kind: str
    prompt: str
    points: object
    public: dict
    response: object
    saved: bool
    review: dict | None = None
    score: object = None
    needs_grading: bool = False
    extra: dict = field(default_factory=dict)
    flagged: bool = False

    @property
    def answered(self) -> bool:
        return self.response is not None

    @property
    def field_name(self) -> str:
        return f"q{self.position}"


def attempt_items(*, attempt: Attempt, reveal: bool, position: int | None = None) -> list[ItemView]:
    """The items of an attempt (or its item at ``position``) as the learner sees them: with the key and
    feedback only when ``reveal``."""
    answers = attempt.answers.select_related("question")
    if position is not None:
        answers = answers.filter(position=position)
    return [item_view(answer=answer, attempt=attempt, reveal=reveal) for answer in answers]


AUTOSAVE_FIELDS = (
    "id", "attempt_id", "position", "question_id", "response", "saved_at", "max_score", "flagged",
    "attempt__id", "attempt__user_id", "attempt__state", "attempt__deadline", "attempt__seed",
    "attempt__assessment__id", "attempt__assessment__shuffle_options",
    "question__id", "question__kind", "question__data", "question__prompt",
)


def attempt_item_for_learner(*, user, attempt_id: int, position: int) -> Answer | None:
    """One item of the learner's own attempt, with its attempt, test and question, in one query."""
    return (
        Answer.objects.select_related("attempt__assessment", "question")
        .filter(attempt_id=attempt_id, attempt__user=user, position=position)
        # autosave is the busiest request: read only what it needs
        .only(*AUTOSAVE_FIELDS)
        .order_by()
        .first()
    )


AUTOSAVE_VERSION_KEY = "assessments:autosave-version"
AUTOSAVE_TIMEOUT = 60 * 60 * 6


def autosave_forget(**kwargs) -> None:
    """Forget every attempt's cached items (a question or a test was edited): wired in ``AssessmentsConfig.ready``."""
    try:
        cache.incr(AUTOSAVE_VERSION_KEY)
    except ValueError:
        cache.set(AUTOSAVE_VERSION_KEY, 2, None)


def autosave_item(*, user, attempt_id: int, position: int) -> Answer | None:
    """``attempt_item_for_learner`` for the autosave, without a query after an attempt's first save.

    The first autosave of an attempt reads all its items (with attempt, test and question) in one query and
    keeps them in the shared cache, each item under its own key beside the list of the attempt's positions;
    later saves validate against the copy of their item alone (reading all 30 items back would cost more
    than the rest of the save), so a save costs only its UPDATE. What may change meanwhile is safe: the
    attempt's state is checked again by that UPDATE (which only succeeds while the attempt is open), its
    deadline is fixed at the start, and an edited question or test forgets every copy. An item the cache
    lost while the list survives is read again, never refused.
    """
    version = cache.get_or_set(AUTOSAVE_VERSION_KEY, 1, None)
    prefix = f"assessments:autosave:{version}:{attempt_id}:{user.pk}"
    positions_key, item_key = f"{prefix}:positions", f"{prefix}:{position}"
    cached = cache.get_many([positions_key, item_key])
    if item_key in cached:
        return cached[item_key]
    if positions_key in cached and position not in cached[positions_key]:
        return None  # not an item of this attempt (or not the learner's attempt)
    items = {
        answer.position: answer
        for answer in Answer.objects.select_related("attempt__assessment", "question")
        .filter(attempt_id=attempt_id, attempt__user=user)
        .only(*AUTOSAVE_FIELDS)
        .order_by()
    }
    if items:
        entries = {f"{prefix}:{number}": answer for number, answer in items.items()}
        entries[positions_key] = frozenset(items)
        cache.set_many(entries, AUTOSAVE_TIMEOUT)
    return items.get(position)


def item_view(*, answer: Answer, attempt: Attempt, reveal: bool) -> ItemView:
    question = answer.question
    seed = f"{attempt.seed}:{answer.position}" if attempt.assessment.shuffle_options else ""
    item = ItemView(
        position=answer.position,
        kind=question.kind,
        prompt=question.prompt,
        points=answer.max_score,
        public=question_public(kind=question.kind, data=question.data, seed=seed),
        response=answer.response,
        saved=answer.saved_at is not None,
        flagged=answer.flagged,
    )
    if reveal:
        item.review = question_key_view(kind=question.kind, data=question.data, feedback=question.feedback)
        item.score = answer.score
        item.needs_grading = answer.needs_grading
        item.extra = {"parts": answer.parts}
    return item


def question_public(*, kind: str, data: dict, seed: str = "") -> dict:
    """What a learner may see of a question while answering: texts and keys of choices, never the key."""
    rules = kinds.get(kind)
    return rules.public(data if isinstance(data, dict) else {}, seed) if rules is not None else {}


def question_key_view(*, kind: str, data: dict, feedback: str = "") -> dict:
    """The key and feedback of a question, for review after the test allows it."""
    rules = kinds.get(kind)
    view = {"feedback": feedback}
    if rules is not None:
        view.update(rules.key_view(data if isinstance(data, dict) else {}))
    return view


def questions_in_language(*, keys, language: str) -> dict:
    """The question of each key in ``language``, else in the source language (two queries).

    Raises ``NotEnoughItems`` when a key has no question in either (an item deleted since it was drawn).
    """
    found = {}
    for code in (language, SOURCE_LANGUAGE):
        missing = [key for key in keys if key not in found]
        if not missing:
            break
        for question in Question.objects.filter(translation_key__in=missing, locale__language_code=code):
            found[question.translation_key] = question
    missing = [key for key in keys if key not in found]
    if missing:
        raise errors.NotEnoughItems(errors.NOT_ENOUGH_ITEMS % {"found": len(found), "module": "—", "form": "—", "count": len(keys)})
    return found


def grading_queue(*, learners=None):
    """Open responses awaiting a grade, oldest first, limited to ``learners`` (a user queryset) when given.

    Who may grade whom (a trainer their sessions' learners, a coordinator their agency) is decided by
    the caller in the ``lms`` layer, which knows agencies and sessions; this layer knows neither.
    """
    answers = Answer.objects.filter(needs_grading=True).exclude(attempt__state=Attempt.State.IN_PROGRESS)
    if learners is not None:
        answers = answers.filter(attempt__user__in=learners)
    return answers.select_related("question", "attempt__assessment", "attempt__user").order_by("attempt__submitted_at")


def attempt_list(*, learners=None):
    """Attempts, limited to ``learners`` (a user queryset) when given; see ``grading_queue`` on scoping."""
    attempts = Attempt.objects.select_related("assessment", "user")
    if learners is not None:
        attempts = attempts.filter(user__in=learners)
    return attempts


def question_files_for_export(*texts: str) -> tuple[list[str], list[dict]]:
    """The rich texts of a question with its Wagtail images and documents turned into Moodle's
    ``@@PLUGINFILE@@/name`` references, and those files (``{"name", "kind", "content"}``) to embed in an
    export. An image or document that no longer exists is left out of the text."""
    import os
    from urllib.parse import quote

    from bs4 import BeautifulSoup
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    files: list[dict] = []
    names: dict[tuple[str, str], str] = {}

    def reference(kind: str, pk: str) -> str | None:
        if (kind, pk) in names:
            return names[(kind, pk)]
        model = get_image_model() if kind == "image" else get_document_model()
        stored = model.objects.filter(pk=pk).first() if str(pk).isdigit() else None
        if stored is None:
            return None
        name = os.path.basename(stored.file.name)
        if any(item["name"] == name for item in files):
            name = f"{pk}-{name}"
        try:
            with stored.file.open("rb") as handle:
                content = handle.read()
        except OSError:
            return None
        files.append({"name": name, "kind": kind, "content": content})
        names[(kind, pk)] = name
        return name

    result = []
    for text in texts:
        if not text or ("<embed" not in text and "linktype" not in text):
            result.append(text or "")
            continue
        soup = BeautifulSoup(text, "html.parser")
        for embed in soup.find_all("embed", attrs={"embedtype": "image"}):
            name = reference("image", embed.get("id", ""))
            if name is None:
                embed.decompose()
                continue
            img = soup.new_tag("img")
            img.attrs = {"src": PLUGINFILE + quote(name), "alt": embed.get("alt", "")}
            embed.replace_with(img)
        for link in soup.find_all("a", attrs={"linktype": "document"}):
            name = reference("document", link.get("id", ""))
            if name is None:
                link.unwrap()
                continue
            link.attrs = {"href": PLUGINFILE + quote(name)}
        result.append(str(soup))
    return result, files


# --- the question bank in the admin ------------------------------------------------------------------------


def module_labels(numbers=None) -> dict[int, str]:
    """Module number → "Module N: <title>" in the active language (the first module page with that number
    in the tree, in the active language, else in any; "Module N" when no page has it), in two queries.
    ``numbers``: the modules to name; None: every module number the questions use."""
    from django.utils.translation import get_language, gettext

    from courses.models import ModulePage

    if numbers is None:
        numbers = Question.objects.exclude(module=None).order_by().values_list("module", flat=True).distinct()
    numbers = sorted({int(number) for number in numbers if number is not None})
    language = (get_language() or SOURCE_LANGUAGE)[:2]
    pages = list(
        ModulePage.objects.filter(number__in=numbers).order_by("path").values_list("number", "title", "locale__language_code")
    )
    titles: dict[int, str] = {}
    for number, title, code in pages:
        if code == language:
            titles.setdefault(number, title)
    for number, title, _code in pages:  # a module not translated yet: its title in any language
        titles.setdefault(number, title)
    return {
        number: (gettext("Module %(number)s: %(title)s") % {"number": number, "title": titles[number]}
                 if number in titles else gettext("Module %(number)s") % {"number": number})
        for number in numbers
    }


def assessment_questions_q(*, assessment: Assessment) -> Q:
    """The questions (any language version) that ``assessment`` may show, by the rules of
    ``services.assessment_draw``: its fixed items, or, with a blueprint, the active questions of its form (or
    of any form) that one of the blueprint's rules draws from. One query."""
    if assessment.blueprint_id is None:
        return Q(translation_key__in=list(assessment.items.values_list("question_key", flat=True)))
    rules = Q(pk__in=[])
    for rule in BlueprintRule.objects.filter(blueprint_id=assessment.blueprint_id):
        condition = Q()
        if rule.module is not None:
            condition &= Q(module=rule.module)
        if rule.objective:
            condition &= Q(objective=rule.objective)
        rules |= condition
    condition = Q(active=True) & rules
    if assessment.form:
        condition &= Q(forms__contains=assessment.form) | Q(forms="")
    return condition
