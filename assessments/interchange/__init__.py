"""Question files from and for other systems: Moodle XML and GIFT. Pure Python, no database.

``questions_from_moodle_xml(data: bytes)`` and ``questions_from_gift(text)`` return an ``ImportResult``
(questions as neutral dicts, per-question errors and warnings); ``questions`` never holds a question with an
error, so the caller imports either nothing when ``errors`` is not empty, or, once the editor confirms,
the supported questions only. ``questions_to_moodle_xml(questions)`` and ``questions_to_gift(questions)`` write them and
raise ``ExportError`` for questions the format cannot hold. The dict, the keys and the mapping of each
format are described in ``common``, ``moodle_xml`` and ``gift``; the mapping of each kind is in its module
under ``assessments/kinds/``.

The formats are loaded when first asked for (PEP 562): the kinds use ``common``, and the formats use the
kinds, so importing this package must not import the formats (that would be a cycle).
"""

from importlib import import_module

from assessments.interchange.common import ExportError, ImportResult, QuestionIssue

_FORMATS = {
    "questions_from_gift": "assessments.interchange.gift",
    "questions_to_gift": "assessments.interchange.gift",
    "questions_from_moodle_xml": "assessments.interchange.moodle_xml",
    "questions_to_moodle_xml": "assessments.interchange.moodle_xml",
}

__all__ = [
    "ExportError",
    "ImportResult",
    "QuestionIssue",
    "questions_from_gift",
    "questions_from_moodle_xml",
    "questions_to_gift",
    "questions_to_moodle_xml",
]


def __getattr__(name):
    if name in _FORMATS:
        return getattr(import_module(_FORMATS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
