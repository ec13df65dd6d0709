"""Shared helpers of the scoring tests: scoring and refusal in one call, one valid question of each kind."""

from decimal import Decimal

import pytest
from django.utils.functional import Promise
from django.utils.translation import override

from assessments.scoring import (
    QuestionDataError,
    ResponseError,
    Score,
    question_data_validate,
    response_score,
    response_validate,
)

D = Decimal


def options(*keys):
    return [{"key": key, "text": f"Option {key}"} for key in keys]


def items(*keys):
    return [{"key": key, "text": f"Item {key}"} for key in keys]


def score(kind, data, response, points="1", **kwargs) -> Score:
    return response_score(kind=kind, data=data, points=D(points), response=response, **kwargs)


def problems(kind, data) -> list[str]:
    with pytest.raises(QuestionDataError) as caught:
        question_data_validate(kind=kind, data=data)
    assert all(isinstance(message, Promise) for message in caught.value.messages)
    with override("en"):
        return [str(message) for message in caught.value.messages]


def refused(kind, data, response) -> str:
    with pytest.raises(ResponseError) as caught:
        response_validate(kind=kind, data=data, response=response)
    assert isinstance(caught.value.message, Promise)
    with override("en"):
        return str(caught.value.message)


# --- fixtures: one valid question per kind -------------------------------------------------------------

SINGLE = {"options": options("a", "b", "c"), "correct": "b", "shuffle": True}


def multiple(rule, correct=("a", "b"), keys=("a", "b", "c", "d", "e")):
    return {"options": options(*keys), "correct": list(correct), "scoring": rule, "shuffle": True}


TRUEFALSE = {"correct": False, "feedback_true": "No.", "feedback_false": "Right."}
MATCHING = {
    "items": items("1", "2", "3"),
    "choices": options("x", "y", "z", "w"),  # w is a distractor
    "correct": {"1": "x", "2": "y", "3": "z"},
    "shuffle": True,
}


def ordering(rule, keys=("k1", "k2", "k3", "k4")):
    return {"items": items(*keys), "correct": list(keys), "scoring": rule}


SHORT = {"accepted": ["Palermo Protocol", "Protocol to Prevent, Suppress and Punish Trafficking in Persons"]}


def element(key, select, option_keys, correct, weight=1):
    return {
        "key": key,
        "label": f"Label {key}",
        "select": select,
        "options": options(*option_keys),
        "correct": list(correct),
        "weight": weight,
        "explanation": "…",
    }


def case(aggravations=("2.d", "2.e"), weights=None):
    weights = weights or {}
    return {
        "scenario": "<p>A fictional case.</p>",
        "provision": "cc-129-1-2010",
        "elements": [
            element("act", "multiple", ("recruitment", "transportation", "transfer", "harbouring", "receipt"),
                    ("recruitment", "transportation"), weights.get("act", 1)),
            element("means", "multiple", ("threat", "force", "deception", "abuse"), ("deception",),
                    weights.get("means", 1)),
            element("purpose", "multiple", ("sexual", "labour", "organs"), ("labour",), weights.get("purpose", 1)),
            element("consent", "single", ("irrelevant", "relevant"), ("irrelevant",), weights.get("consent", 1)),
            element("part", "single", ("1", "2", "3"), ("2",), weights.get("part", 1)),
            element("aggravations", "multiple", ("2.a", "2.b", "2.ç", "2.d", "2.e"), aggravations,
                    weights.get("aggravations", 1)),
        ],
    }


CASE_RIGHT = {
    "act": ["recruitment", "transportation"],
    "means": ["deception"],
    "purpose": ["labour"],
    "consent": ["irrelevant"],
    "part": ["2"],
    "aggravations": ["2.d", "2.e"],
}

RUBRIC = {
    "criteria": [
        {"key": "authority", "text": "Names both central authorities", "points": 2},
        {"key": "procedure", "text": "Describes the procedure", "points": 3},
        {"key": "deadline", "text": "States the deadline", "points": 1},
    ],
    "guidance": "…",
    "model_answer": "<p>…</p>",
    "max_words": 5,
}

NUMERICAL = {"answers": [{"value": 3.14, "tolerance": 0.01}, {"min": 3, "max": 3.3, "weight": 50}]}

# embedded answers: a typed gap (worth 2) and a drop-down gap (worth 1); the text's {#1} {#2} are in the prompt
CLOZE = {
    "gaps": [
        {"key": "1", "type": "short", "weight": 2, "answers": [{"text": "recruitment", "weight": 100}]},
        {"key": "2", "type": "choice", "weight": 1, "display": "select", "multiple": False, "options": [
            {"key": "a", "text": "deception", "weight": 100}, {"key": "b", "text": "consent", "weight": 0}]},
    ]
}

VALID = {
    "single": SINGLE,
    "multiple": multiple("per_option"),
    "truefalse": TRUEFALSE,
    "matching": MATCHING,
    "ordering": ordering("positions"),
    "short": SHORT,
    "case": case(),
    "rubric": RUBRIC,
    "numerical": NUMERICAL,
    "cloze": CLOZE,
}
