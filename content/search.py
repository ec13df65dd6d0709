"""The site's search backend: Wagtail's database backend (SQLite FTS5, or PostgreSQL's full-text search),
handed only words.

The SQLite backend writes each term of a query into an FTS5 expression without escaping it (``a"b`` is a
syntax error there, so is a lone ``"``), and PostgreSQL refuses NUL in text. Every search (the learners'
page and the admin's lists alike) therefore goes through ``search_terms`` first: letters and digits in any
script, separated by spaces, at most a dozen. Punctuation finds nothing anyway.
"""

import copy
import re

from modelsearch.query import Boost, Fuzzy, Not, Phrase, PlainText
from wagtail.search.backends.database import SearchBackend as database_backend

SEARCH_MAX_TERMS = 12
SEARCH_MAX_TERM_LENGTH = 50
WORD = re.compile(r"\w+")


def search_terms(query: str) -> str:
    """The words of ``query`` separated by spaces; "" when it has none (no search)."""
    words = WORD.findall(str(query)[:2000])[:SEARCH_MAX_TERMS]
    return " ".join(word[:SEARCH_MAX_TERM_LENGTH] for word in words)


def _cleaned(query):
    """``query`` (a string or a query object of ``modelsearch.query``) with words only in its strings."""
    if isinstance(query, str):
        return search_terms(query)
    query = copy.copy(query)
    if isinstance(query, PlainText | Phrase | Fuzzy):
        query.query_string = search_terms(query.query_string)
    elif isinstance(query, Boost | Not):
        query.subquery = _cleaned(query.subquery)
    elif hasattr(query, "subqueries"):  # And, Or
        query.subqueries = [_cleaned(subquery) for subquery in query.subqueries]
    return query


def SearchBackend(params):  # noqa: N802 (Wagtail looks the backend up by this name)
    """The database backend for the connection's vendor, whose searches are cleaned first."""
    backend = database_backend(params)
    search = backend._search

    def _search(query_compiler_class, query, model_or_queryset, **kwargs):
        return search(query_compiler_class, _cleaned(query), model_or_queryset, **kwargs)

    backend._search = _search
    return backend
