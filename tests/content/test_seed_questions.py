"""Seed question bank (content/seed/questions): files, shapes, translations, counts and parallel forms.

Pure file checks, no database. The shapes follow assessments/FORMAT.md; the seed file conventions are in
content/seed/questions/FORMAT.md.
"""

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[2] / "content" / "seed"
QUESTIONS_DIR = SEED / "questions"
CURRICULUM_DIR = SEED / "curriculum" / "tot"
LANGUAGES = ("en", "ru", "tk")

KINDS = {"single", "multiple", "truefalse", "matching", "ordering", "short", "case", "rubric", "numerical", "cloze"}
QUESTION_KEYS = {"key", "kind", "objective", "difficulty", "points", "forms", "title", "prompt", "feedback", "data"}
OPTIONAL_QUESTION_KEYS = {"editor_note"}
DIFFICULTIES = {"easy", "medium", "hard"}
MULTIPLE_SCORING = {"all_or_nothing", "right_minus_wrong", "per_option"}
ORDERING_SCORING = {"all_or_nothing", "positions", "adjacent_pairs"}
FORMS = {"A", "B"}
ITEMS_PER_MODULE_PER_FORM = 2

# Texts (translated) and HTML texts, by key name wherever they occur.
TEXT_KEYS = {"title", "prompt", "feedback", "editor_note", "text", "feedback_true", "feedback_false", "label",
             "explanation", "scenario", "guidance", "model_answer"}
HTML_KEYS = {"prompt", "feedback", "scenario", "model_answer"}
ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em"}
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
ANY_TAG = re.compile(r"</?[a-zA-Z!][^>]*>")

CHOICE_KEY = re.compile(r"^[\w.\-]{1,40}$")
QUESTION_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TURKMEN_LETTERS = set("çäžňöşüýÇÄŽŇÖŞÜÝ")
NOT_TURKMEN = set("ıİğĞñÑÿãâÃÂ")  # Turkish, Spanish or look-alike letters that Turkmen Latin does not use

MIN_TOTAL = 48
MIN_PER_MODULE = 5
MIN_PER_KIND = {
    "multiple": 4, "truefalse": 3, "matching": 3, "ordering": 3, "short": 3, "case": 7, "rubric": 3, "single": 1,
}

# The seven fictional case patterns of shared/CURRICULUM.md §8 and the items built on them.
CASE_PATTERNS = {
    "m4-case-fake-job-turkey": 1,
    "m4-case-waitress-forced-prostitution": 2,
    "m4-case-child-16": 3,
    "m4-case-kidney-abroad": 4,
    "m4-case-drug-courier-debt": 5,
    "m4-case-domestic-work-ashgabat": 6,
    "m1-case-smuggling-not-trafficking": 7,
}
CASE_ELEMENTS = ["qualification", "act", "means", "purpose", "consent", "part", "aggravations"]


# ---------------------------------------------------------------------------------------------- loading

def module_slugs() -> dict[int, str]:
    slugs = {}
    for path in sorted(CURRICULUM_DIR.glob("[0-9][0-9]-*.en.json")):
        number = int(path.name[:2])
        slugs[number] = path.name[3:-len(".en.json")]
    return slugs


def load(number: int, language: str) -> dict:
    path = QUESTIONS_DIR / f"{number:02d}-{module_slugs()[number]}.{language}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def all_files() -> dict[tuple[int, str], dict]:
    return {(number, language): load(number, language) for number in module_slugs() for language in LANGUAGES}


def questions(language: str = "en") -> list[tuple[int, dict]]:
    return [(number, question) for number in module_slugs() for question in load(number, language)["questions"]]


def provisions() -> dict:
    data = json.loads((SEED / "provisions.json").read_text(encoding="utf-8"))
    return {provision["code"]: provision for provision in data["provisions"]}


def walk_strings(value, key=None):
    """Yield (key, string) for every string in a question, with the name of the field that holds it."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for child_key, child in value.items():
            yield from walk_strings(child, child_key)
    elif isinstance(value, list):
        for child in value:
            yield from walk_strings(child, key)


def texts(value):
    """Every human-readable string of a question: translated texts and accepted short answers."""
    for key, string in walk_strings(value):
        if key in TEXT_KEYS or key == "accepted":
            yield key, string


def skeleton(value, key=None):
    """The language-independent shape of a question: texts become a marker, everything else is kept."""
    if isinstance(value, dict):
        return {k: skeleton(v, k) for k, v in value.items()}
    if isinstance(value, list):
        if key == "accepted":
            return "<accepted>"
        return [skeleton(v, key) for v in value]
    if isinstance(value, str) and key in TEXT_KEYS:
        return ("<html>", tag_sequence(value)) if key in HTML_KEYS else "<text>"
    return value


def tag_sequence(html: str) -> list[str]:
    return [("/" if match.group(1) else "") + match.group(2).lower() for match in TAG.finditer(html)]


def normalise_answer(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold()
    text = re.sub(r"[.,;:!?\"«»'’()]", "", text)
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------------------------------------- files

def test_every_module_has_its_three_files_and_nothing_else():
    slugs = module_slugs()
    assert sorted(slugs) == list(range(1, 9))
    expected = {f"{n:02d}-{slug}.{lang}.json" for n, slug in slugs.items() for lang in LANGUAGES}
    present = {path.name for path in QUESTIONS_DIR.glob("*.json")}
    assert present == expected
    assert (QUESTIONS_DIR / "FORMAT.md").is_file()


def test_files_parse_and_name_their_module():
    for (number, language), data in all_files().items():
        assert set(data) == {"module", "questions"}, (number, language)
        assert data["module"] == number
        assert isinstance(data["questions"], list) and data["questions"]


def test_question_fields():
    seen = set()
    for number, question in questions():
        assert QUESTION_KEYS <= set(question) <= QUESTION_KEYS | OPTIONAL_QUESTION_KEYS, question.get("key")
        key = question["key"]
        assert QUESTION_KEY.match(key) and len(key) <= 80, key
        assert key not in seen, f"duplicate key {key}"
        seen.add(key)
        assert question["kind"] in KINDS, key
        assert question["difficulty"] in DIFFICULTIES, key
        assert QUESTION_KEY.match(question["objective"]) and question["objective"].startswith(f"m{number}-"), key
        assert isinstance(question["points"], (int, float)) and not isinstance(question["points"], bool), key
        assert question["points"] > 0, key
        assert question["forms"] and set(question["forms"]) <= FORMS, key
        assert question["forms"] == sorted(set(question["forms"])), key


def test_texts_are_present_and_short_titles():
    for language in LANGUAGES:
        for _, question in questions(language):
            assert 0 < len(question["title"]) <= 200, (language, question["key"])
            for key, string in texts(question):
                assert string.strip(), (language, question["key"], key)
                assert string == string.strip(), (language, question["key"], key)
            assert question["prompt"].startswith("<p>"), (language, question["key"])


# ---------------------------------------------------------------------------------------------- data shapes

def check_choices(options, key, *, text_required=True):
    keys = [option["key"] for option in options]
    assert all(isinstance(k, str) and CHOICE_KEY.match(k) for k in keys), (key, keys)
    assert len(keys) == len(set(keys)), (key, keys)
    for option in options:
        assert set(option) <= {"key", "text", "feedback"}, (key, option)
        if text_required:
            assert option.get("text"), (key, option)
    return keys


def check_data(question, provision_map):
    kind, data, key = question["kind"], question["data"], question["key"]
    if kind == "single":
        assert set(data) == {"options", "correct", "shuffle"}, key
        keys = check_choices(data["options"], key)
        assert len(keys) >= 2 and data["correct"] in keys, key
    elif kind == "multiple":
        assert set(data) == {"options", "correct", "scoring", "shuffle"}, key
        keys = check_choices(data["options"], key)
        assert len(keys) >= 2 and data["correct"] and set(data["correct"]) <= set(keys), key
        assert len(data["correct"]) == len(set(data["correct"])) < len(keys), key
        assert data["scoring"] in MULTIPLE_SCORING, key
    elif kind == "truefalse":
        assert set(data) == {"correct", "feedback_true", "feedback_false"}, key
        assert isinstance(data["correct"], bool), key
    elif kind == "matching":
        assert set(data) == {"items", "choices", "correct", "shuffle"}, key
        items = check_choices(data["items"], key)
        choices = check_choices(data["choices"], key)
        assert len(items) >= 2 and set(data["correct"]) == set(items), key
        assert set(data["correct"].values()) <= set(choices), key
    elif kind == "ordering":
        assert set(data) == {"items", "correct", "scoring"}, key
        items = check_choices(data["items"], key)
        assert len(items) >= 3 and sorted(data["correct"]) == sorted(items), key
        assert data["correct"] != items, f"{key}: items are listed in the right order already"
        assert data["scoring"] in ORDERING_SCORING, key
    elif kind == "short":
        assert set(data) == {"accepted"}, key
        accepted = data["accepted"]
        assert accepted and all(isinstance(a, str) and a.strip() and len(a) <= 500 for a in accepted), key
        normalised = [normalise_answer(a) for a in accepted]
        assert len(normalised) == len(set(normalised)), f"{key}: accepted answers equal after normalising"
    elif kind == "case":
        assert set(data) == {"scenario", "provision", "elements"}, key
        assert data["provision"] in provision_map, key
        element_keys = [element["key"] for element in data["elements"]]
        assert len(element_keys) == len(set(element_keys)) and all(CHOICE_KEY.match(k) for k in element_keys), key
        for element in data["elements"]:
            assert set(element) == {"key", "label", "select", "options", "correct", "weight", "explanation"}, key
            assert element["select"] in {"single", "multiple"}, key
            options = check_choices(element["options"], key)
            assert len(options) >= 2 and set(element["correct"]) <= set(options), (key, element["key"])
            assert len(element["correct"]) == len(set(element["correct"])), (key, element["key"])
            if element["select"] == "single":
                assert len(element["correct"]) == 1, (key, element["key"])
            assert element["weight"] > 0, key
    elif kind == "numerical":
        answers = data["answers"]
        assert answers and any(answer.get("weight", 100) == 100 for answer in answers), key
        assert all(isinstance(answer.get("value", answer.get("min")), (int, float)) for answer in answers), key
    elif kind == "cloze":
        gaps = data["gaps"]
        assert [gap["key"] for gap in gaps] == [str(n) for n in range(1, len(gaps) + 1)], key
        assert re.findall(r"\{#(\d+)\}", question["prompt"]) == [gap["key"] for gap in gaps], key
        assert question["points"] == sum(gap["weight"] for gap in gaps), key
    elif kind == "rubric":
        assert set(data) == {"criteria", "guidance", "model_answer", "max_words"}, key
        assert 3 <= len(data["criteria"]) <= 5, key
        keys = [criterion["key"] for criterion in data["criteria"]]
        assert len(keys) == len(set(keys)) and all(CHOICE_KEY.match(k) for k in keys), key
        for criterion in data["criteria"]:
            assert set(criterion) == {"key", "text", "points"}, key
            assert isinstance(criterion["points"], int) and criterion["points"] > 0, key
        assert isinstance(data["max_words"], int) and data["max_words"] > 0, key


def test_data_follows_the_documented_shapes():
    provision_map = provisions()
    for language in LANGUAGES:
        for _, question in questions(language):
            check_data(question, provision_map)


# ---------------------------------------------------------------------------------------------- languages

@pytest.mark.parametrize("language", ["ru", "tk"])
def test_translations_have_exactly_the_shape_of_english(language):
    for number in module_slugs():
        english = load(number, "en")
        other = load(number, language)
        assert skeleton(other) == skeleton(english), f"module {number}: {language} differs from en"


def test_every_language_has_its_accepted_answers():
    for language in LANGUAGES:
        for _, question in questions(language):
            if question["kind"] == "short":
                assert len(question["data"]["accepted"]) >= 2, (language, question["key"])


def test_turkmen_uses_precomposed_latin_letters():
    for number in module_slugs():
        data = load(number, "tk")
        strings = [string for _, string in walk_strings(data)]
        assert any(TURKMEN_LETTERS & set(string) for string in strings), f"module {number}: no Turkmen letter"
        for _, question in [(number, q) for q in data["questions"]]:
            for key, string in texts(question):
                where = (question["key"], key, string[:60])
                assert unicodedata.is_normalized("NFC", string), where
                assert not any(unicodedata.combining(char) for char in string), where
                assert not re.search(r"[\u0400-\u04FF]", string), where
                assert not NOT_TURKMEN & set(string), where


def test_russian_texts_are_cyrillic():
    latin_word_mix = re.compile(r"\b(?=\w*[A-Za-z])(?=\w*[\u0400-\u04FF])\w+\b")
    for _, question in questions("ru"):
        for key, string in texts(question):
            where = (question["key"], key, string[:60])
            plain = ANY_TAG.sub(" ", string)
            letters = [char for char in plain if char.isalpha()]
            cyrillic = [char for char in letters if "\u0400" <= char <= "\u04FF"]
            assert cyrillic, where
            assert len(cyrillic) >= 0.8 * len(letters), where
            assert not latin_word_mix.search(plain), where
            assert unicodedata.is_normalized("NFC", string), where


def test_english_texts_are_latin():
    for _, question in questions("en"):
        for key, string in texts(question):
            assert not re.search(r"[\u0400-\u04FF]", string), (question["key"], key)


def test_html_only_where_allowed_and_only_allowed_tags():
    for language in LANGUAGES:
        for _, question in questions(language):
            for key, string in walk_strings(question):
                where = (language, question["key"], key, string[:60])
                if key in HTML_KEYS:
                    stack = []
                    for match in TAG.finditer(string):
                        closing, tag, attributes = match.group(1), match.group(2).lower(), match.group(3)
                        assert tag in ALLOWED_TAGS and not attributes.strip(), where
                        if closing:
                            assert stack and stack.pop() == tag, where
                        else:
                            stack.append(tag)
                    assert not stack, where
                    assert not ANY_TAG.sub("", TAG.sub("", string)).count("<"), where
                elif key in TEXT_KEYS or key == "accepted":
                    assert not ANY_TAG.search(string), where


def test_no_all_or_none_of_the_above_and_right_answers_not_always_first():
    banned = re.compile(
        r"all of the above|none of the above|все (вышеперечисленн|перечисленн)|ничего из перечисленного"
        r"|ýokardakylaryň hemmesi|ýokardakylaryň hiç biri",
        re.IGNORECASE,
    )
    positions = Counter()
    for language in LANGUAGES:
        for _, question in questions(language):
            for option in question["data"].get("options", []):
                assert not banned.search(option["text"]), (language, question["key"], option["text"])
            if language == "en" and question["kind"] == "single":
                keys = [option["key"] for option in question["data"]["options"]]
                positions[keys.index(question["data"]["correct"])] += 1
    assert len(positions) >= 3 and max(positions.values()) <= sum(positions.values()) / 2, positions


# ---------------------------------------------------------------------------------------------- counts

def test_counts_per_module_and_kind():
    rows = questions()
    assert len(rows) >= MIN_TOTAL
    per_module = Counter(number for number, _ in rows)
    assert all(per_module[number] >= MIN_PER_MODULE for number in module_slugs()), per_module
    per_kind = Counter(question["kind"] for _, question in rows)
    for kind, minimum in MIN_PER_KIND.items():
        assert per_kind[kind] >= minimum, (kind, per_kind)
    assert per_kind["single"] == len(rows) - sum(per_kind[k] for k in KINDS - {"single"})


def test_multiple_response_items_state_their_scoring():
    scorings = [q["data"]["scoring"] for _, q in questions() if q["kind"] == "multiple"]
    assert len(scorings) >= 4 and all(s in MULTIPLE_SCORING for s in scorings)


def test_rubric_items_have_guidance_and_a_model_answer():
    for language in LANGUAGES:
        for _, question in questions(language):
            if question["kind"] == "rubric":
                data = question["data"]
                assert len(data["guidance"]) > 50 and len(data["model_answer"]) > 200, question["key"]
                assert question["points"] >= 5


# ---------------------------------------------------------------------------------------------- case items

def test_the_seven_case_patterns_are_covered():
    by_key = {q["key"]: q for _, q in questions()}
    for key in CASE_PATTERNS:
        assert key in by_key and by_key[key]["kind"] == "case", key
    assert sorted(CASE_PATTERNS.values()) == list(range(1, 8))


def test_case_items_use_the_same_elements_and_option_keys():
    cases = [q for _, q in questions() if q["kind"] == "case"]
    reference = [(e["key"], e["select"], [o["key"] for o in e["options"]]) for e in cases[0]["data"]["elements"]]
    assert [key for key, _, _ in reference] == CASE_ELEMENTS
    for question in cases:
        elements = [(e["key"], e["select"], [o["key"] for o in e["options"]]) for e in question["data"]["elements"]]
        assert elements == reference, question["key"]
        assert "edition in force" in question.get("editor_note", ""), question["key"]


def test_case_part_and_aggravation_options_exist_in_the_provision():
    provision_map = provisions()
    for language in LANGUAGES:
        for _, question in questions(language):
            if question["kind"] != "case":
                continue
            provision = provision_map[question["data"]["provision"]][language]
            parts = {part["label"]: part for part in provision["parts"]}
            items = {
                f"{part['label']}.{item['label']}": item["text"]
                for part in provision["parts"]
                for item in part["items"]
            }
            elements = {element["key"]: element for element in question["data"]["elements"]}
            part_options = [option["key"] for option in elements["part"]["options"]]
            assert part_options == list(parts), question["key"]
            aggravation_options = elements["aggravations"]["options"]
            assert [option["key"] for option in aggravation_options] == list(items), question["key"]
            for option in aggravation_options:
                assert items[option["key"]].rstrip(" ;.:") in option["text"], (language, question["key"], option["key"])
            for option in elements["part"]["options"]:
                penalty = parts[option["key"]]["penalty"].rstrip(" .")
                assert penalty[1:] in option["text"], (language, question["key"], option["key"])


def test_case_keys_reflect_the_2010_text():
    """Legal points of the 2010 text the keys must respect (see CURRICULUM.md §4 and §8)."""
    by_key = {
        q["key"]: {e["key"]: e["correct"] for e in q["data"]["elements"]} for _, q in questions() if q["kind"] == "case"
    }
    for key, elements in by_key.items():
        if elements["qualification"] == ["trafficking"]:
            assert elements["act"] and elements["purpose"] and len(elements["part"]) == 1, key
            assert "criminality" not in elements["purpose"] and "begging" not in elements["purpose"], key
            parts = [label.split(".")[0] for label in elements["aggravations"]] or ["1"]
            highest = max(parts)
            assert elements["part"] == [highest], key
        else:
            assert not elements["act"] and not elements["purpose"] and not elements["part"], key
            assert not elements["aggravations"], key
    smuggling = by_key["m1-case-smuggling-not-trafficking"]
    assert smuggling["qualification"] == ["smuggling"] and smuggling["consent"] == ["genuine"]
    child = by_key["m4-case-child-16"]
    assert child["means"] == [] and child["consent"] == ["irrelevant-child"] and "2.b" in child["aggravations"]
    assert "2.ä" in by_key["m4-case-kidney-abroad"]["aggravations"]
    assert by_key["m4-case-drug-courier-debt"]["purpose"] == ["labour"]
    assert by_key["m4-case-domestic-work-ashgabat"]["part"] == ["1"]


# ---------------------------------------------------------------------------------------------- forms

def test_pre_and_post_forms_can_be_drawn_sharing_at_most_a_third():
    per_module = {number: {"A": 0, "B": 0, "AB": 0} for number in module_slugs()}
    for number, question in questions():
        forms = set(question["forms"])
        per_module[number]["AB" if forms == FORMS else forms.pop()] += 1
    form_size = ITEMS_PER_MODULE_PER_FORM * len(per_module)
    worst_overlap = 0
    for number, counts in per_module.items():
        assert counts["A"] + counts["AB"] >= ITEMS_PER_MODULE_PER_FORM, (number, counts)
        assert counts["B"] + counts["AB"] >= ITEMS_PER_MODULE_PER_FORM, (number, counts)
        # A draw that avoids shared items is always possible ...
        assert counts["A"] + counts["B"] + counts["AB"] >= 2 * ITEMS_PER_MODULE_PER_FORM, (number, counts)
        # ... and even the worst draw shares no more than the shared items of the module.
        worst_overlap += min(ITEMS_PER_MODULE_PER_FORM, counts["AB"])
    assert 3 * worst_overlap <= form_size, worst_overlap
