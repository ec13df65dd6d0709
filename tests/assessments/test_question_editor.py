"""The structured editor of a question's answers and key in the admin: round trip, building, refusing.

"Round trip" is what an editor does who opens a question and saves it without changes: the page's
fields are posted back as rendered, and the stored data must come out identical.
"""

from html.parser import HTMLParser

import pytest
from django.forms import CheckboxInput, RadioSelect, Select
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from assessments import admin_forms
from assessments.admin_forms import KIND_EDITORS, QuestionDataEditor
from assessments.models import Question
from assessments.seed import question_bank_seed
from lms.people.roles import Role
from tests.assessments.bank import bank_load
from tests.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def editor_user(site_home):
    return person(username="ed", roles=[Role.EDITOR], language="en")


# --- posting a form as the browser would --------------------------------------------------------------


def _fields(form, data):
    for field in form:
        widget, value = field.field.widget, field.value()
        if isinstance(widget, CheckboxInput):
            if widget.check_test(value):
                data.appendlist(field.html_name, "on")
        elif isinstance(widget, (Select, RadioSelect)):
            data.appendlist(field.html_name, "" if value is None else str(value))
        else:
            shown = widget.format_value(value)
            data.appendlist(field.html_name, "" if shown is None else str(shown))


def _walk(part, data):
    if hasattr(part, "management_form"):
        _fields(part.management_form, data)
        for form in part.forms:
            _fields(form, data)
    else:
        _fields(part, data)


def editor_post(editor: QuestionDataEditor, **changes) -> QueryDict:
    """Every field of every kind's editor and the JSON form, with their values as rendered."""
    data = QueryDict(mutable=True)
    for kind_editor in editor.editors.values():
        for part in kind_editor.parts():
            _walk(part, data)
    _fields(editor.json, data)
    for name, value in changes.items():
        data.setlist(name, [value] if not isinstance(value, list) else value)
    return data


def rebuilt(kind, stored, **changes):
    """Open an editor on ``stored``, post it back (with ``changes``); return (bound editor, clean data)."""
    shown = QuestionDataEditor(data=None, kind=kind, stored_kind=kind, stored=stored)
    bound = QuestionDataEditor(data=editor_post(shown, **changes), kind=kind, stored_kind=kind, stored=stored)
    return bound, bound.clean(kind)


def fresh(kind, values):
    """A new question of ``kind``: the empty editor's rows filled with ``values`` ({field name suffix: value})."""
    shown = QuestionDataEditor(data=None, kind=kind, stored_kind="", stored={})
    data = editor_post(shown)
    for name, value in values.items():
        data.setlist(f"qdata-{kind}-{name}", value if isinstance(value, list) else [value])
    bound = QuestionDataEditor(data=data, kind=kind, stored_kind="", stored={})
    return bound, bound.clean(kind)


def errors_of(editor, kind):
    """Every error message of the kind's editor, by field html name ('' for a list's own errors)."""
    found = {}
    for part in editor.editors[kind].parts():
        forms = part.forms if hasattr(part, "forms") else [part]
        if hasattr(part, "non_form_errors"):
            for error in part.non_form_errors():
                found.setdefault(part.prefix, []).append(str(error))
        for form in forms:
            for name, errors in form.errors.items():
                key = form.add_prefix(name) if name != "__all__" else form.prefix
                found.setdefault(key, []).extend(str(error) for error in errors)
    return found


# --- round trip ---------------------------------------------------------------------------------------


def test_every_seed_question_comes_back_identical(site_home):
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    questions = question_bank_seed(locales=locales)
    assert len(questions) >= 120 and {question.kind for question in questions} == set(KIND_EDITORS)
    for question in questions:
        question.refresh_from_db()
        editor, data = rebuilt(question.kind, question.data)
        assert data is not None, (question.key, question.locale_id, errors_of(editor, question.kind), editor.problems)
        assert data == question.data, (question.key, question.locale_id)


def test_the_test_bank_comes_back_identical_too(site_home):
    # options without feedback, no "shuffle", an element with no correct option, the key "2.ç"
    for question in bank_load():
        editor, data = rebuilt(question.kind, question.data)
        assert data == question.data, (question.key, errors_of(editor, question.kind))


class _Fields(HTMLParser):
    """What a browser posts from a page: inputs, checked boxes, textareas, selected options."""

    def __init__(self):
        super().__init__()
        self.data = QueryDict(mutable=True)
        self._textarea = self._select = None
        self._options = []
        self._template = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "template":
            self._template += 1
        if self._template:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.appendlist(name, attrs.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self.data.appendlist(name, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select:
            self._options.append((attrs.get("value", ""), "selected" in attrs))

    def handle_data(self, data):
        if self._textarea and not self._template:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "template":
            self._template -= 1
        elif tag == "textarea" and self._textarea and not self._template:
            text = self._text[1:] if self._text.startswith("\n") else self._text  # as browsers read it
            self.data.appendlist(self._textarea, text.replace("\n", "\r\n"))
            self._textarea = None
        elif tag == "select" and self._select and not self._template:
            chosen = [value for value, selected in self._options if selected] or [value for value, _s in self._options[:1]]
            for value in chosen:
                self.data.appendlist(self._select, value)
            self._select = None


def page_fields(html):
    parser = _Fields()
    parser.feed(html)
    return parser.data


def test_opening_and_saving_each_kind_in_the_admin_keeps_its_data(client, editor_user):
    client.force_login(editor_user)
    questions = [question for question in bank_load() if question.locale.language_code == "ru"]
    assert {question.kind for question in questions} == set(KIND_EDITORS)
    for question in questions:
        url = reverse("wagtailsnippets_assessments_question:edit", args=[question.pk])
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert 'name="data"' not in html  # no raw JSON field in the form any more
        assert f'data-qe-for="{question.kind}"' in html
        if question.kind == "case":
            assert 'id="qe-provision-labels"' in html  # the provision's part labels, to key the options by
        before = Question.objects.get(pk=question.pk)
        response = client.post(url, page_fields(html))
        assert response.status_code == 302, (question.key, response.context and response.context["form"].errors)
        after = Question.objects.get(pk=question.pk)
        assert after.data == before.data, question.key
        # one identity across the languages: the form never touches it
        assert (after.translation_key, after.locale_id) == (before.translation_key, before.locale_id)


def test_a_new_question_is_created_from_the_rows(client, editor_user):
    client.force_login(editor_user)
    url = reverse("wagtailsnippets_assessments_question:add") + "?locale=en"
    page = client.get(url)
    assert page.status_code == 200
    data = page_fields(page.content.decode())
    data.setlist("title", ["Who is a victim?"])
    data.setlist("key", ["m1-victim"])
    data.setlist("kind", ["single"])
    data.setlist("points", ["1"])
    data.setlist("difficulty", ["easy"])
    data.setlist("prompt", ['{"blocks": [{"key": "a1", "type": "unstyled", "text": "Who?", "depth": 0, "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}'])
    data.setlist("qdata-single-options-0-text", ["A child"])
    data.setlist("qdata-single-options-0-correct", ["on"])
    data.setlist("qdata-single-options-1-text", ["Nobody"])
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    question = Question.objects.get(key="m1-victim")
    assert question.data == {"options": [{"key": "a", "text": "A child"}, {"key": "b", "text": "Nobody"}], "correct": "a"}


# --- building new data ---------------------------------------------------------------------------------


def test_rows_build_the_documented_shape_of_each_kind(site_home):
    _editor, data = fresh(
        "multiple",
        {
            "settings-scoring": "per_option",
            "options-0-text": "Recruitment", "options-0-correct": "on", "options-0-feedback": "An act.",
            "options-1-text": "Debt bondage",
            "options-2-text": "Harbouring", "options-2-correct": "on", "options-2-key": "harb",
        },
    )
    assert data == {
        "options": [
            {"key": "a", "text": "Recruitment", "feedback": "An act."},
            {"key": "b", "text": "Debt bondage"},
            {"key": "harb", "text": "Harbouring"},
        ],
        "correct": ["a", "harb"],
        "scoring": "per_option",
    }
    _editor, data = fresh(
        "matching",
        {
            "choices-0-text": "act", "choices-1-text": "means", "choices-2-text": "purpose",
            "pairs-0-text": "Hiring", "pairs-0-choice": "0",
            "pairs-1-text": "Deception", "pairs-1-choice": "1",
            "pairs-2-text": "Transporting", "pairs-2-choice": "0",
        },
    )
    assert data["correct"] == {"1": "a", "2": "b", "3": "a"}
    assert [choice["key"] for choice in data["choices"]] == ["a", "b", "c"]
    _editor, data = fresh(
        "ordering",
        {"settings-scoring": "positions", "items-0-text": "first", "items-1-text": "second", "items-2-text": "third"},
    )
    assert data["correct"] == ["1", "2", "3"]
    assert sorted(item["key"] for item in data["items"]) == ["1", "2", "3"]
    assert [item["key"] for item in data["items"]] != data["correct"]  # not shown in the right order
    _editor, data = fresh("truefalse", {"tf-correct": "false"})
    assert data == {"correct": False}
    _editor, data = fresh("short", {"short-accepted": "Palermo Protocol\r\n\r\nPalermo"})
    assert data == {"accepted": ["Palermo Protocol", "Palermo"]}
    _editor, data = fresh(
        "rubric",
        {"criteria-0-text": "Names the authority", "criteria-0-points": "2", "rubric-max_words": "300"},
    )
    assert data == {"criteria": [{"key": "c1", "text": "Names the authority", "points": 2}], "max_words": 300}


def test_a_case_item_is_built_per_element(site_home):
    _editor, data = fresh(
        "case",
        {
            "case-provision": "cc-129-1-2010",
            "elements-0-key": "part", "elements-0-label": "Part of article 129-1", "elements-0-select": "single",
            "elements-0-explanation": "Two victims: part 2.",
            "elements-0-options-0-key": "1", "elements-0-options-0-text": "Part 1",
            "elements-0-options-1-key": "2", "elements-0-options-1-text": "Part 2", "elements-0-options-1-correct": "on",
        },
    )
    assert data == {
        "provision": "cc-129-1-2010",
        "elements": [
            {
                "key": "part", "label": "Part of article 129-1", "select": "single",
                "options": [{"key": "1", "text": "Part 1"}, {"key": "2", "text": "Part 2"}],
                "correct": ["2"], "explanation": "Two victims: part 2.",
            }
        ],
    }


def test_a_correction_of_the_key_changes_only_the_key(site_home):
    question = next(question for question in bank_load() if question.key == "m1-single" and question.locale.language_code == "en")
    _editor, data = rebuilt("single", question.data, **{"qdata-single-options-1-correct": [], "qdata-single-options-0-correct": "on"})
    assert data == {**question.data, "correct": "a"}


def test_removing_a_row(site_home):
    question = next(question for question in bank_load() if question.key == "m2-ordering" and question.locale.language_code == "en")
    _editor, data = rebuilt("ordering", question.data, **{"qdata-ordering-items-2-DELETE": "on"})
    assert [item["key"] for item in data["items"]] == ["k1", "k2"] and data["correct"] == ["k1", "k2"]


# --- refusing bad input ---------------------------------------------------------------------------------


def test_a_single_choice_without_a_correct_option_is_refused_at_the_options(site_home):
    editor, data = fresh("single", {"options-0-text": "A", "options-1-text": "B"})
    assert data is None
    assert errors_of(editor, "single") == {"qdata-single-options": [str(admin_forms.CHOOSE_CORRECT)]}


def test_a_single_choice_with_two_correct_options_is_refused_at_both(site_home):
    editor, data = fresh("single", {"options-0-text": "A", "options-0-correct": "on", "options-1-text": "B", "options-1-correct": "on"})
    assert data is None
    errors = errors_of(editor, "single")
    assert errors["qdata-single-options-0-correct"] == errors["qdata-single-options-1-correct"] == [str(admin_forms.ONLY_ONE_CORRECT)]


def test_a_multiple_response_needs_a_correct_option_and_two_options(site_home):
    editor, data = fresh("multiple", {"settings-scoring": "per_option", "options-0-text": "A", "options-0-correct": "on"})
    assert data is None
    assert errors_of(editor, "multiple") == {"qdata-multiple-options": ["Add at least two options."]}
    editor, data = fresh("multiple", {"settings-scoring": "per_option", "options-0-text": "A", "options-1-text": "B"})
    assert errors_of(editor, "multiple") == {"qdata-multiple-options": [str(admin_forms.CHOOSE_SOME_CORRECT)]}


def test_duplicate_ordering_items_are_refused_next_to_the_row(site_home):
    editor, data = fresh(
        "ordering",
        {"settings-scoring": "positions", "items-0-text": "Plan", "items-1-text": "Engage", "items-2-text": " plan "},
    )
    assert data is None
    assert errors_of(editor, "ordering") == {"qdata-ordering-items-2-text": ["This text repeats row 1."]}
    editor, data = fresh(
        "ordering",
        {"settings-scoring": "positions", "items-0-text": "Plan", "items-0-ORDER": "1", "items-1-text": "Engage", "items-1-ORDER": "1"},
    )
    assert data is None
    assert errors_of(editor, "ordering") == {"qdata-ordering-items-1-ORDER": [str(admin_forms.POSITION_TWICE)]}


def test_a_matching_pair_with_an_empty_side_is_refused(site_home):
    values = {"choices-0-text": "act", "choices-1-text": "means", "pairs-0-text": "Hiring", "pairs-0-choice": "0"}
    editor, data = fresh("matching", {**values, "pairs-1-text": "Deception"})
    assert data is None
    assert errors_of(editor, "matching") == {"qdata-matching-pairs-1-choice": [str(admin_forms.CHOOSE_PAIR)]}
    editor, data = fresh("matching", {**values, "pairs-1-choice": "1"})
    assert data is None
    assert errors_of(editor, "matching") == {"qdata-matching-pairs-1-text": ["This field is required."]}


def test_a_bad_key_and_a_key_used_twice_are_refused(site_home):
    editor, data = fresh(
        "single",
        {"options-0-text": "A", "options-0-correct": "on", "options-0-key": "a b", "options-1-text": "B", "options-1-key": "x", "options-2-text": "C", "options-2-key": "x"},
    )
    assert data is None
    assert errors_of(editor, "single") == {"qdata-single-options-0-key": [str(admin_forms.KEY_INVALID)]}
    editor, data = fresh(
        "single",
        {"options-0-text": "A", "options-0-correct": "on", "options-1-text": "B", "options-1-key": "x", "options-2-text": "C", "options-2-key": "x"},
    )
    assert data is None
    assert errors_of(editor, "single") == {"qdata-single-options-2-key": [str(admin_forms.KEY_TWICE)]}


def test_a_single_case_element_needs_exactly_one_correct_option(site_home):
    editor, data = fresh(
        "case",
        {
            "elements-0-key": "part", "elements-0-label": "Part", "elements-0-select": "single",
            "elements-0-options-0-text": "Part 1", "elements-0-options-1-text": "Part 2",
        },
    )
    assert data is None
    assert errors_of(editor, "case") == {"qdata-case-elements-0-select": [str(admin_forms.ELEMENT_ONE_CORRECT)]}


def test_errors_are_in_the_users_language(site_home):
    with translation.override("ru"):
        editor, data = fresh("single", {"options-0-text": "A", "options-1-text": "B"})
        errors = errors_of(editor, "single")
        editor, data = fresh("matching", {"choices-0-text": "act", "choices-1-text": "means", "pairs-0-text": "Hiring", "pairs-0-choice": "0", "pairs-1-choice": "1"})
        required = errors_of(editor, "matching")["qdata-matching-pairs-1-text"]
    assert errors == {"qdata-single-options": ["Укажите правильный вариант ответа."]}
    assert required == ["Требуется заполнить это поле."]


def test_the_json_toggle_goes_through_the_same_check(site_home):
    shown = QuestionDataEditor(data=None, kind="single", stored_kind="", stored={})
    data = editor_post(shown, **{"qdata-json-use_json": "on", "qdata-json-json": '{"options": [{"key": "a", "text": "A"}], "correct": "z"}'})
    editor = QuestionDataEditor(data=data, kind="single", stored_kind="", stored={})
    assert editor.clean("single") is None
    errors = [str(error) for error in editor.json.errors["json"]]
    assert "Add at least two options." in errors and "The correct option “z” is not one of the options." in errors
    data.setlist("qdata-json-json", ["{not json"])
    editor = QuestionDataEditor(data=data, kind="single", stored_kind="", stored={})
    assert editor.clean("single") is None and "not valid JSON" in str(editor.json.errors["json"])
    data.setlist("qdata-json-json", ['{"options": [{"key": "a", "text": "A"}, {"key": "b", "text": "B"}], "correct": "b"}'])
    editor = QuestionDataEditor(data=data, kind="single", stored_kind="", stored={})
    assert editor.clean("single") == {"options": [{"key": "a", "text": "A"}, {"key": "b", "text": "B"}], "correct": "b"}


def test_a_refused_edit_in_the_admin_changes_nothing_and_shows_the_error(client, editor_user):
    client.force_login(editor_user)
    question = next(question for question in bank_load() if question.key == "m1-single" and question.locale.language_code == "en")
    url = reverse("wagtailsnippets_assessments_question:edit", args=[question.pk])
    data = page_fields(client.get(url).content.decode())
    data.pop("qdata-single-options-1-correct", None)
    response = client.post(url, data)
    assert response.status_code == 200
    assert str(admin_forms.CHOOSE_CORRECT) in response.content.decode()
    assert Question.objects.get(pk=question.pk).data == question.data


# --- translations ---------------------------------------------------------------------------------------


def test_a_translation_sync_keeps_each_languages_options_and_key(site_home):
    """wagtail-localize copies synchronised fields from the source on every sync: the answers and key are
    not among them, so the Russian options stay Russian when the English item changes."""
    from wagtail_localize.models import Translation, TranslationSource

    bank_load()
    english = Question.objects.get(key="m1-single", locale__language_code="en")
    russian = Question.objects.get(key="m1-single", locale__language_code="ru")
    russian_data = dict(russian.data)
    assert russian_data != english.data  # the bank's Russian options are written in Russian
    source, _created = TranslationSource.get_or_create_from_instance(english)
    translation_ = Translation.objects.create(
        source=source, target_locale=Locale.objects.get(language_code="ru"), enabled=True
    )
    english.points, english.module = 3, 2
    english.data = {**english.data, "shuffle": not english.data.get("shuffle", False)}
    english.save()
    source.update_from_db()
    translation_.save_target(publish=True)
    russian.refresh_from_db()
    assert (russian.points, russian.module) == (3, 2)  # synchronised fields follow the source
    assert russian.data == russian_data  # the Russian answers and key are left as they were
