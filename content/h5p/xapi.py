"""Check the xAPI statements that the H5P player reports, before anything is stored.

Statements come from the learner's browser: they are untrusted input, and any of them can be forged
by a learner with the browser's console. So every field that is kept or read is checked for type,
shape and size here (the body itself was parsed by ``content.jsonbody``), a statement is recorded
for the signed-in user only, and it can move lesson progress, never a score that counts.
"""

import math
import uuid
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

MAX_STATEMENT_BYTES = 32 * 1024
MAX_STATE_BYTES = 64 * 1024
# how deep a report may nest: an H5P statement about 8 levels (object.definition.choices[].description),
# a state more where activities hold sub-activities; far from what breaks a parser (thousands)
MAX_DEPTH = 32
MAX_STATE_DEPTH = 64
VERB_COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
VERB_PASSED = "http://adlnet.gov/expapi/verbs/passed"
VERB_ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
COMPLETION_VERBS = frozenset({VERB_COMPLETED, VERB_PASSED})
CONTEXT_ACTIVITY_KINDS = ("parent", "grouping", "category", "other")
# the inverse functional identifiers of an agent (xAPI 1.0.3, 2.4.2.3): each one names a person
AGENT_IDENTIFIERS = ("mbox", "mbox_sha1sum", "openid", "account")

STATEMENT_NOT_AN_OBJECT = _("The statement is not a JSON object.")
STATEMENT_BAD_ID = _("The statement has no valid id.")
STATEMENT_BAD_VERB = _("The statement has no valid verb.")
STATEMENT_BAD_OBJECT = _("The statement has no valid activity.")
STATEMENT_BAD_RESULT = _("The statement's result is not valid.")
STATEMENT_BAD_CONTEXT = _("The statement's context is not valid.")
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
    if isinstance(value, bool):
        return False
    if isinstance(value, int):  # math.isfinite would overflow on a huge one
        return abs(value) <= 2**53
    return isinstance(value, float) and math.isfinite(value)


def _optional(data: dict, key: str, kinds, message) -> None:
    if key in data and not isinstance(data[key], kinds):
        raise StatementError(message)


def _language_map(value) -> bool:
    return isinstance(value, dict) and all(isinstance(text, str) for text in value.values())


def _check_actor(actor, *, expected_mbox: str) -> None:
    """Accept no actor, or exactly the learner's: an Agent named by ``expected_mbox`` and nothing else.

    The page's bridge drops the player's own (anonymous) actor, so a statement that names a person
    does it on purpose; naming anyone but the sender, by any identifier, is refused.
    """
    if actor is None:
        return
    if not isinstance(actor, dict) or actor.get("objectType", "Agent") != "Agent" or "member" in actor:
        raise StatementError(STATEMENT_OTHER_PERSON)
    named = [key for key in AGENT_IDENTIFIERS if key in actor]
    if named != ["mbox"] or actor["mbox"] != expected_mbox:
        raise StatementError(STATEMENT_OTHER_PERSON)
    _optional(actor, "name", str, STATEMENT_OTHER_PERSON)


def _check_activity(activity, message) -> None:
    if not isinstance(activity, dict) or not _is_iri(activity.get("id"), 500):
        raise StatementError(message)
    if activity.get("objectType", "Activity") != "Activity":
        raise StatementError(message)
    _optional(activity, "definition", dict, message)
    definition = activity.get("definition") or {}
    for key in ("name", "description"):
        if key in definition and not _language_map(definition[key]):
            raise StatementError(message)
    _optional(definition, "extensions", dict, message)


def _check_result(result) -> float | None:
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
    for key in ("success", "completion"):
        if result.get(key) is not None and not isinstance(result[key], bool):
            raise StatementError(STATEMENT_BAD_RESULT)
    for key in ("response", "duration"):
        _optional(result, key, str, STATEMENT_BAD_RESULT)
    _optional(result, "extensions", dict, STATEMENT_BAD_RESULT)
    return float(scaled) if scaled is not None else None


def _context_parents(context) -> list:
    """Check the context; return its parent activities (xAPI allows one object or a list of them)."""
    if not isinstance(context, dict):
        raise StatementError(STATEMENT_BAD_CONTEXT)
    activities = context.get("contextActivities", {})
    if not isinstance(activities, dict) or set(activities) - set(CONTEXT_ACTIVITY_KINDS):
        raise StatementError(STATEMENT_BAD_CONTEXT)
    found = {}
    for kind in CONTEXT_ACTIVITY_KINDS:
        value = activities.get(kind, [])
        items = [value] if isinstance(value, dict) else value
        if not isinstance(items, list):
            raise StatementError(STATEMENT_BAD_CONTEXT)
        for item in items:
            _check_activity(item, STATEMENT_BAD_CONTEXT)
        found[kind] = items
    if "registration" in context:
        try:
            uuid.UUID(context["registration"])
        except (TypeError, ValueError, AttributeError):
            raise StatementError(STATEMENT_BAD_CONTEXT) from None
    for key in ("language", "platform", "revision"):
        _optional(context, key, str, STATEMENT_BAD_CONTEXT)
    _optional(context, "extensions", dict, STATEMENT_BAD_CONTEXT)
    return found["parent"]


def statement_parse(data, *, expected_mbox: str) -> ParsedStatement:
    """Return the checked statement, or raise ``StatementError`` with a message for the learner."""
    if not isinstance(data, dict):
        raise StatementError(STATEMENT_NOT_AN_OBJECT)
    statement_id = data.get("id")
    try:
        statement_id = uuid.UUID(statement_id) if isinstance(statement_id, str) and len(statement_id) <= 64 else None
    except ValueError:
        statement_id = None
    if statement_id is None:
        raise StatementError(STATEMENT_BAD_ID)
    verb = data.get("verb")
    if not isinstance(verb, dict) or not _is_iri(verb.get("id"), 200):
        raise StatementError(STATEMENT_BAD_VERB)
    if "display" in verb and not _language_map(verb["display"]):
        raise StatementError(STATEMENT_BAD_VERB)
    _check_activity(data.get("object"), STATEMENT_BAD_OBJECT)
    _check_actor(data.get("actor"), expected_mbox=expected_mbox)
    context = data.get("context", {})
    # the player names no one else: an authority (the LRS sets it) or an instructor or team is refused
    if "authority" in data or (isinstance(context, dict) and ("instructor" in context or "team" in context)):
        raise StatementError(STATEMENT_OTHER_PERSON)
    result = data.get("result", {})
    score_scaled = _check_result(result)
    parents = _context_parents(context)
    for key in ("timestamp", "version"):
        _optional(data, key, str, STATEMENT_NOT_AN_OBJECT)
    # a sub-question of an activity reports its own "completed"; only the activity itself counts. Standalone
    # question types (TrueFalse, MultiChoice …) report only "answered", with result.completion true.
    finished = verb["id"] in COMPLETION_VERBS or (verb["id"] == VERB_ANSWERED and result.get("completion") is True)
    completes = finished and not parents
    return ParsedStatement(
        statement_id=statement_id,
        verb=verb["id"],
        completes=completes,
        success=result.get("success"),
        score_scaled=score_scaled,
        statement=data,
    )


def learner_mbox(user_id: int) -> str:
    """The pseudonymous actor the player is given (no name or e-mail leaves the server)."""
    return f"mailto:learner-{user_id}@learners.invalid"
