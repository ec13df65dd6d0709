"""Check a CMI commit from the SCORM runtime, pick out its main values, and build the data to resume.

The runtime (scorm-again, in the learner's browser) commits its whole data model flattened:
``{"cmi.core.lesson_status": "incomplete", "cmi.suspend_data": "...", ...}``. Everything in it is
untrusted: the body is parsed by ``content.jsonbody`` (bounded, strict), then every key and value is
checked here for shape and size, and the statuses and scores for their SCORM vocabulary. No ORM.
"""

import math
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .manifest import SCORM_12

MAX_COMMIT_BYTES = 256 * 1024
MAX_DEPTH = 8
MAX_KEYS = 2000
MAX_VALUE_CHARS = 64000  # SCORM 2004 suspend_data holds 64000 characters (1.2: 4096)
SESSION = re.compile(r"[0-9a-f]{32}", re.ASCII)
MAX_SEQUENCE = 2**31 - 1
KEY = re.compile(r"(cmi|adl)\.[A-Za-z0-9_.]{1,200}", re.ASCII)
TIME = re.compile(r"[0-9PTHMS:.]{0,40}", re.ASCII)  # 1.2 HHHH:MM:SS.SS, 2004 ISO 8601 durations

LESSON_STATUSES = frozenset({"passed", "completed", "failed", "incomplete", "browsed", "not attempted"})
COMPLETION_STATUSES = frozenset({"completed", "incomplete", "not attempted", "unknown"})
SUCCESS_STATUSES = frozenset({"passed", "failed", "unknown"})
EXITS = frozenset({"", "time-out", "suspend", "logout", "normal"})

COMMIT_NOT_AN_OBJECT = _("The SCORM data is not a JSON object.")
COMMIT_BAD_KEY = _("The SCORM data has an element that is not part of the data model.")
COMMIT_BAD_VALUE = _("The SCORM data has a value that is too long or of the wrong type.")
COMMIT_TOO_MANY = _("The SCORM data has too many elements.")
COMMIT_BAD_STATUS = _("The SCORM data has a status that SCORM does not define.")
COMMIT_BAD_SCORE = _("The SCORM data has a score that is not a number in range.")


class CommitError(ValueError):
    """A commit is refused; ``message`` says why in the reader's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class CommitValues:
    cmi: dict[str, str]
    lesson_status: str
    completion_status: str
    success_status: str
    score_raw: float | None
    score_min: float | None
    score_max: float | None
    score_scaled: float | None
    location: str
    suspend_data: str
    session_time: str
    total_time: str
    exit: str

    @property
    def done(self) -> bool:
        return self.lesson_status in ("completed", "passed") or self.completion_status == "completed" or (
            self.success_status == "passed"
        )

    @property
    def finished(self) -> bool:
        """Done and not suspended: the next launch starts a new attempt."""
        return self.done and self.exit != "suspend"


def _names(version: str) -> dict[str, str]:
    if version == SCORM_12:
        return {
            "status": "cmi.core.lesson_status", "location": "cmi.core.lesson_location", "raw": "cmi.core.score.raw",
            "min": "cmi.core.score.min", "max": "cmi.core.score.max", "session_time": "cmi.core.session_time",
            "total_time": "cmi.core.total_time", "exit": "cmi.core.exit",
        }
    return {
        "completion": "cmi.completion_status", "success": "cmi.success_status", "location": "cmi.location",
        "raw": "cmi.score.raw", "min": "cmi.score.min", "max": "cmi.score.max", "scaled": "cmi.score.scaled",
        "session_time": "cmi.session_time", "total_time": "cmi.total_time", "exit": "cmi.exit",
    }


def _score(value: str, *, scaled: bool = False) -> float | None:
    if value == "":
        return None
    try:
        number = float(value)
    except ValueError:
        raise CommitError(COMMIT_BAD_SCORE) from None
    if not math.isfinite(number) or abs(number) > 1e9 or (scaled and not -1 <= number <= 1):
        raise CommitError(COMMIT_BAD_SCORE)
    return number


def _flat(data: dict) -> dict[str, str]:
    if not isinstance(data, dict):
        raise CommitError(COMMIT_NOT_AN_OBJECT)
    if len(data) > MAX_KEYS:
        raise CommitError(COMMIT_TOO_MANY)
    result = {}
    for key, value in data.items():
        if not KEY.fullmatch(key):
            raise CommitError(COMMIT_BAD_KEY)
        if value == {} or value == []:  # an empty list of the model (cmi.objectives, cmi.interactions)
            continue
        if value is None:
            value = ""
        elif isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (int, float)):
            value = str(value)
        if not isinstance(value, str) or len(value) > MAX_VALUE_CHARS:
            raise CommitError(COMMIT_BAD_VALUE)
        result[key] = value
    return result


def commit_sequence(data) -> int:
    """Take the runtime's sequence number out of a commit (``includeCommitSequence``); 0 when it has none."""
    if not isinstance(data, dict):
        raise CommitError(COMMIT_NOT_AN_OBJECT)
    sequence = data.pop("commitSequence", 0)
    if isinstance(sequence, bool) or not isinstance(sequence, int) or not 0 <= sequence <= MAX_SEQUENCE:
        raise CommitError(COMMIT_BAD_VALUE)
    return sequence


def commit_parse(data, *, version: str) -> CommitValues:
    """Return the checked commit and its main values, or raise ``CommitError``."""
    cmi = _flat(data)
    names = _names(version)

    def get(name: str, limit: int = 1000) -> str:
        key = names.get(name)
        value = cmi.get(key, "") if key else ""
        if len(value) > limit:
            raise CommitError(COMMIT_BAD_VALUE)
        return value

    lesson_status = get("status", 20)
    completion_status = get("completion", 20)
    success_status = get("success", 20)
    exit_value = get("exit", 20)
    if (
        (lesson_status and lesson_status not in LESSON_STATUSES)
        or (completion_status and completion_status not in COMPLETION_STATUSES)
        or (success_status and success_status not in SUCCESS_STATUSES)
        or exit_value not in EXITS
    ):
        raise CommitError(COMMIT_BAD_STATUS)
    session_time, total_time = get("session_time", 40), get("total_time", 40)
    if not TIME.fullmatch(session_time) or not TIME.fullmatch(total_time):
        raise CommitError(COMMIT_BAD_VALUE)
    return CommitValues(
        cmi=cmi,
        lesson_status=lesson_status,
        completion_status=completion_status,
        success_status=success_status,
        score_raw=_score(get("raw", 40)),
        score_min=_score(get("min", 40)),
        score_max=_score(get("max", 40)),
        score_scaled=_score(get("scaled", 40), scaled=True),
        location=get("location", 1000),
        suspend_data=cmi.get("cmi.suspend_data", ""),
        session_time=session_time,
        total_time=total_time,
        exit=exit_value,
    )


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def resume_data(*, version: str, attempt, learner_id: str, learner_name: str, sco: dict) -> dict[str, str]:
    """The flattened CMI to start a SCO with (``loadFromFlattenedJSON``): the learner, and what the
    attempt saved, so the SCO resumes where the learner left it. ``attempt`` is None for a new one."""
    entry = "ab-initio" if attempt is None else ("resume" if attempt.exit == "suspend" else "")
    saved = {}
    if attempt is not None:
        saved = {
            "location": attempt.location, "suspend_data": attempt.suspend_data, "total_time": attempt.total_time,
            "raw": _number(attempt.score_raw), "min": _number(attempt.score_min), "max": _number(attempt.score_max),
        }
    if version == SCORM_12:
        data = {
            "cmi.core.student_id": learner_id, "cmi.core.student_name": learner_name, "cmi.core.entry": entry,
            "cmi.core.credit": "credit", "cmi.core.lesson_mode": "normal",
            "cmi.launch_data": sco.get("launch_data", ""), "cmi.student_data.mastery_score": sco.get("mastery_score", ""),
        }
        if attempt is not None:
            data.update({
                "cmi.core.lesson_status": attempt.lesson_status, "cmi.core.lesson_location": saved["location"],
                "cmi.suspend_data": saved["suspend_data"], "cmi.core.total_time": saved["total_time"],
                "cmi.core.score.raw": saved["raw"], "cmi.core.score.min": saved["min"], "cmi.core.score.max": saved["max"],
            })
    else:
        data = {
            "cmi.learner_id": learner_id, "cmi.learner_name": learner_name, "cmi.entry": entry,
            "cmi.credit": "credit", "cmi.mode": "normal", "cmi.launch_data": sco.get("launch_data", ""),
        }
        if attempt is not None:
            data.update({
                "cmi.completion_status": attempt.completion_status, "cmi.success_status": attempt.success_status,
                "cmi.location": saved["location"], "cmi.suspend_data": saved["suspend_data"],
                "cmi.total_time": saved["total_time"], "cmi.score.raw": saved["raw"], "cmi.score.min": saved["min"],
                "cmi.score.max": saved["max"], "cmi.score.scaled": _number(attempt.score_scaled),
            })
    return {key: value for key, value in data.items() if value != ""}
