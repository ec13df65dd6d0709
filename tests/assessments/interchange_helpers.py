"""Shared helpers of the Moodle XML and GIFT tests: the sample files, small Moodle XML files built in code."""

from decimal import Decimal
from pathlib import Path

FILES = Path(__file__).parent / "files"
D = Decimal


def codes(issues):
    return [(issue.index, issue.code) for issue in issues]


def moodle(*questions: str) -> bytes:
    """A Moodle XML file holding the given <question> elements."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "\n".join(questions) + "\n</quiz>\n").encode()


def mc(name, answers, *, single="true", qtype="multichoice", extra=""):
    """A Moodle multichoice question; ``answers`` is a list of (fraction, text)."""
    body = "".join(
        f'<answer fraction="{fraction}" format="html"><text>{text}</text>'
        f'<feedback format="html"><text></text></feedback></answer>'
        for fraction, text in answers
    )
    return (
        f'<question type="{qtype}"><name><text>{name}</text></name>'
        f'<questiontext format="html"><text>&lt;p&gt;{name}?&lt;/p&gt;</text></questiontext>'
        f"<defaultgrade>1.0000000</defaultgrade><single>{single}</single><shuffleanswers>1</shuffleanswers>"
        f"{extra}{body}</question>"
    )


GOOD_MC = mc("Good", [(100, "Right"), (0, "Wrong")])


# --- one question of each kind the two formats hold (the round trips and the export use them) ---

SINGLE = {
    "kind": "single",
    "name": "Elements: act & means",
    "prompt": '<p>Which {one} is = the <em>act</em>? #1 ~ a:b \\ c <a href="https://example.org/x">x</a></p>',
    "points": D("1.5"),
    "feedback": "<p>See Art. 3 &amp; 4.</p>",
    "data": {
        "options": [
            {"key": "a", "text": "Recruitment & transfer <of> persons", "feedback": "Right: an act."},
            {"key": "b", "text": "Вербовка {x} = ~y #z", "feedback": ""},
            {"key": "c", "text": "%50 Ýaşaýyş jaýy: çäk", "feedback": "ş ≠ s \\ ok"},
        ],
        "correct": "b",
        "shuffle": False,
    },
    "tags": ["m4-elements", "palermo"],
}
MULTIPLE = {
    "kind": "multiple",
    "name": "Means",
    "prompt": "<p>Choose the <strong>means</strong>.</p>",
    "points": D("2"),
    "feedback": "",
    "data": {
        "options": [
            {"key": "a", "text": "Force", "feedback": ""},
            {"key": "b", "text": "Deception", "feedback": "Yes."},
            {"key": "c", "text": "Abuse of power", "feedback": ""},
            {"key": "d", "text": "Transport", "feedback": "An act."},
        ],
        "correct": ["a", "b", "c"],
        "scoring": "right_minus_wrong",
        "shuffle": True,
    },
    "tags": ["m4-elements"],
}
TRUEFALSE = {
    "kind": "truefalse",
    "name": "Consent",
    "prompt": "<p>Consent is irrelevant once a means is used.</p>",
    "points": D("1"),
    "feedback": "<p>Article 3(b).</p>",
    "data": {"correct": False, "feedback_true": "No # not so.", "feedback_false": "Right: it is irrelevant."},
    "tags": [],
}
MATCHING = {
    "kind": "matching",
    "name": "Forms",
    "prompt": "<p>Match.</p>",
    "points": D("3"),
    "feedback": "",
    "data": {
        "items": [
            {"key": "1", "text": "Unpaid work -> debt"},
            {"key": "2", "text": "Begging for a <boss>"},
            {"key": "3", "text": "Farm work = debt bondage"},
        ],
        "choices": [
            {"key": "a", "text": "Forced labour -> ILO 29"},
            {"key": "b", "text": "Forced begging"},
            {"key": "c", "text": "Organ removal"},
        ],
        "correct": {"1": "a", "2": "b", "3": "a"},
        "shuffle": True,
    },
    "tags": ["m5"],
}
SHORT = {
    "kind": "short",
    "name": "Protocol",
    "prompt": "<p>Name the Protocol.</p>",
    "points": D("1"),
    "feedback": "<p>Palermo, 2000.</p>",
    "data": {"accepted": ["Palermo Protocol", "Palermo*", "%x = {y}", "Палермский протокол"]},
    "tags": [],
}
ORDERING = {
    "kind": "ordering",
    "name": "Steps",
    "prompt": "<p>Order the steps of a referral.</p>",
    "points": D("2"),
    "feedback": "",
    "data": {
        "items": [
            {"key": "a", "text": "Identify {possible} victim"},
            {"key": "b", "text": "Refer #1 & protect"},
            {"key": "c", "text": "Prosecute"},
        ],
        "correct": ["a", "b", "c"],
        "scoring": "adjacent_pairs",
    },
    "tags": [],
}
RUBRIC = {
    "kind": "rubric",
    "name": "MLA request",
    "prompt": "<p>Draft the request.</p>",
    "points": D("4"),
    "feedback": "<p>Compare with the model.</p>",
    "data": {
        "criteria": [
            {"key": "authority", "text": "Names the requesting and the requested central authority", "points": 2},
            {"key": "facts", "text": "States the facts -- briefly <and> clearly", "points": 1},
        ],
        "guidance": "Award a point only when both are named.",
        "model_answer": "<p>The Prosecutor-General's Office requests…</p>",
        "max_words": 250,
    },
    "tags": ["m7"],
}
ALL = [SINGLE, MULTIPLE, TRUEFALSE, MATCHING, SHORT, ORDERING, RUBRIC]
