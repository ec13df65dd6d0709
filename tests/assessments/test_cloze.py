"""The embedded-answers (Cloze) kind (assessments/kinds/cloze.py): data, responses, scores per gap, the
editor, a learner filling the gaps, Moodle XML ``<question type="cloze">`` in and back out, GIFT's warning."""

import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from assessments import analytics, kinds, paper, services
from assessments.admin_forms import QuestionDataEditor
from assessments.interchange import questions_from_moodle_xml, questions_to_gift, questions_to_moodle_xml
from assessments.models import Assessment, AssessmentItem, Attempt, Question
from assessments.scoring import QuestionDataError, ResponseError, question_data_validate, response_score, response_validate
from assessments.seed import question_bank_seed
from courses.models import LessonPage
from lms.people.roles import Role
from lms.reports import selectors as report_selectors
from tests.assessments.bank import SECRET, bank_load
from tests.assessments.helpers import set_check
from tests.assessments.test_question_editor import page_fields
from tests.factories import person

D = Decimal
SEED = Path(__file__).resolve().parents[2] / "content" / "seed" / "questions"
# act (short, 2 marks, a partly right answer), means (a drop-down), age (a number), exploitation forms (check boxes)
DATA = {
    "gaps": [
        {"key": "1", "type": "short", "weight": 2, "answers": [
            {"text": "recruitment", "weight": 100, "feedback": "Right."}, {"text": "hiring", "weight": 50, "feedback": "Nearly."}]},
        {"key": "2", "type": "choice", "weight": 1, "display": "select", "multiple": False, "options": [
            {"key": "a", "text": "deception", "weight": 100}, {"key": "b", "text": "consent", "weight": 0, "feedback": "Irrelevant."}]},
        {"key": "3", "type": "numerical", "weight": 1, "answers": [{"value": 18, "tolerance": 0.5, "weight": 100}]},
        {"key": "4", "type": "choice", "weight": 1, "display": "vertical", "multiple": True, "options": [
            {"key": "a", "text": "forced labour", "weight": 50}, {"key": "b", "text": "removal of organs", "weight": 50},
            {"key": "c", "text": "tourism", "weight": -100}]},
    ]
}
PROMPT = "<p>The act: {#1}; the means: {#2}; a child is under {#3}; forms: {#4}.</p>"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def score(response, data=DATA, points="5"):
    return response_score(kind="cloze", data=data, points=D(points), response=response)


def problems(data):
    with pytest.raises(QuestionDataError) as error:
        question_data_validate(kind="cloze", data=data)
    return [str(message) for message in error.value.messages]


# --- data, responses, scores -------------------------------------------------------------------------------


def test_the_kind_is_registered_and_not_on_paper():
    assert "cloze" in kinds.names() and kinds.get("cloze").label
    assert "cloze" not in paper.paper_kinds()
    question_data_validate(kind="cloze", data=DATA)


@pytest.mark.parametrize(
    "response, total, parts",
    [
        ({"1": "Recruitment", "2": "a", "3": "18", "4": ["a", "b"]}, "5.00", {"1": D(1), "2": D(1), "3": D(1), "4": D(1)}),
        ({"1": "hiring", "2": "a", "3": "18", "4": ["a", "b"]}, "4.00", {"1": D("0.5"), "2": D(1), "3": D(1), "4": D(1)}),
        ({"1": "RECRUITMENT.", "2": "b", "3": "17,6", "4": ["a"]}, "3.50", {"1": D(1), "2": D(0), "3": D(1), "4": D("0.5")}),
        ({"3": "17.4"}, "0.00", {"1": D(0), "2": D(0), "3": D(0), "4": D(0)}),
        ({"4": ["a", "b", "c"]}, "0.00", {"1": D(0), "2": D(0), "3": D(0), "4": D(0)}),
    ],
)
def test_each_gap_scores_its_share_of_the_marks(response, total, parts):
    result = score(response_validate(kind="cloze", data=DATA, response=response))
    assert result.score == D(total)
    assert result.parts == parts


def test_gap_weights_weigh_and_points_scale():
    # gap 1 holds 2 of the 5 marks; the question worth 10 points doubles every share
    assert score({"1": "recruitment"}).score == D("2.00")
    assert score({"1": "recruitment"}, points="10").score == D("4.00")
    assert score({"2": "a"}).score == D("1.00")


def test_short_gaps_ignore_case_unless_case_sensitive():
    sensitive = {"gaps": [{"key": "1", "type": "short", "weight": 1, "case_sensitive": True, "answers": [{"text": "Palermo", "weight": 100}]}]}
    assert score({"1": "palermo"}, sensitive, "1").score == D("0.00")
    assert score({"1": " Palermo "}, sensitive, "1").score == D("1.00")
    insensitive = {"gaps": [{"key": "1", "type": "short", "weight": 1, "answers": [{"text": "Palermo", "weight": 100}]}]}
    assert score({"1": "PALERMO"}, insensitive, "1").score == D("1.00")


def test_not_answered_and_unknown_gaps():
    assert response_validate(kind="cloze", data=DATA, response={}) is None
    assert response_validate(kind="cloze", data=DATA, response={"1": "  ", "4": []}) is None
    assert score(None).score == D("0.00") and score(None).parts == {}
    for bad in ({"9": "x"}, {"2": "z"}, {"3": "eighteen"}, {"4": "a"}, "text", {"1": ["a"]}):
        with pytest.raises(ResponseError):
            response_validate(kind="cloze", data=DATA, response=bad)
    with pytest.raises(ResponseError) as error:
        response_validate(kind="cloze", data=DATA, response={"3": "eighteen"})
    assert str(error.value) == "Gap 3 of 4: enter a number, for example 12 or 3.5."


@pytest.mark.parametrize(
    "data, expected",
    [
        ({"gaps": []}, "Add at least one gap."),
        ({"gaps": [{"key": "2", "type": "short", "weight": 1, "answers": [{"text": "x"}]}]}, "Gap 1 must have the key “1”."),
        ({"gaps": [{"key": "1", "type": "short", "weight": 0, "answers": [{"text": "x"}]}]}, "gap 1: its marks must be a whole number from 1 to 100."),
        ({"gaps": [{"key": "1", "type": "short", "weight": 1, "answers": [{"text": "x", "weight": 50}]}]}, "gap 1: at least one answer must earn all its marks (= or %100%)."),
        ({"gaps": [{"key": "1", "type": "regexp", "weight": 1}]}, "Gap 1: the type must be one of: short, choice, numerical."),
        ({"gaps": [{"key": "1", "type": "choice", "weight": 1, "display": "select", "multiple": False, "options": [{"key": "a", "text": "x", "weight": 100}]}]}, "gap 1: a choice needs at least two options."),
        ({"gaps": [{"key": "1", "type": "numerical", "weight": 1, "answers": [{"value": "x"}]}]}, "gap 1: the answer “x” is not a number (write 18, 3.5 or 3.5:0.1 for a tolerance)."),
    ],
)
def test_invalid_data_is_named(data, expected):
    assert expected in problems(data)


# --- Moodle's syntax and the editor -----------------------------------------------------------------------------


def test_the_syntax_reads_every_gap_type_and_writes_back_the_same():
    text = (
        "<p>{2:SHORTANSWER:=recruitment#Right.~%50%hiring#Nearly.} {1:MC:=deception~consent#Irrelevant.} "
        "{1:NM:=18:0.5} {1:MR:%50%forced labour~%50%removal of organs~%-100%tourism} {1:SAC:=Palermo} "
        "{1:MCH:=a~b} {1:MULTICHOICE_VS:=x~y}</p>"
    )
    prompt, gaps, problems_found = kinds.cloze.parse_text(text, in_html=True)
    assert problems_found == []
    assert prompt == "<p>{#1} {#2} {#3} {#4} {#5} {#6} {#7}</p>"
    assert gaps[:4] == DATA["gaps"]
    assert gaps[4]["case_sensitive"] is True
    assert (gaps[5]["display"], gaps[6]["display"], gaps[6]["shuffle"]) == ("horizontal", "vertical", True)
    again = kinds.cloze.parse_text(kinds.cloze.expand_text(prompt, {"gaps": gaps}), in_html=True)
    assert again == (prompt, gaps, [])


def test_escaped_characters_survive_the_round_trip():
    gap = {"key": "1", "type": "short", "weight": 1, "answers": [{"text": "a}b~c#d\\e & <f>", "weight": 100, "feedback": "x#y"}]}
    for in_html in (True, False):
        written = kinds.cloze.gap_syntax(gap, in_html=in_html)
        _prompt, gaps, found = kinds.cloze.parse_text(written, in_html=in_html)
        assert found == [] and gaps == [gap], written


def _editor_post(editor, gaps=None):
    form = editor.editors["cloze"].form
    data = QueryDict(mutable=True)
    data[form["gaps"].html_name] = form["gaps"].value() if gaps is None else gaps
    return data


@pytest.mark.django_db
def test_opening_and_saving_keeps_the_data():
    shown = QuestionDataEditor(data=None, kind="cloze", stored_kind="cloze", stored=DATA)
    assert shown.editors["cloze"].form["gaps"].value().splitlines()[0] == "{2:SHORTANSWER:=recruitment#Right.~%50%hiring#Nearly.}"
    bound = QuestionDataEditor(data=_editor_post(shown), kind="cloze", stored_kind="cloze", stored=DATA)
    assert bound.clean("cloze") == DATA


@pytest.mark.django_db
def test_a_new_question_is_built_from_lines():
    shown = QuestionDataEditor(data=None, kind="cloze", stored_kind="", stored={})
    bound = QuestionDataEditor(data=_editor_post(shown, "{1:SA:=act}\r\n\r\n{2:MCV:deception~=means}\n"), kind="cloze", stored_kind="", stored={})
    assert bound.clean("cloze") == {"gaps": [
        {"key": "1", "type": "short", "weight": 1, "answers": [{"text": "act", "weight": 100}]},
        {"key": "2", "type": "choice", "weight": 2, "display": "vertical", "multiple": False,
         "options": [{"key": "a", "text": "deception", "weight": 0}, {"key": "b", "text": "means", "weight": 100}]},
    ]}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_editor_names_each_bad_line_in_the_editors_language(language):
    with translation.override(language):
        shown = QuestionDataEditor(data=None, kind="cloze", stored_kind="", stored={})
        post = _editor_post(shown, "{1:SA:=act}\nnot a gap\n{1:REGEXP:=a.*}\n{1:SA:%50%half}\n{1:NM:=many}")
        bound = QuestionDataEditor(data=post, kind="cloze", stored_kind="", stored={})
        assert bound.clean("cloze") is None
        errors = [str(error) for error in bound.editors["cloze"].form.errors["gaps"]]
    if language == "en":
        assert errors == [
            "Line 2: write one gap in braces, such as {1:SHORTANSWER:=answer}.",
            "Line 3: gap 3 has the type “REGEXP”, which is not supported here: use SHORTANSWER, MULTICHOICE, "
            "MULTIRESPONSE or NUMERICAL (and their short forms).",
            "Line 4: gap 4: at least one answer must earn all its marks (= or %100%).",
            "Line 5: gap 5: the answer “many” is not a number (write 18, 3.5 or 3.5:0.1 for a tolerance).",
        ]
    else:
        assert len(errors) == 4 and errors[0].startswith("Строка 2:")


@pytest.mark.django_db
def test_the_admin_form_checks_the_markers_and_the_points(client, site_home):
    client.force_login(person(username="ed", roles=[Role.EDITOR], language="en"))
    question = Question.objects.create(
        key="cloze-a", locale=Locale.get_default(), kind="cloze", title="Cloze", prompt=PROMPT, points=5, data=DATA
    )
    url = reverse("wagtailsnippets_assessments_question:edit", args=[question.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'data-qe-for="cloze"' in page.content.decode()
    data = page_fields(page.content.decode())
    assert client.post(url, data).status_code == 302  # unchanged: saved as it was
    assert Question.objects.get(pk=question.pk).data == DATA
    block = {"key": "a1", "type": "unstyled", "text": "{#1} {#1} {#2} {#7}", "depth": 0, "inlineStyleRanges": [], "entityRanges": []}
    data.setlist("prompt", [json.dumps({"blocks": [block], "entityMap": {}})])
    data.setlist("points", ["4"])
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["prompt"] == [
        "The question text has {#1} more than once.",
        "The question text has no place for gap 3: write {#3} where it goes.",
        "The question text has no place for gap 4: write {#4} where it goes.",
        "The question text has {#7}, but there is no gap 7.",
    ]
    assert errors["points"] == ["The points of an embedded-answers question are the sum of its gaps' marks: 5."]
    assert Question.objects.get(pk=question.pk).prompt == PROMPT


# --- a learner fills the gaps -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_learner_fills_the_gaps_saves_submits_and_reviews(client, site_home, agency_a):
    question = Question.objects.create(
        key="cloze-a", locale=Locale.get_default(), kind="cloze", title="Cloze", prompt=PROMPT, points=5, data=DATA
    )
    test = Assessment.objects.create(slug="cloze", title_en="Cloze", purpose=Assessment.Purpose.POST, published=True)
    AssessmentItem.objects.create(assessment=test, question_key=question.translation_key, position=0)
    learner = person(username="learner", roles=[Role.TRAINEE], agency=agency_a, language="en")
    client.force_login(learner)
    attempt = services.attempt_start(user=learner, assessment=test, language="en")
    page = client.get(reverse("assessments:take", args=[attempt.pk])).content.decode()
    assert "{#" not in page
    assert 'name="q1-1"' in page and 'aria-label="Gap 1 of 4"' in page
    assert '<select class="cloze-select" name="q1-2"' in page and 'aria-label="Gap 2 of 4"' in page
    assert 'name="q1-3" id="q1-gap-3" inputmode="decimal"' in page
    assert page.count('type="checkbox" name="q1-4"') == 3 and 'role="group" aria-label="Gap 4 of 4"' in page
    assert "recruitment" not in page and "Right." not in page  # the key stays on the server
    save = reverse("assessments:autosave", args=[attempt.pk])
    assert client.post(save, {"position": 1, "q1-1": "hiring", "q1-3": "18"}).json()["saved"] is True
    assert client.post(save, {"position": 1, "q1-3": "eighteen"}).status_code == 400
    assert attempt.answers.get().response == {"1": "hiring", "3": "18"}
    client.post(reverse("assessments:take", args=[attempt.pk]), {"q1-1": "Recruitment", "q1-2": "b", "q1-3": "18,2", "q1-4": ["a", "b"], "save": ""})
    page = client.get(reverse("assessments:take", args=[attempt.pk])).content.decode()
    assert 'value="Recruitment"' in page and '<option value="b" selected>' in page
    attempt = services.attempt_submit(attempt_id=attempt.pk, user=learner)
    answer = attempt.answers.get()
    assert answer.response == {"1": "Recruitment", "2": "b", "3": "18.2", "4": ["a", "b"]}
    assert (answer.score, answer.parts, answer.response_key) == (D("4.00"), {"1": "1", "2": "0", "3": "1", "4": "1"}, "")
    review = client.get(reverse("assessments:review", args=[attempt.pk])).content.decode()
    assert "cloze-gap--right" in review and "cloze-gap--wrong" in review
    assert "(Gap 2 of 4: not correct)" in review and "(Gap 1 of 4: correct)" in review
    assert "recruitment; hiring (50%)" in review  # the accepted answers of gap 1
    # item analysis counts it like any kind: facility = score / max
    frame = report_selectors.answer_frame(attempts=Attempt.objects.filter(pk=attempt.pk))
    items = analytics.item_analysis(frame, pd.DataFrame({"attempt_id": [attempt.pk], "phase": ["post"]}), phase="post")
    assert list(items["question_key"]) == ["cloze-a"] and items["facility"].tolist() == [0.8]


@pytest.mark.django_db
def test_the_seed_question_loads_in_three_languages_and_scores(site_home):
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    question_bank_seed(locales=locales)
    versions = Question.objects.filter(key="m1-elements-cloze")
    assert sorted(version.locale.language_code for version in versions) == ["en", "ru", "tk"]
    for version in versions:
        assert kinds.cloze.prompt_problems(version.prompt, version.data) == []
        assert version.points == kinds.cloze.total_weight(version.data) == 5
        right = kinds.get("cloze").response_example(version.data, right=True, rng=None)
        assert response_score(kind="cloze", data=version.data, points=version.points, response=right).score == D("5.00")
    ru = versions.get(locale__language_code="ru")
    assert response_score(kind="cloze", data=ru.data, points=5, response={"3": "Задачи"}).score == D("0.50")
    question_bank_seed(locales=locales)  # again: nothing doubles
    assert Question.objects.filter(key="m1-elements-cloze").count() == 3


# --- Moodle XML and GIFT --------------------------------------------------------------------------------------

MOODLE = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="cloze">
    <name><text>Elements</text></name>
    <questiontext format="html"><text><![CDATA[<p>The act: {2:SHORTANSWER:=recruitment#Right.~%50%hiring#Nearly.}; the means: {1:MULTICHOICE:=deception~consent#Irrelevant.}; a child is under {1:NUMERICAL:=18:0.5}; forms: {1:MULTIRESPONSE:%50%forced labour~%50%removal of organs~%-100%tourism}.</p>]]></text></questiontext>
    <generalfeedback format="html"><text><![CDATA[<p>Article 3.</p>]]></text></generalfeedback>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
  </question>
  <question type="cloze">
    <name><text>Pattern</text></name>
    <questiontext format="html"><text><![CDATA[<p>Code: {1:REGEXP:=[0-9]+} and {1:SA:=ok}</p>]]></text></questiontext>
  </question>
  <question type="truefalse">
    <name><text>Consent</text></name>
    <questiontext format="html"><text>Consent is irrelevant once a means is used.</text></questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
</quiz>
""".encode()


def test_moodle_cloze_imports_refuses_unsupported_gaps_and_exports_back():
    result = questions_from_moodle_xml(MOODLE)
    assert [(issue.index, issue.code) for issue in result.errors] == [(2, "cloze_gap")]
    assert "REGEXP" in str(result.errors[0])
    cloze, truefalse = result.questions
    assert (cloze["kind"], truefalse["kind"]) == ("cloze", "truefalse")
    assert cloze["prompt"] == PROMPT and cloze["data"] == DATA and cloze["points"] == D(5)
    warnings = []
    written = questions_to_moodle_xml([cloze], warnings=warnings)
    assert b'<question type="cloze">' in written and b"{2:SHORTANSWER:=recruitment#Right.~%50%hiring#Nearly.}" in written
    assert warnings == []
    again = questions_from_moodle_xml(written)
    assert again.errors == [] and again.questions == [cloze]


def test_moodle_export_warns_when_the_points_are_not_the_marks():
    question = {"kind": "cloze", "name": "E", "prompt": PROMPT, "points": D(10), "feedback": "", "data": DATA, "tags": []}
    warnings = []
    questions_to_moodle_xml([question], warnings=warnings)
    assert [issue.code for issue in warnings] == ["export_cloze_points"]
    assert "its 10 points come back as 5" in str(warnings[0])


def test_gift_leaves_cloze_out_with_a_warning_and_writes_the_rest():
    cloze = {"kind": "cloze", "name": "E", "prompt": PROMPT, "points": D(5), "feedback": "", "data": DATA, "tags": []}
    other = {"kind": "truefalse", "name": "T", "prompt": "<p>Consent?</p>", "points": D(1), "feedback": "",
             "data": {"correct": True, "feedback_true": "", "feedback_false": ""}, "tags": []}
    warnings = []
    text = questions_to_gift([cloze, other], warnings=warnings)
    assert [(issue.index, issue.code) for issue in warnings] == [(1, "export_cloze")]
    assert "GIFT has no embedded-answers (Cloze) questions" in str(warnings[0])
    assert "::T::" in text and "::E::" not in text and "{#" not in text


def test_the_key_summary_is_the_same_in_every_language_of_the_seed_question():
    summary = kinds.get("cloze").key_summary(DATA)
    assert summary == "1 ×2: SHORTANSWER 100%, 50%; 2 ×1: a 100%; 3 ×1: 18 ± 0.5; 4 ×1: a 50%, b 50%, c -100%"
    seed = {language: json.loads((SEED / f"01-definitions.{language}.json").read_text(encoding="utf-8")) for language in ("en", "ru", "tk")}
    summaries = {
        language: [kinds.get("cloze").key_summary(q["data"]) for q in file["questions"] if q["kind"] == "cloze"]
        for language, file in seed.items()
    }
    assert summaries["en"] == summaries["ru"] == summaries["tk"] and summaries["en"]


def test_a_too_long_answer_and_broken_stored_marks_do_not_fail():
    long = {"gaps": [{"key": "1", "type": "short", "weight": 1, "answers": [{"text": "x" * 501, "weight": 100}]}]}
    assert "gap 1: answer 1 is longer than the 500 characters a response may have." in problems(long)
    broken = {"gaps": [{"key": "1", "type": "short", "weight": "two", "answers": [{"text": "x"}]},
                       {"key": "2", "type": "short", "weight": 1, "answers": [{"text": "y", "weight": "abc"}, {"text": "z"}]}]}
    assert score({"1": "x", "2": "z"}, broken, "1").score == D("1.00")


@pytest.mark.django_db
def test_a_lessons_knowledge_check_asks_the_gaps_and_gives_per_gap_feedback(client, curriculum, agency_a):
    bank_load()
    lesson = LessonPage.objects.get(slug="definitions-one", locale__language_code="en")
    lesson, block_id = set_check(lesson, questions=["m3-cloze"], completion="answer")
    client.force_login(person(username="learner", roles=[Role.TRAINEE], agency=agency_a))
    html = client.get(lesson.url).content.decode()
    assert 'aria-label="Gap 1 of 3"' in html and "{#" not in html and SECRET not in html
    response = client.post(f"/en/tests/check/{lesson.pk}/{block_id}/", {"q1-1": f"{SECRET}ACT", "q1-2": "b", "q1-3": "18", "next": lesson.url})
    assert response.status_code == 302
    html = client.get(lesson.url).content.decode()
    assert "check-feedback--partly" in html
    assert f"Gap 1 of 3: {SECRET} why act" in html
    assert 'value="KEYONLYACT"' in html
