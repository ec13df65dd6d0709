"""Every registered question kind, through the same checks (``assessments.kinds``): a new kind is covered by
adding its module and a seed question of it.

Each kind's data validates, a right and a wrong response score 1 and less, what the learner sees holds no
key, its inputs render, a paper cell is read or refused with a message, and the kinds the formats hold
come back from their GIFT and Moodle XML mapping with the same kind and scoring the same way.
"""

import random
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import translation

from assessments import kinds, paper
from assessments.admin_forms import KIND_EDITORS, KIND_LABELS
from assessments.interchange import questions_from_gift, questions_from_moodle_xml, questions_to_gift, questions_to_moodle_xml
from assessments.models import Question
from assessments.scoring import KINDS, ResponseError, question_data_validate, response_score, response_validate
from assessments.seed import question_files
from assessments.selectors import ItemView, question_key_view, question_public

ALL = kinds.all()
IDS = [kind.name for kind in ALL]
# the kinds Moodle XML and GIFT hold (a case qualification has no equivalent in either)
IN_FILES = [kind for kind in ALL if kind.name != "case"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def seed_question(kind) -> dict:
    """The first English seed question of ``kind``: every kind has one (the editor's round trip needs it too)."""
    for entry in question_files()["en"]:
        if entry["kind"] == kind.name:
            return entry
    raise AssertionError(f"no seed question of kind {kind.name}")


def score_of(kind, data, response):
    awards = None
    if kind.graded_by_hand:
        awards = {criterion["key"]: criterion["points"] for criterion in data["criteria"]}
    return response_score(kind=kind.name, data=data, points=Decimal(2), response=response, rubric_awards=awards)


def wrong_response(kind, data):
    """A response that does not score full marks (a random wrong answer may happen to be right: try again)."""
    for seed in range(50):
        response = response_validate(kind=kind.name, data=data, response=kind.response_example(data, right=False, rng=random.Random(seed)))
        if kind.graded_by_hand:
            return response
        if score_of(kind, data, response).fraction < 1:
            return response
    raise AssertionError(f"no wrong response for {kind.name}")


def test_the_registry_is_the_models_choices_and_the_editors():
    assert KINDS == tuple(IDS) == tuple(value for value, _label in Question.Kind.choices)
    assert set(KIND_EDITORS) == set(KIND_LABELS) == set(IDS)
    assert all(kinds.get(name) is kind for name, kind in zip(IDS, ALL, strict=True))
    assert kinds.get("nonsense") is None
    assert set(paper.paper_kinds()) == {kind.name for kind in ALL if kind.paper}


@pytest.mark.parametrize("kind", ALL, ids=IDS)
def test_each_kind_validates_and_scores_a_right_and_a_wrong_answer(kind):
    data = seed_question(kind)["data"]
    question_data_validate(kind=kind.name, data=data)
    right = response_validate(kind=kind.name, data=data, response=kind.response_example(data, right=True, rng=random.Random(0)))
    assert right is not None
    scored = score_of(kind, data, right)
    assert (scored.score, scored.fraction, scored.needs_grading) == (Decimal("2.00"), Decimal(1), False)
    wrong = wrong_response(kind, data)
    if kind.graded_by_hand:  # the trainer's zero awards
        zero = {criterion["key"]: 0 for criterion in data["criteria"]}
        assert response_score(kind=kind.name, data=data, points=2, response=wrong, rubric_awards=zero).fraction == 0
        assert response_score(kind=kind.name, data=data, points=2, response=wrong).needs_grading
    else:
        assert score_of(kind, data, wrong).fraction < 1
    assert response_score(kind=kind.name, data=data, points=2, response=None).score == 0


@pytest.mark.parametrize("kind", ALL, ids=IDS)
def test_each_kind_renders_its_inputs_without_the_key(kind):
    question = seed_question(kind)
    data = question["data"]
    public = question_public(kind=kind.name, data=data, seed="s")
    for secret in ("correct", "accepted", "answers", "model_answer"):
        assert secret not in public
    item = ItemView(position=1, kind=kind.name, prompt=question["prompt"], points=Decimal(1), public=public, response=None, saved=False)
    html = render_to_string("assessments/item.html", {"item": item})
    assert 'name="q1' in html
    # the form post of the right answer, as the page's fields would send it, reads back as that answer
    right = response_validate(kind=kind.name, data=data, response=kind.response_example(data, right=True, rng=random.Random(0)))
    item.response = right
    assert 'name="q1' in render_to_string("assessments/item.html", {"item": item})
    review = question_key_view(kind=kind.name, data=data, feedback="<p>f</p>")
    item.review = review
    assert render_to_string("assessments/review_key.html", {"item": item}) is not None


@pytest.mark.parametrize("kind", ALL, ids=IDS)
def test_each_kind_reads_its_form_post(kind):
    data = seed_question(kind)["data"]
    item = SimpleNamespace(position=3, kind=kind.name, public=question_public(kind=kind.name, data=data))
    assert kind.from_post(item=item, post=QueryDict(""), name="q3") is None


@pytest.mark.parametrize("kind", ALL, ids=IDS)
def test_each_kind_reads_a_paper_cell_or_refuses_it_with_a_message(kind):
    data = seed_question(kind)["data"]
    assert paper.cell_response(kind=kind.name, data=data, text="  ") is None
    if not kind.paper:
        with pytest.raises(ValueError, match="cannot be answered on paper"):
            paper.cell_response(kind=kind.name, data=data, text="A")
        return
    for text in ("A", "9", "?"):
        try:
            response = paper.cell_response(kind=kind.name, data=data, text=text)
            response_validate(kind=kind.name, data=data, response=response)
        except ValueError as error:
            assert str(error)
        except ResponseError as error:
            assert str(error.message)


def as_file_question(kind):
    entry = seed_question(kind)
    return {"kind": kind.name, "name": entry["title"], "prompt": entry["prompt"], "points": Decimal(1), "feedback": "", "data": entry["data"], "tags": []}


FORMATS = {"gift": (questions_to_gift, questions_from_gift), "moodle": (questions_to_moodle_xml, questions_from_moodle_xml)}
# GIFT has no embedded answers (Cloze): its export leaves them out with a warning (tests/assessments/test_cloze.py)
MAPPINGS = [
    pytest.param(kind, *FORMATS[name], id=f"{name}-{kind.name}")
    for name in FORMATS
    for kind in IN_FILES
    if not (name == "gift" and kind.name == "cloze")
]


@pytest.mark.parametrize(("kind", "write", "read"), MAPPINGS)
def test_each_kind_comes_back_from_its_file_mapping(kind, write, read):
    question = as_file_question(kind)
    assert kind.export_problem(question["data"]) is None
    result = read(write([question], notice=False))
    assert result.errors == []
    [back] = result.questions
    assert back["kind"] == kind.name
    question_data_validate(kind=kind.name, data=back["data"])
    if not kind.graded_by_hand:  # a rubric from GIFT comes back with one criterion "Overall"
        right = kind.response_example(back["data"], right=True, rng=random.Random(0))
        assert score_of(kind, back["data"], response_validate(kind=kind.name, data=back["data"], response=right)).fraction == 1
    if kind.name in ("truefalse", "short"):  # no keys to renumber: the key comes back as it was
        assert kind.key_summary(back["data"]) == kind.key_summary(question["data"])


def test_case_questions_are_refused_by_both_formats():
    question = as_file_question(kinds.get("case"))
    for write in (questions_to_gift, questions_to_moodle_xml):
        warnings = []
        write([question], warnings=warnings, skip_unsupported=True)
        assert [issue.code for issue in warnings] == ["export_case"]
