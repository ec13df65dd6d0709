"""Check a CMI commit from the SCORM runtime, pick out its main values, and build the data to resume.

The runtime (scorm-again, in the learner's browser) commits its whole data model flattened:
``{"cmi.core.lesson_status": "incomplete", "cmi.suspend_data": "...", ...}``. Everything in it is
untrusted: the body is parsed by ``content.jsonbody`` (bounded, strict), then every key is checked here
against the data model of the package's version (``MODEL``, list indexes within ``LIST_LIMITS``), every
value for its type and size (suspend_data as each version defines it), and the statuses and scores for
their SCORM vocabulary. ``resume_data`` gives a SCO back what it wrote in the attempt it resumes. No ORM.
"""

import math
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .manifest import SCORM_12, SCORM_2004

MAX_COMMIT_BYTES = 256 * 1024
MAX_DEPTH = 8
MAX_KEYS = 6000
MAX_VALUE_CHARS = 64000  # SCORM 2004 suspend_data holds 64000 characters (1.2: 4096)
SUSPEND_DATA_CHARS = {SCORM_12: 4096, SCORM_2004: 64000}  # the data models' sizes
# how many entries a list of the data model may hold (SCORM 2004's smallest permitted maximums)
LIST_LIMITS = {"cmi.interactions": 250, "cmi.objectives": 100, "cmi.comments_from_learner": 250}
MAX_NESTED = 100  # an interaction's objectives and correct responses
SESSION = re.compile(r"[0-9a-f]{32}", re.ASCII)
MAX_SEQUENCE = 2**31 - 1
KEY = re.compile(r"(cmi|adl)\.[A-Za-z0-9_.]{1,200}", re.ASCII)

# The data model each version's runtime (scorm-again) commits, flattened: a key outside it is refused.
_N = r"\.(?:0|[1-9][0-9]{0,5})"  # a list index
MODEL = {
    SCORM_12: re.compile(
        r"cmi\.(?:suspend_data|launch_data|comments|comments_from_lms"
        r"|core\.(?:student_id|student_name|lesson_location|credit|lesson_status|entry|lesson_mode|exit"
        r"|session_time|total_time|score\.(?:raw|min|max))"
        rf"|objectives{_N}\.(?:id|status|score\.(?:raw|min|max))"
        r"|student_data\.(?:mastery_score|max_time_allowed|time_limit_action)"
        r"|student_preference\.(?:audio|language|speed|text)"
        rf"|interactions{_N}\.(?:id|time|type|weighting|student_response|result|latency"
        rf"|objectives{_N}\.id|correct_responses{_N}\.pattern))",
        re.ASCII,
    ),
    SCORM_2004: re.compile(
        r"cmi\.(?:completion_status|completion_threshold|credit|entry|exit|launch_data|learner_id|learner_name"
        r"|location|max_time_allowed|mode|progress_measure|scaled_passing_score|success_status|suspend_data"
        r"|time_limit_action|total_time|session_time|score\.(?:scaled|raw|min|max)"
        r"|learner_preference\.(?:audio_level|language|delivery_speed|audio_captioning)"
        rf"|comments_from_(?:learner|lms){_N}\.(?:comment|location|timestamp)"
        rf"|objectives{_N}\.(?:id|success_status|completion_status|progress_measure|description"
        r"|score\.(?:scaled|raw|min|max))"
        rf"|interactions{_N}\.(?:id|type|timestamp|weighting|learner_response|result|latency|description"
        rf"|objectives{_N}\.id|correct_responses{_N}\.pattern))"
        rf"|adl\.(?:nav\.request|data{_N}\.(?:id|store))",
        re.ASCII,
    ),
}
_LIST_ENTRY = re.compile(
    r"(cmi\.(?:interactions|objectives|comments_from_learner|comments_from_lms))\.([0-9]+)"
    r"(?:\.(?:objectives|correct_responses)\.([0-9]+))?",
    re.ASCII,
)

# What a SCO wrote that its next launch of the same attempt gets back (loaded before Initialize).
# Left out: what the LMS sets itself (learner, entry, credit, mode, launch data, the limits of the
# manifest) and what belongs to one session only (exit, session_time, a navigation request).
_RESUMED = {
    SCORM_12: re.compile(
        r"cmi\.(?:suspend_data|comments|core\.(?:lesson_location|lesson_status|total_time|score\.(?:raw|min|max))"
        r"|objectives\..+|interactions\..+|student_preference\..+)",
        re.ASCII,
    ),
    SCORM_2004: re.compile(
        r"cmi\.(?:suspend_data|location|completion_status|success_status|progress_measure|total_time"
        r"|score\.(?:scaled|raw|min|max)|objectives\..+|interactions\..+|comments_from_learner\..+"
        r"|learner_preference\..+)",
        re.ASCII,
    ),
}
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
COMMIT_SUSPEND_TOO_LONG = _(
    "The SCORM data is too large: cmi.suspend_data holds at most %(limit)s characters in SCORM %(version)s."
)
COMMIT_LIST_TOO_LONG = _("The SCORM data has too many entries in %(element)s; the limit is %(limit)s.")


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


def _list_check(key: str) -> None:
    """Refuse an entry of a list of the data model beyond its limit (``cmi.interactions.250.id``)."""
    match = _LIST_ENTRY.match(key)
    if match is None:
        return
    element, index, nested = match.group(1), int(match.group(2)), match.group(3)
    limit = LIST_LIMITS.get(element, LIST_LIMITS["cmi.comments_from_learner"])
    if index >= limit:
        raise CommitError(COMMIT_LIST_TOO_LONG % {"element": element, "limit": limit})
    if nested is not None and int(nested) >= MAX_NESTED:
        raise CommitError(COMMIT_LIST_TOO_LONG % {"element": f"{element}.{index}", "limit": MAX_NESTED})


def _flat(data: dict, version: str) -> dict[str, str]:
    if not isinstance(data, dict):
        raise CommitError(COMMIT_NOT_AN_OBJECT)
    if len(data) > MAX_KEYS:
        raise CommitError(COMMIT_TOO_MANY)
    model = MODEL[version]
    result = {}
    for key, value in data.items():
        if not KEY.fullmatch(key):
            raise CommitError(COMMIT_BAD_KEY)
        if value == {} or value == []:  # an empty list of the model (cmi.objectives, cmi.interactions)
            continue
        if not model.fullmatch(key):
            raise CommitError(COMMIT_BAD_KEY)
        _list_check(key)
        if value is None:
            value = ""
        elif isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (int, float)):
            value = str(value)
        if not isinstance(value, str):
            raise CommitError(COMMIT_BAD_VALUE)
        if key == "cmi.suspend_data" and len(value) > SUSPEND_DATA_CHARS[version]:
            raise CommitError(COMMIT_SUSPEND_TOO_LONG % {"limit": SUSPEND_DATA_CHARS[version], "version": version})
        if len(value) > MAX_VALUE_CHARS:
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
    cmi = _flat(data, version)
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


def resume_data(
    *, version: str, attempt, learner_id: str, learner_name: str, sco: dict, flow: tuple[bool, bool] | None = None,
) -> dict[str, str]:
    """The flattened CMI to start a SCO with (``loadFromFlattenedJSON``): the learner, and everything
    the SCO wrote in the attempt it resumes (location, suspend_data, statuses, scores, objectives,
    interactions, comments, preferences), so it resumes where the learner left it. ``attempt`` is None
    for a new one. ``flow`` says, for SCORM 2004, whether there is a SCO before and after this one
    (``adl.nav.request_valid.previous`` / ``.continue``)."""
    if attempt is None:
        entry = "ab-initio"
    else:
        entry = "resume" if attempt.exit == "suspend" else ""
    resumed = _RESUMED[version]
    saved = {}
    if attempt is not None:
        saved = {
            key: value for key, value in (attempt.cmi or {}).items()
            if isinstance(value, str) and value != "" and resumed.fullmatch(key)
        }
    if version == SCORM_12:
        lms = {
            "cmi.core.student_id": learner_id, "cmi.core.student_name": learner_name, "cmi.core.entry": entry,
            "cmi.core.credit": "credit", "cmi.core.lesson_mode": "normal",
            "cmi.launch_data": sco.get("launch_data", ""), "cmi.student_data.mastery_score": sco.get("mastery_score", ""),
        }
    else:
        lms = {
            "cmi.learner_id": learner_id, "cmi.learner_name": learner_name, "cmi.entry": entry,
            "cmi.credit": "credit", "cmi.mode": "normal", "cmi.launch_data": sco.get("launch_data", ""),
        }
        if flow is not None:
            previous, following = flow
            lms["adl.nav.request_valid.previous"] = "true" if previous else "false"
            lms["adl.nav.request_valid.continue"] = "true" if following else "false"
    data = {**saved, **lms}
    return {key: value for key, value in data.items() if value != ""}
