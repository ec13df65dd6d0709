"""Question files from and for other systems: Moodle XML and GIFT. Pure Python, no database.

``questions_from_moodle_xml(data: bytes)`` and ``questions_from_gift(text)`` return an ``ImportResult``
(questions as neutral dicts, per-question errors and warnings); ``questions`` never holds a question with an
error, so the caller imports either nothing when ``errors`` is not empty, or, once the editor confirms,
the supported questions only. ``questions_to_moodle_xml(questions)`` and ``questions_to_gift(questions)`` write them and
raise ``ExportError`` for questions the format cannot hold. The dict, the keys and the mapping of each
format are described in ``common``, ``moodle_xml`` and ``gift``.
"""

from assessments.interchange.common import ExportError, ImportResult, QuestionIssue
from assessments.interchange.gift import questions_from_gift, questions_to_gift
from assessments.interchange.moodle_xml import questions_from_moodle_xml, questions_to_moodle_xml

__all__ = [
    "ExportError",
    "ImportResult",
    "QuestionIssue",
    "questions_from_gift",
    "questions_from_moodle_xml",
    "questions_to_gift",
    "questions_to_moodle_xml",
]
