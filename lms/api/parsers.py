"""The API's JSON parser: DRF's, refusing with 400 (not 500) what the database or Python cannot take."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32  # our bodies nest three levels; anything deeper is not a request of ours
TOO_DEEP = _("The JSON body is nested too deeply.")
NOT_TEXT = _("The JSON body holds text that is not valid Unicode.")


class JSONBodyParser(JSONParser):
    """Parse JSON as DRF does, then refuse a body nested too deeply (Python's parser would raise
    ``RecursionError``) or holding a lone surrogate (``"\\ud800"``: valid JSON, but no database stores it)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        _check(data)
        return data


def _check(data) -> None:
    pending = [(data, 0)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise ParseError(TOO_DEEP)
        if isinstance(value, str):
            _text(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                _text(key)
                pending.append((item, depth + 1))
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)


def _text(value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ParseError(NOT_TEXT) from None
