"""Read the seed content files of this folder into plain data (no ORM: content is a leaf).

The English files are the source; ru and tk files must have the same shape so that their texts can be
paired with the English segments one by one (see curriculum/FORMAT.md). ``python -m content.seed.loader``
checks every file and prints what does not fit.
"""

import json
import re
import sys
from pathlib import Path

SEED_DIR = Path(__file__).resolve().parent
CURRICULUM_DIR = SEED_DIR / "curriculum"
LANGUAGES = ("en", "ru", "tk")
TRANSLATIONS = ("ru", "tk")
BLOCK_TYPES = {
    "text": {"html"},
    "key_points": {"title", "points"},
    "case_study": {"title", "scenario", "questions", "trainer_notes"},
    "checklist": {"title", "do", "dont"},
    "glossary": {"term", "definition"},
    "legal_provision": {"provision", "commentary"},
    "video": {"title", "description", "film"},
    "knowledge_check": {"title", "instructions", "questions"},
    "h5p": {"activity", "introduction"},
    "scorm": {"activity", "introduction"},
    "trainer_notes": {"timing", "steps", "materials"},
}
REQUIRED_PER_MODULE = {"text", "key_points", "case_study", "trainer_notes", "knowledge_check"}
ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em"}
HTML_KEYS = {"html", "scenario", "trainer_notes", "commentary", "intro", "text", "notes"}
# Values that are identifiers, not text: they must be equal in every language.
IDENTITY_KEYS = {"slug", "number", "estimated_minutes", "provision", "film", "activity", "type", "label", "code"}
QUESTION_KEY = re.compile(r"[-a-zA-Z0-9_]{1,80}")
TAG = re.compile(r"</?([a-zA-Z0-9]+)[^>]*>")


class SeedDataError(ValueError):
    """A seed file is missing, malformed, or does not match its English source."""


def read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise SeedDataError(f"{path.relative_to(SEED_DIR)}: {error}") from error


def home_texts() -> dict[str, dict[str, str]]:
    """Return the home page title, slug and intro for each language."""
    data = read_json(SEED_DIR / "home.json")
    for language in LANGUAGES:
        entry = data.get(language)
        if not entry or not all(entry.get(key) for key in ("title", "slug", "intro")):
            raise SeedDataError(f"home.json: incomplete entry for {language!r}")
    return data


def block_elements(html: str) -> list[str]:
    """Return the opening tags of an HTML string, in order (its structural fingerprint)."""
    return [match.group(1).lower() for match in TAG.finditer(html) if not match.group(0).startswith("</")]


def _compare(source, other, where: str, errors: list[str]) -> None:
    if type(source) is not type(other):
        errors.append(f"{where}: {type(other).__name__} instead of {type(source).__name__}")
    elif isinstance(source, dict):
        if set(source) != set(other):
            errors.append(f"{where}: keys {sorted(set(other) ^ set(source))} differ from English")
        for key in source.keys() & other.keys():
            if key in IDENTITY_KEYS and source[key] != other[key]:
                errors.append(f"{where}.{key}: {other[key]!r} must equal English {source[key]!r}")
            elif key == "questions" and source.get("type") == "knowledge_check" and source[key] != other[key]:
                errors.append(f"{where}.{key}: {other[key]!r} must equal English {source[key]!r}")
            elif key in HTML_KEYS and isinstance(source[key], str):
                if block_elements(source[key]) != block_elements(other[key]):
                    errors.append(f"{where}.{key}: paragraphs/list items differ from English")
            else:
                _compare(source[key], other[key], f"{where}.{key}", errors)
    elif isinstance(source, list):
        if len(source) != len(other):
            errors.append(f"{where}: {len(other)} items instead of {len(source)}")
        for index, (left, right) in enumerate(zip(source, other)):
            _compare(left, right, f"{where}[{index}]", errors)
    elif isinstance(source, str) and source.strip() and not other.strip():
        errors.append(f"{where}: empty translation")


def _check_html(value, where: str, errors: list[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in HTML_KEYS and isinstance(item, str):
                bad = {tag for tag in block_elements(item) if tag not in ALLOWED_TAGS}
                if bad:
                    errors.append(f"{where}.{key}: tags not allowed: {sorted(bad)}")
            else:
                _check_html(item, f"{where}.{key}", errors)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_html(item, f"{where}[{index}]", errors)


def _check_module(module: dict, where: str, errors: list[str]) -> None:
    for key in ("number", "slug", "title", "objectives", "estimated_minutes", "intro", "lessons"):
        if key not in module:
            errors.append(f"{where}: missing {key!r}")
    lessons = module.get("lessons", [])
    if len(lessons) < 2:
        errors.append(f"{where}: a module needs at least two lessons")
    seen = set()
    for index, lesson in enumerate(lessons):
        for key in ("slug", "title", "summary", "estimated_minutes", "body"):
            if key not in lesson:
                errors.append(f"{where}.lessons[{index}]: missing {key!r}")
        for block_index, block in enumerate(lesson.get("body", [])):
            kind = block.get("type")
            if kind not in BLOCK_TYPES:
                errors.append(f"{where}.lessons[{index}].body[{block_index}]: unknown type {kind!r}")
            elif set(block) - {"type"} != BLOCK_TYPES[kind]:
                errors.append(
                    f"{where}.lessons[{index}].body[{block_index}] ({kind}): fields must be "
                    f"{sorted(BLOCK_TYPES[kind])}"
                )
            elif kind == "knowledge_check":
                keys = block["questions"]
                if not isinstance(keys, list) or not keys or not all(
                    isinstance(key, str) and QUESTION_KEY.fullmatch(key) for key in keys
                ):
                    errors.append(
                        f"{where}.lessons[{index}].body[{block_index}] (knowledge_check): questions must be "
                        "a non-empty list of question identifiers"
                    )
            seen.add(kind)
    missing = REQUIRED_PER_MODULE - seen
    if missing:
        errors.append(f"{where}: no {sorted(missing)} block in any lesson")


def module_files(course: str = "tot") -> list[str]:
    """Return the module file stems (``NN-slug``) of a course, in order."""
    return sorted(
        path.name.removesuffix(".en.json")
        for path in (CURRICULUM_DIR / course).glob("[0-9][0-9]-*.en.json")
    )


def curriculum(course: str = "tot") -> dict:
    """Return ``{"course": {lang: …}, "modules": [{lang: module}, …]}`` after checking every file."""
    errors: list[str] = []
    folder = CURRICULUM_DIR / course
    result = {"course": {}, "modules": []}
    for language in LANGUAGES:
        path = folder / f"course.{language}.json"
        if not path.exists():
            errors.append(f"{course}/course.{language}.json is missing")
        else:
            result["course"][language] = read_json(path)
    for language in TRANSLATIONS:
        if "en" in result["course"] and language in result["course"]:
            _compare(result["course"]["en"], result["course"][language], f"{course}/course.{language}", errors)
    for stem in module_files(course):
        versions = {}
        for language in LANGUAGES:
            path = folder / f"{stem}.{language}.json"
            if not path.exists():
                errors.append(f"{course}/{stem}.{language}.json is missing")
                continue
            versions[language] = read_json(path)
            _check_html(versions[language], f"{stem}.{language}", errors)
        if "en" in versions:
            _check_module(versions["en"], f"{stem}.en", errors)
            for language in TRANSLATIONS:
                if language in versions:
                    _compare(versions["en"], versions[language], f"{stem}.{language}", errors)
        result["modules"].append(versions)
    if errors:
        raise SeedDataError("\n".join(errors))
    return result


def main() -> int:
    status = 0
    for course in sorted(path.name for path in CURRICULUM_DIR.iterdir() if path.is_dir()):
        try:
            data = curriculum(course)
        except SeedDataError as error:
            print(f"{course}: problems\n{error}")
            status = 1
        else:
            print(f"{course}: {len(data['modules'])} modules, every language matches English")
    return status


if __name__ == "__main__":
    sys.exit(main())


def index_texts() -> dict[str, dict[str, str]]:
    """Return the course index page title, slug and intro for each language."""
    data = read_json(CURRICULUM_DIR / "index.json")
    for language in LANGUAGES:
        if not all(data.get(language, {}).get(key) for key in ("title", "slug", "intro")):
            raise SeedDataError(f"curriculum/index.json: incomplete entry for {language!r}")
    return data


def provisions() -> list[dict]:
    """Return the seed legal provisions, each with its per-language texts (shapes checked)."""
    data = read_json(SEED_DIR / "provisions.json")["provisions"]
    errors: list[str] = []
    for provision in data:
        for language in TRANSLATIONS:
            _compare(provision["en"], provision[language], f"provisions.{provision['code']}.{language}", errors)
    if errors:
        raise SeedDataError("\n".join(errors))
    return data


def termbase() -> list[dict]:
    """Return the seed termbase: one entry per concept with its preferred term in every language."""
    data = read_json(SEED_DIR / "termbase.json")["concepts"]
    errors: list[str] = []
    seen = set()
    for index, entry in enumerate(data):
        concept = entry.get("concept", "")
        if not re.fullmatch(r"[a-z0-9-]{1,80}", concept) or concept in seen:
            errors.append(f"termbase.json[{index}]: missing, malformed or repeated concept {concept!r}")
        seen.add(concept)
        for language in LANGUAGES:
            texts = entry.get(language) or {}
            if not texts.get("preferred") or not isinstance(texts.get("deprecated", []), list):
                errors.append(f"termbase.json: {concept}: no preferred term in {language!r}")
    if errors:
        raise SeedDataError("\n".join(errors))
    return data
