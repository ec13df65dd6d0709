"""Check the xAPI statements that the H5P player reports, before anything is stored.

Statements come from the learner's browser: they are untrusted input, and any of them can be forged
by a learner with the browser's console. So they are checked for shape and size here, recorded for
the signed-in user only, and can move lesson progress, never a score that counts.
"""

import math
import uuid
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

MAX_STATEMENT_BYTES = 32 * 1024
MAX_STATE_BYTES = 64 * 1024
VERB_COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
VERB_PASSED = "http://adlnet.gov/expapi/verbs/passed"
COMPLETION_VERBS = frozenset({VERB_COMPLETED, VERB_PASSED})

STATEMENT_NOT_AN_OBJECT = _("The statement is not a JSON object.")
STATEMENT_BAD_ID = _("The statement has no valid id.")
STATEMENT_BAD_VERB = _("The statement has no valid verb.")
STATEMENT_BAD_OBJECT = _("The statement has no valid activity.")
STATEMENT_BAD_RESULT = _("The statement's result is not valid.")
STATEMENT_OTHER_PERSON = _("The statement is about another person.")


class StatementError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class ParsedStatement:
    statement_id: uuid.UUID
    verb: str
    completes: bool
    success: bool | None
    score_scaled: float | None
    statement: dict


def _is_iri(value, limit: int) -> bool:
    return isinstance(value, str) and 0 < len(value) <= limit and value.startswith(("http://", "https://"))


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def statement_parse(data, *, expected_mbox: str) -> ParsedStatement:
    """Return the checked statement, or raise ``StatementError`` with a message for the log."""
    if not isinstance(data, dict):
        raise StatementError(STATEMENT_NOT_AN_OBJECT)
    try:
        statement_id = uuid.UUID(str(data.get("id", "")))
    except ValueError:
        raise StatementError(STATEMENT_BAD_ID) from None
    verb = data.get("verb")
    if not isinstance(verb, dict) or not _is_iri(verb.get("id"), 200):
        raise StatementError(STATEMENT_BAD_VERB)
    activity = data.get("object")
    if not isinstance(activity, dict) or not _is_iri(activity.get("id"), 500):
        raise StatementError(STATEMENT_BAD_OBJECT)
    actor = data.get("actor")
    if actor is not None:
        if not isinstance(actor, dict):
            raise StatementError(STATEMENT_OTHER_PERSON)
        # the page's bridge drops the player's (anonymous) actor; a statement that names someone
        # else by e-mail is not recorded for the learner who sent it
        named = actor.get("mbox")
        if named is not None and named != expected_mbox:
            raise StatementError(STATEMENT_OTHER_PERSON)
    result = data.get("result", {})
    if not isinstance(result, dict):
        raise StatementError(STATEMENT_BAD_RESULT)
    score = result.get("score", {})
    if not isinstance(score, dict) or any(
        key in score and not _number(score[key]) for key in ("raw", "min", "max", "scaled")
    ):
        raise StatementError(STATEMENT_BAD_RESULT)
    scaled = score.get("scaled")
    if scaled is not None and not -1 <= scaled <= 1:
        raise StatementError(STATEMENT_BAD_RESULT)
    success = result.get("success")
    if success is not None and not isinstance(success, bool):
        raise StatementError(STATEMENT_BAD_RESULT)
    context = data.get("context") or {}
    parents = ((context.get("contextActivities") or {}).get("parent")) if isinstance(context, dict) else None
    # a sub-question of an activity reports its own "completed"; only the activity itself counts
    completes = verb["id"] in COMPLETION_VERBS and not parents
    return ParsedStatement(
        statement_id=statement_id,
        verb=verb["id"],
        completes=completes,
        success=success,
        score_scaled=float(scaled) if scaled is not None else None,
        statement=data,
    )


def learner_mbox(user_id: int) -> str:
    """The pseudonymous actor the player is given (no name or e-mail leaves the server)."""
    return f"mailto:learner-{user_id}@learners.invalid"
