"""The question kinds, one module each, behind a small registry: ``register``, ``get``, ``all``, ``names``.

A kind is an object with the rules of one kind of question (``base.Kind``): the shape of its data and of
a response, its score, what a learner sees and reviews, its form fields and paper cell, its editor in the
admin and its GIFT/Moodle XML mapping. Everything that varies by kind asks the registry: ``scoring``
(checks and scores), ``admin_forms`` (the editor of each kind), ``selectors`` and ``forms`` (render and read
back), ``paper`` (cells), ``interchange`` (files), the seed and the regrade page. Adding a kind is adding
its module here (and its branch in the learner templates) plus a ``Question.Kind`` choice and migration.
"""

from . import case, cloze, matching, multiple, numerical, ordering, rubric, short, single, truefalse
from .base import Kind

_REGISTRY: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add ``kind`` under its name (a second kind of the same name replaces the first)."""
    _REGISTRY[kind.name] = kind
    return kind


def get(name: str) -> Kind | None:
    """The kind called ``name``, or None."""
    return _REGISTRY.get(name)


def all() -> list[Kind]:  # noqa: A001 — the registry's own word, read as kinds.all()
    """Every kind, in registration order (the order of ``Question.Kind``)."""
    return list(_REGISTRY.values())


def names() -> tuple[str, ...]:
    return tuple(_REGISTRY)


for _module in (single, multiple, truefalse, matching, ordering, short, case, rubric, numerical, cloze):
    register(_module.KIND)
