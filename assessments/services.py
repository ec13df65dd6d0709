"""Writes of the assessment domain: start, answer, submit, expire, grade and regrade attempts.

Every rule is enforced here (not in views): the availability window, the number of attempts, the
deadline, the shape of each response, the idempotence of a submit. Keys never leave the server before
review allows it; that is the selectors' business.
"""

import copy
import random
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Max
from django.utils import formats, timezone

from . import exceptions as errors
from . import paper, results_generation
from .bank import question_bank_load, questions_import  # noqa: F401 — the bank's writes, by their old address
from .models import Answer, Assessment, Attempt, PaperForm, Question, RubricScore, ScoreChange
from .scoring import ResponseError, response_score, response_validate
from .selectors import SOURCE_LANGUAGE, questions_in_language


# --- starting -------------------------------------------------------------------------------------------


def assessment_check_open(*, assessment: Assessment, now=None) -> None:
    """Raise ``TestNotOpen`` unless learners may start the test now."""
    now = now or timezone.now()
    if not assessment.published:
        raise errors.TestNotOpen(errors.TEST_NOT_PUBLISHED)
    if assessment.opens_at and now < assessment.opens_at:
        raise errors.TestNotOpen(errors.TEST_NOT_YET_OPEN % {"date": formats.date_format(timezone.localtime(assessment.opens_at), "DATETIME_FORMAT")})
    if assessment.closes_at and now >= assessment.closes_at:
        raise errors.TestNotOpen(errors.TEST_CLOSED % {"date": formats.date_format(timezone.localtime(assessment.closes_at), "DATETIME_FORMAT")})


def attempt_start_check(*, user, assessment: Assessment, now=None) -> int:
    """Raise why ``user`` may not start a new attempt now; else return the number of attempts used.

    The test page asks this before it offers a start button, so the page and ``attempt_start`` refuse
    for the same reasons with the same words.
    """
    assessment_check_open(assessment=assessment, now=now)
    attempts = Attempt.objects.filter(assessment=assessment, user=user)
    used = attempts.aggregate(last=Max("number"))["last"] or 0
    if assessment.max_attempts and used >= assessment.max_attempts:
        if assessment.max_attempts == 1:
            raise errors.NoAttemptsLeft(errors.NO_ATTEMPT_LEFT_ONE)
        raise errors.NoAttemptsLeft(errors.NO_ATTEMPTS_LEFT % {"count": assessment.max_attempts})
    if not assessment.retake_after_pass and attempts.filter(passed=True).exists():
        raise errors.NoAttemptsLeft(errors.ALREADY_PASSED)
    return used


def attempt_start(*, user, assessment: Assessment, language: str, now=None) -> Attempt:
    """Start an attempt, or return the learner's open one (a second tab, a reload, a lost connection).

    The items are drawn once, here, and stored as the attempt's answers, with each question in the
    learner's language where it has a translation (else in the source language).
    """
    now = now or timezone.now()
    open_attempt = _open_attempt(user=user, assessment=assessment, now=now)
    if open_attempt is not None:
        return open_attempt
    used = attempt_start_check(user=user, assessment=assessment, now=now)
    seed = secrets.token_hex(8)
    keys = assessment_draw(assessment=assessment, seed=seed)
    questions = questions_in_language(keys=keys, language=language)
    deadline = None
    if assessment.time_limit_minutes:
        deadline = now + timedelta(minutes=assessment.time_limit_minutes)
    if assessment.closes_at and (deadline is None or assessment.closes_at < deadline):
        deadline = assessment.closes_at
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                assessment=assessment,
                user=user,
                number=used + 1,
                language=language,
                seed=seed,
                started_at=now,
                deadline=deadline,
                max_score=sum((questions[key].points for key in keys), Decimal(0)),
            )
            Answer.objects.bulk_create(
                Answer(
                    attempt=attempt,
                    position=position,
                    question=questions[key],
                    question_key=key,
                    max_score=questions[key].points,
                    needs_grading=False,
                )
                for position, key in enumerate(keys, start=1)
            )
    except IntegrityError:
        # a concurrent start (double click, two tabs) won: use its attempt
        attempt = _open_attempt(user=user, assessment=assessment, now=now)
        if attempt is None:
            raise
    return attempt


def assessment_draw(*, assessment: Assessment, seed: str) -> list:
    """Return the translation keys of the items of a new attempt, in the order they are shown."""
    rng = random.Random(seed)
    if assessment.blueprint_id is None:
        keys = list(assessment.items.order_by("position", "pk").values_list("question_key", flat=True))
        if assessment.shuffle_items:
            rng.shuffle(keys)
        return keys
    pool = Question.objects.filter(active=True, locale__language_code=SOURCE_LANGUAGE)
    if assessment.form:
        pool = pool.filter(forms__contains=assessment.form) | pool.filter(forms="")
    rows = list(pool.values_list("translation_key", "module", "objective").order_by("module", "key"))
    keys = []
    for rule in assessment.blueprint.rules.all():
        candidates = [
            key
            for key, module, objective in rows
            if (rule.module is None or module == rule.module)
            and (not rule.objective or objective == rule.objective)
            and key not in keys
        ]
        if len(candidates) < rule.count:
            raise errors.NotEnoughItems(
                errors.NOT_ENOUGH_ITEMS
                % {"found": len(candidates), "module": rule.module or "—", "form": assessment.form or "—", "count": rule.count}
            )
        keys.extend(rng.sample(candidates, rule.count))
    if assessment.shuffle_items:
        rng.shuffle(keys)
    return keys


def _open_attempt(*, user, assessment, now) -> Attempt | None:
    attempt = Attempt.objects.filter(assessment=assessment, user=user, state=Attempt.State.IN_PROGRESS).first()
    if attempt is not None and attempt.deadline and now >= attempt.deadline:
        attempt_submit(attempt_id=attempt.pk, user=user, now=now, by_timer=True)
        return None
    return attempt


# --- answering ------------------------------------------------------------------------------------------


def answer_save(
    *, user, attempt_id: int, position: int, response, now=None, answer: Answer | None = None, flagged: bool | None = None
) -> Answer:
    """Save one response of an open attempt (autosave). Refused after the deadline or the submit.

    ``flagged`` (when not None) saves the learner's "flag for review" mark with the response, so it
    survives a reload and a resume.

    Costs two queries: the item with its attempt and question in one read (none when the caller
    passes ``answer``, read for this user with ``selectors.attempt_item_for_learner``), and one
    update that only succeeds while the attempt is open.
    """
    now = now or timezone.now()
    if answer is None or answer.attempt_id != attempt_id or answer.position != position or answer.attempt.user_id != user.pk:
        answer = (
            Answer.objects.select_related("attempt", "question")
            .filter(attempt_id=attempt_id, attempt__user=user, position=position)
            .first()
        )
    if answer is None:
        raise errors.BadResponse(errors.UNKNOWN_ITEM % {"position": position})
    attempt = answer.attempt
    if attempt.state != Attempt.State.IN_PROGRESS:
        raise errors.AttemptClosed(errors.ATTEMPT_CLOSED)
    if attempt.deadline and now >= attempt.deadline:
        attempt_submit(attempt_id=attempt_id, user=user, now=now, by_timer=True)
        raise errors.AttemptClosed(errors.ATTEMPT_CLOSED)
    try:
        clean = response_validate(kind=answer.question.kind, data=answer.question.data, response=response)
    except ResponseError as error:
        raise errors.BadResponse(error.message) from error
    changes = {"response": clean, "saved_at": now}
    if flagged is not None:
        changes["flagged"] = bool(flagged)
    updated = _answer_update_while_open(answer_id=answer.pk, attempt_id=attempt.pk, changes=changes)
    if not updated:  # submitted between the read and the write
        raise errors.AttemptClosed(errors.ATTEMPT_CLOSED)
    answer.response = clean
    if flagged is not None:
        answer.flagged = bool(flagged)
    return answer


def _answer_update_while_open(*, answer_id: int, attempt_id: int, changes: dict) -> int:
    """``Answer.objects.filter(pk=..., attempt__state=IN_PROGRESS).update(**changes)`` as one statement
    written here: the ORM would compile the same UPDATE (with its join) anew on every autosave, which costs
    about a fifth of the save. The values go through each field's own conversion, as the ORM's would."""
    connection = connections[router.db_for_write(Answer)]
    quote = connection.ops.quote_name
    fields = [Answer._meta.get_field(name) for name in changes]
    attempt_fk = Answer._meta.get_field("attempt").column
    sql = (
        f"UPDATE {quote(Answer._meta.db_table)} SET {', '.join(f'{quote(field.column)} = %s' for field in fields)} "
        f"WHERE {quote(Answer._meta.pk.column)} = %s AND {quote(attempt_fk)} IN ("
        f"SELECT {quote(Attempt._meta.pk.column)} FROM {quote(Attempt._meta.db_table)} "
        f"WHERE {quote(Attempt._meta.pk.column)} = %s AND {quote(Attempt._meta.get_field('state').column)} = %s)"
    )
    params = [field.get_db_prep_save(changes[field.name], connection) for field in fields]
    with transaction.mark_for_rollback_on_error(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(sql, [*params, answer_id, attempt_id, Attempt.State.IN_PROGRESS.value])
        return cursor.rowcount


def answers_save(*, user, attempt_id: int, responses: dict, now=None, flags: dict | None = None) -> list:
    """Save several responses (and flags, by position) at once (the form without JavaScript); all or nothing."""
    flags = flags or {}
    with transaction.atomic():
        return [
            answer_save(
                user=user, attempt_id=attempt_id, position=position, response=response, now=now, flagged=flags.get(position)
            )
            for position, response in sorted(responses.items())
        ]


# --- submitting -----------------------------------------------------------------------------------------


@transaction.atomic
def attempt_submit(*, attempt_id: int, user=None, now=None, by_timer: bool = False) -> Attempt:
    """Close and score an attempt. Idempotent: a second submit (double click, a retry, two requests at
    once) finds the attempt closed and returns it unchanged. ``user`` None: closed by the system."""
    now = now or timezone.now()
    attempts = Attempt.objects.select_for_update().select_related("assessment").filter(pk=attempt_id)
    if user is not None:
        attempts = attempts.filter(user=user)
    attempt = attempts.first()
    if attempt is None:
        raise errors.BadResponse(errors.ATTEMPT_CLOSED)
    if attempt.state != Attempt.State.IN_PROGRESS:
        return attempt
    answers = list(attempt.answers.select_related("question"))
    for answer in answers:
        _answer_score(answer)
    Answer.objects.bulk_update(answers, ["score", "parts", "needs_grading", "response_key"])
    attempt.submitted_at = min(now, attempt.deadline) if (by_timer and attempt.deadline) else now
    attempt.closed_by_timer = by_timer
    _attempt_total(attempt, answers)
    attempt.save(update_fields=["state", "submitted_at", "closed_by_timer", "score", "passed"])
    results_generation.bump()
    return attempt


def attempt_finish(*, attempt_id: int, user, confirmed: bool, now=None) -> Attempt:
    """A learner's final submit from the web: refused unless ``confirmed`` (the button of the summary
    page, which lists the unanswered and flagged questions), and the attempt then stays open.

    A submit of a closed attempt returns it unchanged (a double click); an attempt whose time ran out
    closes with what was saved, confirmed or not, as the server's deadline says.
    """
    now = now or timezone.now()
    attempt = Attempt.objects.filter(pk=attempt_id, user=user).first()
    if attempt is None:
        raise errors.BadResponse(errors.ATTEMPT_CLOSED)
    if attempt.state != Attempt.State.IN_PROGRESS:
        return attempt
    if attempt.deadline and now >= attempt.deadline:
        return attempt_submit(attempt_id=attempt_id, user=user, now=now, by_timer=True)
    if not confirmed:
        raise errors.SubmitNotConfirmed(errors.SUBMIT_NOT_CONFIRMED)
    return attempt_submit(attempt_id=attempt_id, user=user, now=now)


def attempts_expire(*, now=None) -> int:
    """Close every open attempt whose time ran out, with what was saved (run by the worker or cron)."""
    now = now or timezone.now()
    due = list(Attempt.objects.filter(state=Attempt.State.IN_PROGRESS, deadline__lte=now).values_list("pk", flat=True))
    for pk in due:
        attempt_submit(attempt_id=pk, now=now, by_timer=True)
    return len(due)


def _answer_score(answer: Answer, *, awards: dict | None = None) -> None:
    question = answer.question
    if awards is None and question.kind == Question.Kind.RUBRIC:
        awards = {row.criterion: row.awarded for row in answer.rubric_scores.all()} or None
    result = response_score(
        kind=question.kind, data=question.data, points=answer.max_score, response=answer.response, rubric_awards=awards
    )
    answer.score = None if result.needs_grading else result.score
    answer.parts = {key: str(value) for key, value in result.parts.items()}
    answer.needs_grading = result.needs_grading
    answer.response_key = response_key(kind=question.kind, response=answer.response)


CHOICE_KINDS = (Question.Kind.SINGLE, Question.Kind.TRUEFALSE)


def response_key(*, kind: str, response) -> str:
    """The option a single-choice or true/false response chose, as the item analysis counts it ("b",
    "true"); "" for the other kinds and for no response (migration 0005 fills older answers the same way)."""
    return str(response).lower() if kind in CHOICE_KINDS and response is not None else ""


def _attempt_total(attempt: Attempt, answers) -> None:
    if any(answer.needs_grading for answer in answers):
        attempt.state = Attempt.State.AWAITING_GRADING
        attempt.score = None
        attempt.passed = None
        return
    attempt.state = Attempt.State.SUBMITTED if attempt.state != Attempt.State.GRADED else attempt.state
    attempt.score = sum((answer.score or Decimal(0) for answer in answers), Decimal(0))
    pass_mark = attempt.assessment.pass_mark
    if pass_mark is None or not attempt.max_score:
        attempt.passed = None
    else:
        attempt.passed = attempt.score * 100 >= pass_mark * attempt.max_score


# --- grading --------------------------------------------------------------------------------------------


@transaction.atomic
def rubric_grade(*, answer_id: int, awards: dict, grader) -> Answer:
    """Record a trainer's points per criterion for an open response and rescore its attempt."""
    answer = Answer.objects.select_for_update().select_related("question", "attempt__assessment").get(pk=answer_id)
    if answer.question.kind != Question.Kind.RUBRIC:
        raise errors.GradingRefused(errors.NOTHING_TO_GRADE)
    if answer.attempt.state == Attempt.State.IN_PROGRESS:
        raise errors.AttemptClosed(errors.ATTEMPT_CLOSED)
    old = answer.score
    try:
        _answer_score(answer, awards=awards)
    except ResponseError as error:
        raise errors.GradingRefused(error.message) from error
    for criterion, awarded in awards.items():
        RubricScore.objects.update_or_create(
            answer=answer, criterion=criterion, defaults={"awarded": awarded, "grader": grader}
        )
    answer.save(update_fields=["score", "parts", "needs_grading"])
    ScoreChange.objects.create(
        answer=answer, reason=ScoreChange.Reason.GRADED, old_score=old, new_score=answer.score, actor=grader
    )
    _attempt_rescore(answer.attempt, graded=True)
    return answer


@dataclass(frozen=True)
class RegradeResult:
    """What a regrade changed: answers rescored and the attempts they belong to."""

    answers: int
    attempts: int


@dataclass(frozen=True)
class RegradeRow:
    """One attempt a regrade would change: its total before and after (``None`` while awaiting grading)."""

    attempt: Attempt
    old_score: Decimal | None
    new_score: Decimal | None
    old_passed: bool | None
    new_passed: bool | None


@dataclass(frozen=True)
class RegradePreview:
    """What ``question_regrade`` would change now, computed without writing (for a confirmation page)."""

    answers_total: int
    answers_changed: int
    attempts_changed: int
    paper_changed: int
    to_grading: int
    rows: list = field(default_factory=list)


@transaction.atomic
def question_regrade(*, question_key, actor, note: str = "") -> int:
    """Rescore every submitted answer to a question after its key was corrected; audit each change.

    Answers keep the version of the question they were given (their language), so each is rescored
    against its own row's (corrected) key. Returns the number of answers whose score changed.
    """
    return question_regrade_apply(question_key=question_key, actor=actor, note=note).answers


@transaction.atomic
def question_regrade_apply(*, question_key, actor, note: str = "") -> RegradeResult:
    """``question_regrade``, also counting the attempts whose answers changed (the admin says both)."""
    changed = 0
    answers = (
        Answer.objects.select_for_update()
        .select_related("question", "attempt__assessment")
        .filter(question_key=question_key)
        .exclude(attempt__state=Attempt.State.IN_PROGRESS)
    )
    touched = {}
    for answer in answers:
        old, was_pending = answer.score, answer.needs_grading
        if _answer_rescore(answer):
            # the rubric's criteria changed under the trainer's grades: back to the grading queue
            answer.rubric_scores.all().delete()
        if answer.score != old or answer.needs_grading != was_pending:
            answer.save(update_fields=["score", "parts", "needs_grading"])
            ScoreChange.objects.create(
                answer=answer, reason=ScoreChange.Reason.REGRADED, old_score=old, new_score=answer.score, actor=actor, note=note[:300]
            )
            touched[answer.attempt_id] = answer.attempt
            changed += 1
    for attempt in touched.values():
        _attempt_rescore(attempt)
    return RegradeResult(answers=changed, attempts=len(touched))


def question_regrade_preview(*, question_key, rows: int = 10) -> RegradePreview:
    """What ``question_regrade`` would change, by the same rules, without writing anything.

    The editor confirms a regrade on this: how many answers and attempts change, and the totals before
    and after of the first ``rows`` attempts (oldest first). Two queries, and one for the rows' answers.
    """
    answers = list(
        Answer.objects.select_related("question", "attempt__assessment", "attempt__user")
        .prefetch_related("rubric_scores")
        .filter(question_key=question_key)
        .exclude(attempt__state=Attempt.State.IN_PROGRESS)
        .order_by("attempt__submitted_at", "attempt_id")
    )
    changed, to_grading = {}, 0
    for answer in answers:
        old, was_pending = answer.score, answer.needs_grading
        _answer_rescore(answer)
        if answer.score != old or answer.needs_grading != was_pending:
            changed[answer.pk] = answer
            to_grading += answer.needs_grading and not was_pending
    attempts = list({answer.attempt_id: answer.attempt for answer in changed.values()}.values())
    shown = attempts[:rows]
    siblings = {}
    for sibling in Answer.objects.filter(attempt__in=shown).only("pk", "attempt_id", "score", "needs_grading"):
        siblings.setdefault(sibling.attempt_id, []).append(changed.get(sibling.pk, sibling))
    preview_rows = []
    for attempt in shown:
        after = copy.copy(attempt)
        _attempt_total(after, siblings.get(attempt.pk, []))
        preview_rows.append(
            RegradeRow(attempt=attempt, old_score=attempt.score, new_score=after.score, old_passed=attempt.passed, new_passed=after.passed)
        )
    return RegradePreview(
        answers_total=len(answers),
        answers_changed=len(changed),
        attempts_changed=len(attempts),
        paper_changed=sum(1 for answer in changed.values() if answer.attempt.source == Attempt.Source.PAPER),
        to_grading=to_grading,
        rows=preview_rows,
    )


def _answer_rescore(answer: Answer) -> bool:
    """Rescore ``answer`` in memory; True when its rubric grades no longer fit the criteria (regrade them)."""
    try:
        _answer_score(answer)
    except ResponseError:
        answer.score, answer.parts, answer.needs_grading = None, {}, True
        return True
    return False


def _attempt_rescore(attempt: Attempt, *, graded: bool = False) -> None:
    answers = list(attempt.answers.all())
    previous = attempt.state
    _attempt_total(attempt, answers)
    if graded and attempt.state == Attempt.State.SUBMITTED and previous == Attempt.State.AWAITING_GRADING:
        attempt.state = Attempt.State.GRADED
    elif previous == Attempt.State.GRADED and attempt.state == Attempt.State.SUBMITTED:
        attempt.state = Attempt.State.GRADED
    attempt.save(update_fields=["state", "score", "passed"])
    results_generation.bump()


# --- paper mode -----------------------------------------------------------------------------------------

def paper_form_create(*, assessment: Assessment, language: str, user=None):
    """Draw a printed form of ``assessment`` in ``language`` and give it a short code (``PRE-7F3K2Q``).

    The draw follows the test's rules (``assessment_draw``), but only items that can be answered on
    paper are kept (``paper.paper_kinds()``): case and open-response (rubric) items are left out, and the
    returned form carries their keys in ``form.skipped`` (not stored) so the caller can say so. A test
    with nothing left is refused (``NotEnoughItems``).
    """
    seed = secrets.token_hex(8)
    keys = assessment_draw(assessment=assessment, seed=seed)
    questions = questions_in_language(keys=keys, language=language)
    kept = [key for key in keys if questions[key].kind in paper.paper_kinds()]
    if not kept:
        raise errors.NotEnoughItems(paper.NO_ITEMS_ON_PAPER)
    prefix = (assessment.purpose or "form").upper()[:5]
    for _try in range(20):
        code = f"{prefix}-{''.join(secrets.choice(paper.CODE_ALPHABET) for _n in range(6))}"
        if not PaperForm.objects.filter(code=code).exists():
            break
    form = PaperForm.objects.create(
        assessment=assessment, code=code, language=language, seed=seed, keys=[str(key) for key in kept], created_by=user
    )
    form.skipped = [str(key) for key in keys if key not in kept]
    return form


def paper_results_import(*, form, rows: list, allowed_learners, entered_by=None, submitted_at=None) -> list:
    """Store the answer sheets of a paper form as submitted, scored attempts; all or nothing.

    ``rows`` is a list of ``{"row": n, "username": str, "cells": {position: str}}`` (position 1 is the
    first printed item; what a cell may hold is in ``assessments.paper``). Every cell, username and
    learner is checked first; every problem is collected as ``(row, column, message)`` and, if there is
    any, ``paper.PaperImportError`` carries them all and nothing is written. A row with neither a
    username nor a cell filled in is ignored (the empty rows of the grid).

    A trainer enters paper results after the session, so the test's availability window, its
    ``published`` flag and its attempt limit do not apply; a learner gets at most one paper attempt per
    form. Each attempt (``source="paper"``, ``form_code`` = the form's code, numbered after the learner's
    other attempts of the test) is scored by the same functions as an online submit. They are not run
    through ``attempt_submit`` itself because that needs the attempt open first, and a learner may hold
    an open online attempt of the same test (one open attempt per learner and test is a constraint).
    ``entered_by`` is the trainer who typed in or imported the sheets; each attempt keeps it.
    """
    when = submitted_at or timezone.now()
    by_position = paper.form_questions(form)
    usernames = {str(row.get("username") or "").strip() for row in rows} - {""}
    users = {user.username: user for user in get_user_model().objects.filter(username__in=usernames)}
    allowed = set(allowed_learners.filter(pk__in=[user.pk for user in users.values()]).values_list("pk", flat=True))
    entered = set(
        Attempt.objects.filter(form_code=form.code, source=Attempt.Source.PAPER, user__in=users.values()).values_list(
            "user_id", flat=True
        )
    )
    problems, sheets, seen = [], [], {}
    for row in rows:
        number = row.get("row")
        username = str(row.get("username") or "").strip()
        cells = {}
        for column, text in (row.get("cells") or {}).items():
            try:
                position = int(column)
            except (TypeError, ValueError):
                position = None
            if position not in by_position:
                if str(text or "").strip():
                    problems.append((number, str(column), str(paper.NO_ITEM % {"count": len(by_position)})))
                continue
            cells[position] = text
        if not username and not any(str(text or "").strip() for text in cells.values()):
            continue
        user = users.get(username)
        if not username:
            problems.append((number, "username", str(paper.NO_USERNAME)))
        elif user is None:
            problems.append((number, "username", str(paper.UNKNOWN_USER % {"username": username})))
        elif user.pk not in allowed:
            problems.append((number, "username", str(paper.NOT_YOUR_LEARNER % {"username": username})))
        elif user.pk in entered:
            problems.append((number, "username", str(paper.ALREADY_ENTERED % {"username": username, "code": form.code})))
        elif username in seen:
            problems.append((number, "username", str(paper.TWICE % {"username": username, "row": seen[username]})))
        else:
            seen[username] = number
        responses = {}
        for position, question in by_position.items():
            try:
                response = paper.cell_response(kind=question.kind, data=question.data, text=cells.get(position))
                responses[position] = response_validate(kind=question.kind, data=question.data, response=response)
            except ValueError as error:
                problems.append((number, str(position), str(error)))
            except ResponseError as error:
                problems.append((number, str(position), str(error.message)))
        sheets.append((user, responses))
    if problems:
        raise paper.PaperImportError(problems)
    max_score = sum((question.points for question in by_position.values()), Decimal(0))
    attempts = []
    with transaction.atomic():
        for user, responses in sheets:
            used = Attempt.objects.filter(assessment=form.assessment, user=user).aggregate(last=Max("number"))["last"] or 0
            attempt = Attempt.objects.create(
                assessment=form.assessment,
                user=user,
                number=used + 1,
                state=Attempt.State.SUBMITTED,
                source=Attempt.Source.PAPER,
                form_code=form.code,
                entered_by=entered_by,
                language=form.language,
                seed=form.seed,
                started_at=when,
                submitted_at=when,
                max_score=max_score,
            )
            answers = [
                Answer(
                    attempt=attempt,
                    position=position,
                    question=question,
                    question_key=question.translation_key,
                    response=responses[position],
                    saved_at=when if responses[position] is not None else None,
                    max_score=question.points,
                )
                for position, question in by_position.items()
            ]
            for answer in answers:
                _answer_score(answer)
            Answer.objects.bulk_create(answers)
            _attempt_total(attempt, answers)
            attempt.save(update_fields=["state", "score", "passed"])
            attempts.append(attempt)
        results_generation.bump()
    return attempts
