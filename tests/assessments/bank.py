"""A small question bank in en/ru/tk for the attempt tests: one question of every kind in modules 1-2.

Texts that only the key may show carry the marker ``SECRET`` so a test can prove they never reach the
page or a JSON response of an open attempt.
"""

from wagtail.models import Locale

from assessments import services

SECRET = "KEYONLY"


def _question(key, kind, module, data, *, points=1, forms="AB", language="en"):
    return {
        "key": key,
        "kind": kind,
        "title": f"{key} ({language})",
        "prompt": f"<p>{language} prompt of {key}</p>",
        "feedback": f"<p>{SECRET} general feedback of {key}</p>",
        "points": points,
        "module": module,
        "objective": f"m{module}-objective",
        "forms": list(forms),
        "data": data,
    }


def bank_entries(language="en"):
    options = [
        {"key": "a", "text": f"{language} option A", "feedback": f"{SECRET} why A"},
        {"key": "b", "text": f"{language} option B", "feedback": f"{SECRET} why B"},
        {"key": "c", "text": f"{language} option C", "feedback": ""},
    ]
    rows = [
        ("m1-single", "single", 1, {"options": options, "correct": "b"}, 1, "A"),
        ("m1-multiple", "multiple", 1, {"options": options, "correct": ["a", "c"], "scoring": "right_minus_wrong"}, 2, "B"),
        ("m1-truefalse", "truefalse", 1, {"correct": False, "feedback_true": f"{SECRET} tf", "feedback_false": f"{SECRET} tf"}, 1, "AB"),
        (
            "m1-short", "short", 1,
            {"accepted": [f"{SECRET}palermo"]}, 1, "AB",
        ),
        (
            "m2-matching", "matching", 2,
            {
                "items": [{"key": "1", "text": f"{language} act"}, {"key": "2", "text": f"{language} means"}],
                "choices": [{"key": "x", "text": f"{language} recruitment"}, {"key": "y", "text": f"{language} deception"}],
                "correct": {"1": "x", "2": "y"},
            },
            1, "A",
        ),
        (
            "m2-ordering", "ordering", 2,
            {"items": [{"key": "k1", "text": f"{language} first"}, {"key": "k2", "text": f"{language} second"}, {"key": "k3", "text": f"{language} third"}],
             "correct": ["k1", "k2", "k3"], "scoring": "positions"},
            1, "B",
        ),
        (
            "m2-case", "case", 2,
            {
                "scenario": f"<p>{language} scenario</p>",
                "provision": "cc-129-1-2010",
                "elements": [
                    {"key": "act", "label": f"{language} act", "select": "multiple",
                     "options": [{"key": "recruitment", "text": "recruitment"}, {"key": "transfer", "text": "transfer"}],
                     "correct": ["recruitment"], "weight": 1, "explanation": f"{SECRET} act explained"},
                    {"key": "part", "label": f"{language} part", "select": "single",
                     "options": [{"key": "1", "text": "part 1"}, {"key": "2", "text": "part 2"}],
                     "correct": ["2"], "weight": 1, "explanation": f"{SECRET} part explained"},
                    {"key": "aggravations", "label": f"{language} aggravations", "select": "multiple",
                     "options": [{"key": "2.a", "text": "2 a"}, {"key": "2.ç", "text": "2 ç"}],
                     "correct": [], "weight": 1, "explanation": f"{SECRET} none applies"},
                ],
            },
            3, "AB",
        ),
        (
            "m2-rubric", "rubric", 2,
            {"criteria": [{"key": "authority", "text": f"{language} names the authority", "points": 2},
                          {"key": "facts", "text": f"{language} states the facts", "points": 2}],
             "guidance": "Write a short request.", "model_answer": f"<p>{SECRET} model answer</p>", "max_words": 200},
            4, "AB",
        ),
        (
            "m3-numerical", "numerical", 3,
            {"answers": [{"value": 18, "feedback": f"{SECRET} why 18"}, {"min": 16, "max": 17, "weight": 50, "feedback": ""}]},
            1, "AB",
        ),
        (
            "m3-cloze", "cloze", 3,
            {"gaps": [
                {"key": "1", "type": "short", "weight": 2, "answers": [{"text": f"{SECRET}act", "weight": 100, "feedback": f"{SECRET} why act"}]},
                {"key": "2", "type": "choice", "weight": 1, "display": "select", "multiple": False,
                 "options": [{"key": "a", "text": f"{language} means", "weight": 100}, {"key": "b", "text": f"{language} motive", "weight": 0}]},
                {"key": "3", "type": "numerical", "weight": 1, "answers": [{"value": 18, "tolerance": 0.5, "weight": 100}]},
            ]},
            4, "AB",
        ),
    ]
    questions = [_question(key, kind, module, data, points=points, forms=forms, language=language) for key, kind, module, data, points, forms in rows]
    for question in questions:
        if question["kind"] == "cloze":
            question["prompt"] = f"<p>{language} prompt of {question['key']}: the {{#1}}, the {{#2}}, under {{#3}} years.</p>"
    return questions


def bank_load():
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    return services.question_bank_load(entries={code: bank_entries(code) for code in ("en", "ru", "tk")}, locales=locales)
