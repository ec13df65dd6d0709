"""A small curriculum in three languages, shaped like the seed files, for fast tests."""

import copy

LESSON_BODY = [
    {"type": "text", "html": "<p>{t} paragraph one.</p><p>{t} paragraph two.</p>"},
    {"type": "key_points", "title": "{t} key points", "points": ["{t} point A", "{t} point B"]},
    {"type": "case_study", "title": "{t} case", "scenario": "<p>{t} scenario.</p>", "questions": ["{t} question?"], "trainer_notes": "<p>{t} secret facilitation note.</p>"},
    {"type": "legal_provision", "provision": "cc-129-1-2010", "commentary": "<p>{t} commentary.</p>"},
    {"type": "knowledge_check", "title": "{t} check", "instructions": "{t} instructions"},
    {"type": "trainer_notes", "timing": "30 min", "steps": ["{t} step one"], "materials": ["{t} flipchart"]},
]
WORDS = {"en": "English", "ru": "Русский", "tk": "Türkmençe"}
# definitions-two also holds an H5P activity (the seeded case-sort package)
H5P_BLOCK = {"type": "h5p", "activity": "case-sort", "introduction": "{t} activity introduction"}
H5P_LESSON = "definitions-two"


def _fill(value, word):
    if isinstance(value, str):
        return value.replace("{t}", word)
    if isinstance(value, list):
        return [_fill(item, word) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, word) for key, item in value.items()}
    return value


def module(number, slug, language, lessons=("one", "two")):
    word = WORDS[language]
    return {
        "number": number,
        "slug": slug,
        "title": f"{word} module {number}",
        "objectives": [f"{word} objective"],
        "estimated_minutes": 60,
        "intro": f"<p>{word} intro.</p>",
        "editor_note": "",
        "lessons": [
            {
                "slug": f"{slug}-{name}",
                "title": f"{word} lesson {slug} {name}",
                "summary": f"{word} summary",
                "estimated_minutes": 20,
                "editor_note": "",
                "body": _fill(
                    copy.deepcopy(LESSON_BODY + ([H5P_BLOCK] if f"{slug}-{name}" == H5P_LESSON else [])),
                    f"{word} {name}",
                ),
            }
            for name in lessons
        ],
    }


def course(slug, language, **extra):
    word = WORDS[language]
    data = {
        "slug": slug,
        "title": f"{word} course {slug}",
        "summary": f"{word} course summary",
        "audience": f"{word} audience",
        "duration": "2",
        "learning_outcomes": [f"{word} outcome"],
        "prerequisites": f"{word} prerequisites",
    }
    data.update(extra)
    return data


def tot(languages=("en", "ru", "tk")):
    return {
        "course": {language: course("tot", language) for language in languages},
        "modules": [
            {language: module(1, "definitions", language) for language in languages},
            {language: module(2, "interviewing", language) for language in languages},
        ],
    }


def refresher():
    return {
        "course": {
            language: course(
                "refresher",
                language,
                modules=[
                    {"slug": "refresher-basics", "title": f"{WORDS[language]} refresher module", "objectives": ["x"],
                     "estimated_minutes": 30, "lessons": ["definitions-one", "interviewing-two"]}
                ],
            )
            for language in ("en", "ru", "tk")
        },
        "modules": [],
    }
