"""Parse a JSON request body that a browser or a client sent: bounded, strict, and safe to store.

``json.loads`` alone turns ``1e400`` into infinity, accepts ``NaN``, recurses until the interpreter
gives up on a body nested a few thousand levels deep, and hands back strings with NUL characters or
lone surrogates, which PostgreSQL refuses to store (a 500 long after the view has accepted the
body). ``parse_json_body`` refuses all of these up front with ``JSONBodyError``, whose message is
translated and fit to show or to send back with a 400. ``bounded_id`` does the same for an id.
"""

import json
import math
import re
from typing import Any

from django.utils.translation import gettext_lazy as _

MAX_ID = 2**63 - 1  # the largest value of a bigint column
DEFAULT_MAX_DEPTH = 32
DEFAULT_MAX_BYTES = 1024 * 1024

BODY_TOO_LARGE = _("The request body is too large.")
BODY_NOT_JSON = _("The request body is not valid JSON.")
BODY_TOO_DEEP = _("The request body is nested too deeply.")
BODY_BAD_NUMBER = _("The request body contains a number that is too large or not a number.")
BODY_BAD_CHARACTER = _("The request body contains a NUL character or an unpaired surrogate.")
BODY_BAD_ID = _("The request body contains an invalid id.")

# what is left of a JSON text once its strings are taken out decides how deep it nests
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[^\[\]{}]+")
_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")


class JSONBodyError(ValueError):
    """A request body or one of its values is refused; ``message`` says why in the reader's language."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


def _depth(text: str) -> int:
    deepest = depth = 0
    for bracket in _BRACKETS.sub("", _STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _refuse_constant(_name: str):
    raise JSONBodyError(BODY_BAD_NUMBER)


def _bounded_int(text: str) -> int:
    value = int(text)
    if not -MAX_ID - 1 <= value <= MAX_ID:  # beyond a bigint column (and SQLite's integers)
        raise JSONBodyError(BODY_BAD_NUMBER)
    return value


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JSONBodyError(BODY_BAD_NUMBER)
    return value


def _check_strings(value: Any) -> None:
    """Refuse NUL and lone surrogates in any string or key (the depth is already bounded)."""
    if isinstance(value, str):
        if _FORBIDDEN.search(value):
            raise JSONBodyError(BODY_BAD_CHARACTER)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_strings(key)
            _check_strings(item)
    elif isinstance(value, list):
        for item in value:
            _check_strings(item)


def parse_json_body(raw: bytes | str, *, max_depth: int = DEFAULT_MAX_DEPTH, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """Return the parsed JSON value of ``raw``, or raise ``JSONBodyError``.

    Refused: more than ``max_bytes`` (UTF-8), text that is not UTF-8 or not JSON, arrays and objects
    nested deeper than ``max_depth``, NaN, Infinity, numbers too large for a float and integers too
    large for a bigint, and strings or keys with NUL or an unpaired surrogate.
    """
    if isinstance(raw, str):
        try:
            size = len(raw.encode("utf-8"))
        except UnicodeEncodeError:  # a lone surrogate in the text itself
            raise JSONBodyError(BODY_BAD_CHARACTER) from None
        text = raw
    else:
        size = len(raw)
        if size <= max_bytes:
            try:
                text = bytes(raw).decode("utf-8")
            except UnicodeDecodeError:
                raise JSONBodyError(BODY_NOT_JSON) from None
    if size > max_bytes:
        raise JSONBodyError(BODY_TOO_LARGE)
    if _depth(text) > max_depth:
        raise JSONBodyError(BODY_TOO_DEEP)
    try:
        value = json.loads(
            text, parse_constant=_refuse_constant, parse_float=_finite_float, parse_int=_bounded_int
        )
    except JSONBodyError:
        raise
    except (ValueError, RecursionError):  # RecursionError cannot happen below max_depth; kept as a guard
        raise JSONBodyError(BODY_NOT_JSON) from None
    _check_strings(value)
    return value


def bounded_id(value: Any) -> int:
    """Return ``value`` as a database id (an integer from 1 to 2**63-1), or raise ``JSONBodyError``.

    A JSON integer or a string of decimal digits is accepted; booleans, floats and anything else are not.
    """
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise JSONBodyError(BODY_BAD_ID)
    return value
