"""The seed H5P activities build into valid .h5p files, and their three language versions are equivalent.

No database: the packer and the validator read files only.
"""

import io
import json
import re
import unicodedata
import zipfile

import pytest

from content.h5p.validation import LibraryRef, package_validate
from content.seed.h5p.package import (
    ACTIVITIES_DIR,
    LANGUAGES,
    LIBRARIES_DIR,
    ZIP_DATE,
    H5PPackageError,
    activity_slugs,
    package_build,
    package_title,
)

BUILDS = [(slug, language) for slug in activity_slugs() for language in LANGUAGES]
LIBRARY_FOLDERS = sorted(path.name for path in LIBRARIES_DIR.iterdir() if path.is_dir())
# The code and style both content types share (cf. H5P.Question): not runnable, preloaded by each of them.
SHARED_LIBRARY = {"machineName": "LMS.ChoiceTask", "majorVersion": 1, "minorVersion": 0}
SHARED_FOLDER = "LMS.ChoiceTask-1.0"
CONTENT_TYPE_FOLDERS = ["LMS.CaseSort-1.0", "LMS.IndicatorCheck-1.0"]
# The field of a statement that holds its correct answer, per content type.
ANSWER_FIELD = {"LMS.CaseSort": "category", "LMS.IndicatorCheck": "isTrue"}
PLACEHOLDER = re.compile(r"@\w+")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
TURKMEN_LETTERS = set("çäňöşüýžÇÄŇÖŞÜÝŽ")
NOT_TURKMEN = set("ğıİ")  # Turkish letters that Turkmen Latin does not use
TRANSLATABLE = {"label", "description", "entity", "default", "field", "fields"}


def _activity(slug: str) -> dict:
    return json.loads((ACTIVITIES_DIR / f"{slug}.json").read_text(encoding="utf-8"))


def _library_folder(library: dict) -> str:
    return f"{library['machineName']}-{library['majorVersion']}.{library['minorVersion']}"


def _library_json(folder: str) -> dict:
    return json.loads((LIBRARIES_DIR / folder / "library.json").read_text(encoding="utf-8"))


def _semantics(folder: str) -> list:
    return json.loads((LIBRARIES_DIR / folder / "semantics.json").read_text(encoding="utf-8"))


def _open(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def _strings(value):
    """Yield every string in a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_activity_slugs_are_the_activity_files():
    assert activity_slugs() == ["case-sort", "indicator-check"]


def test_libraries_are_the_two_content_types_and_their_shared_library():
    assert LIBRARY_FOLDERS == sorted([*CONTENT_TYPE_FOLDERS, SHARED_FOLDER])
    assert sorted(_library_folder(_activity(slug)["library"]) for slug in activity_slugs()) == CONTENT_TYPE_FOLDERS


@pytest.mark.parametrize(("slug", "language"), BUILDS)
def test_package_is_a_zip_with_the_expected_entries(slug, language):
    archive = _open(package_build(slug=slug, language=language))
    assert archive.testzip() is None
    folder = _library_folder(_activity(slug)["library"])
    # the content type and the shared library it preloads, each whole, and nothing else
    library_files = {
        f"{library}/{path.relative_to(LIBRARIES_DIR / library).as_posix()}"
        for library in (folder, SHARED_FOLDER)
        for path in (LIBRARIES_DIR / library).rglob("*")
        if path.is_file()
    }
    names = archive.namelist()
    assert names == sorted(names)
    assert set(names) == {"h5p.json", "content/content.json"} | library_files
    for library_folder in (folder, SHARED_FOLDER):
        library = json.loads(archive.read(f"{library_folder}/library.json"))
        assets = library["preloadedJs"] + library.get("preloadedCss", [])
        assert assets
        for asset in assets:
            assert f"{library_folder}/{asset['path']}" in names
    assert f"{SHARED_FOLDER}/choice-task.css" in names
    for language_file in ("ru", "tk"):
        assert f"{folder}/language/{language_file}.json" in names
    for info in archive.infolist():
        assert info.date_time == ZIP_DATE
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert not info.is_dir()


@pytest.mark.parametrize(("slug", "language"), BUILDS)
def test_package_json_describes_the_activity(slug, language):
    archive = _open(package_build(slug=slug, language=language))
    activity = _activity(slug)
    main = activity["library"]
    folder = _library_folder(main)
    for name in archive.namelist():
        if name.endswith(".json"):
            json.loads(archive.read(name).decode("utf-8"))

    h5p_json = json.loads(archive.read("h5p.json"))
    assert h5p_json == {
        "title": package_title(slug=slug, language=language),
        "language": language,
        "mainLibrary": main["machineName"],
        "embedTypes": ["div"],
        "license": "U",
        # every library the content needs, dependencies first
        "preloadedDependencies": [SHARED_LIBRARY, main],
    }
    assert h5p_json["title"] == activity["languages"][language]["title"]
    assert json.loads(archive.read("content/content.json")) == activity["languages"][language]["content"]

    library = json.loads(archive.read(f"{folder}/library.json"))
    assert library["machineName"] == main["machineName"]
    assert (library["majorVersion"], library["minorVersion"]) == (main["majorVersion"], main["minorVersion"])
    assert library["runnable"] == 1
    assert library["embedTypes"] == ["div"]
    assert library["preloadedDependencies"] == [SHARED_LIBRARY]

    shared = json.loads(archive.read(f"{SHARED_FOLDER}/library.json"))
    assert {key: shared[key] for key in SHARED_LIBRARY} == SHARED_LIBRARY
    assert shared["runnable"] == 0


@pytest.mark.parametrize(("slug", "language"), BUILDS)
def test_package_passes_the_upload_validation_with_nothing_installed(slug, language):
    main = _activity(slug)["library"]
    asked = []

    def is_installed(ref):
        asked.append(ref)
        return False

    validated = package_validate(io.BytesIO(package_build(slug=slug, language=language)), is_installed=is_installed)
    main_ref = LibraryRef(main["machineName"], main["majorVersion"], main["minorVersion"])
    shared_ref = LibraryRef(SHARED_LIBRARY["machineName"], SHARED_LIBRARY["majorVersion"], SHARED_LIBRARY["minorVersion"])
    assert validated.main_library == main_ref
    assert validated.dependencies == (shared_ref, main_ref)
    assert set(validated.libraries) == {main_ref.folder, shared_ref.folder}
    assert validated.libraries[shared_ref.folder].patch == _library_json(SHARED_FOLDER)["patchVersion"]
    assert validated.needs_installed == ()
    assert asked == []  # the package carries every library it needs
    assert validated.language == language


@pytest.mark.parametrize(("slug", "language"), BUILDS)
def test_builds_are_byte_identical(slug, language):
    assert package_build(slug=slug, language=language) == package_build(slug=slug, language=language)


@pytest.mark.parametrize("slug", activity_slugs())
def test_language_versions_are_equivalent(slug):
    activity = _activity(slug)
    assert set(activity["languages"]) == set(LANGUAGES)
    answer_field = ANSWER_FIELD[activity["library"]["machineName"]]
    versions = {language: activity["languages"][language]["content"] for language in LANGUAGES}
    english = versions["en"]
    assert 6 <= len(english["statements"]) <= 9
    for language, content in versions.items():
        assert set(content) == set(english), language
        assert [item[answer_field] for item in content["statements"]] == [
            item[answer_field] for item in english["statements"]
        ], language
        assert [category["key"] for category in content.get("categories", [])] == [
            category["key"] for category in english.get("categories", [])
        ], language
        assert content["behaviour"] == english["behaviour"], language
        assert set(content["l10n"]) == set(english["l10n"]), language
        for key, text in content["l10n"].items():
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(english["l10n"][key])), (language, key)
        assert all(text.strip() for text in _strings(content)), language
        assert activity["languages"][language]["title"].strip()
    if answer_field == "isTrue":
        answers = [item["isTrue"] for item in english["statements"]]
        assert True in answers and False in answers
    else:
        keys = {category["key"] for category in english["categories"]}
        assert {item["category"] for item in english["statements"]} == keys


@pytest.mark.parametrize("slug", activity_slugs())
def test_ui_strings_match_the_library_defaults_and_translations(slug):
    activity = _activity(slug)
    folder = _library_folder(activity["library"])
    semantics = _semantics(folder)
    l10n = next(field for field in semantics if field["name"] == "l10n")
    names = [field["name"] for field in l10n["fields"]]
    position = semantics.index(l10n)
    expected = {"en": {field["name"]: field["default"] for field in l10n["fields"]}}
    for language in ("ru", "tk"):
        translated = json.loads((LIBRARIES_DIR / folder / "language" / f"{language}.json").read_text(encoding="utf-8"))
        expected[language] = {
            name: field["default"] for name, field in zip(names, translated["semantics"][position]["fields"], strict=True)
        }
    for language in LANGUAGES:
        assert activity["languages"][language]["content"]["l10n"] == expected[language], language


def _mirror_check(field: dict, translated: dict, path: str) -> None:
    assert set(translated) <= TRANSLATABLE, path
    for key in ("label", "description", "entity"):
        assert (key in field) == (key in translated), f"{path}: {key}"
        if key in translated:
            assert translated[key].strip(), f"{path}: {key}"
            assert translated[key] != field[key], f"{path}: {key} is not translated"
    if "default" in translated:
        assert isinstance(field.get("default"), str), path
        assert sorted(PLACEHOLDER.findall(translated["default"])) == sorted(PLACEHOLDER.findall(field["default"])), path
    if "fields" in field:
        assert len(translated["fields"]) == len(field["fields"]), path
        for child, child_translated in zip(field["fields"], translated["fields"], strict=True):
            _mirror_check(child, child_translated, f"{path}/{child['name']}")
    if "field" in field:
        _mirror_check(field["field"], translated["field"], f"{path}/{field['field']['name']}")


def test_content_types_have_semantics_and_the_shared_library_has_none():
    for folder in CONTENT_TYPE_FOLDERS:
        assert (LIBRARIES_DIR / folder / "semantics.json").is_file(), folder
    # nothing of it is edited in content.json: its texts come from each content type's l10n
    assert not (LIBRARIES_DIR / SHARED_FOLDER / "semantics.json").exists()
    assert not (LIBRARIES_DIR / SHARED_FOLDER / "language").exists()


@pytest.mark.parametrize("folder", CONTENT_TYPE_FOLDERS)
@pytest.mark.parametrize("language", ["ru", "tk"])
def test_library_translations_mirror_the_semantics(folder, language):
    semantics = _semantics(folder)
    translated = json.loads((LIBRARIES_DIR / folder / "language" / f"{language}.json").read_text(encoding="utf-8"))
    assert len(translated["semantics"]) == len(semantics)
    for field, field_translated in zip(semantics, translated["semantics"], strict=True):
        _mirror_check(field, field_translated, field["name"])
    l10n = translated["semantics"][[field["name"] for field in semantics].index("l10n")]
    assert all("default" in field for field in l10n["fields"])


def _validate(fields: list, params: dict, path: str) -> None:
    """Check params against H5P semantics: known names, required values, types, list sizes, lengths, patterns."""
    names = {field["name"] for field in fields}
    assert set(params) <= names, f"{path}: unknown {set(params) - names}"
    for field in fields:
        name = f"{path}/{field['name']}"
        if field["name"] not in params:
            assert field.get("optional") or "default" in field or field["type"] == "group", f"{name} missing"
            continue
        _validate_value(field, params[field["name"]], name)


def _validate_value(field: dict, value, name: str) -> None:
    kind = field["type"]
    if kind == "text":
        assert isinstance(value, str), name
        assert value.strip() or field.get("optional"), f"{name} empty"
        assert len(value) <= field.get("maxLength", 10_000), f"{name} too long"
        if "regexp" in field:
            assert re.search(field["regexp"]["pattern"], value), f"{name}: {value!r}"
    elif kind == "number":
        assert isinstance(value, int | float) and not isinstance(value, bool), name
        assert field.get("min", value) <= value <= field.get("max", value), name
    elif kind == "boolean":
        assert isinstance(value, bool), name
    elif kind == "group":
        assert isinstance(value, dict), name
        _validate(field["fields"], value, name)
    elif kind == "list":
        assert isinstance(value, list), name
        assert field.get("min", 0) <= len(value) <= field.get("max", len(value)), f"{name}: {len(value)} items"
        for index, item in enumerate(value):
            _validate_value(field["field"], item, f"{name}[{index}]")
    else:  # pragma: no cover - our semantics use only the types above
        raise AssertionError(f"{name}: unexpected type {kind}")


@pytest.mark.parametrize(("slug", "language"), BUILDS)
def test_content_fits_the_library_semantics(slug, language):
    activity = _activity(slug)
    content = activity["languages"][language]["content"]
    _validate(_semantics(_library_folder(activity["library"])), content, f"{slug}.{language}")
    if "categories" in content:
        keys = [category["key"] for category in content["categories"]]
        assert len(keys) == len(set(keys))
        assert all(statement["category"] in keys for statement in content["statements"])


@pytest.mark.parametrize(("slug", "language"), BUILDS)
def test_texts_are_written_in_their_language(slug, language):
    entry = _activity(slug)["languages"][language]
    texts = [entry["title"], *_strings(entry["content"])]
    joined = " ".join(texts)
    assert all(unicodedata.is_normalized("NFC", text) for text in texts)
    if language == "ru":
        assert CYRILLIC.search(entry["title"])
        assert len(CYRILLIC.findall(joined)) > len(re.findall(r"[A-Za-z]", joined))
    else:
        assert not CYRILLIC.search(joined)
    if language == "tk":
        assert TURKMEN_LETTERS & set(joined)
        assert not NOT_TURKMEN & set(joined)


def _sources(folder: str, library: dict) -> dict[str, str]:
    sources = {
        asset["path"]: (LIBRARIES_DIR / folder / asset["path"]).read_text(encoding="utf-8")
        for asset in library["preloadedJs"]
    }
    for path, source in sources.items():
        for forbidden in ("H5P.Question", "JoubelUI", "FontAwesome", "innerHTML", ".html(", "insertAdjacentHTML"):
            assert forbidden not in source, f"{path} uses {forbidden}"
    return sources


@pytest.mark.parametrize("folder", CONTENT_TYPE_FOLDERS)
def test_content_types_need_only_the_h5p_core_and_the_shared_library(folder):
    library = _library_json(folder)
    assert library["runnable"] == 1
    assert library["preloadedDependencies"] == [SHARED_LIBRARY]
    assert not library.get("dynamicDependencies")
    assert not library.get("preloadedCss")  # the look is the shared library's
    name = library["machineName"].split(".")[-1]
    (source,) = _sources(folder, library).values()
    # H5P.classFromName resolves H5P.<Name>; this core's newRunnable walks window.<machine.name>.
    assert f"H5P.{name} = " in source
    assert f"window.LMS.{name} = H5P.{name}" in source
    # a subclass of the shared task: its constructor and prototype chain, nothing rendered or scored twice
    assert "})(H5P.ChoiceTask);" in source
    assert "ChoiceTask.call(this, params, contentId, extras, {" in source
    assert f"{name}.prototype = Object.create(ChoiceTask.prototype);" in source
    assert "this.setTask(" in source
    for method in ("getCurrentState", "getScore", "getMaxScore", "resetTask", "showSolutions", "attach", "render"):
        assert f".prototype.{method} = function" not in source, f"{name} redefines {method}"


def test_shared_library_needs_only_the_h5p_core():
    library = _library_json(SHARED_FOLDER)
    assert {key: library[key] for key in SHARED_LIBRARY} == SHARED_LIBRARY
    assert library["runnable"] == 0
    assert library["title"].strip()
    assert isinstance(library["patchVersion"], int)
    assert not library.get("preloadedDependencies")
    assert not library.get("dynamicDependencies")
    assert library["preloadedCss"] == [{"path": "choice-task.css"}]
    (source,) = _sources(SHARED_FOLDER, library).values()
    assert "H5P.ChoiceTask = (function ($, EventDispatcher) {" in source
    assert "})(H5P.jQuery, H5P.EventDispatcher);" in source
    assert "ChoiceTask.prototype = Object.create(EventDispatcher.prototype);" in source
    for method in (
        "getCurrentState", "getScore", "getMaxScore", "getAnswerGiven", "getXAPIData", "resetTask", "showSolutions",
        "attach", "setTask",
    ):
        assert f"ChoiceTask.prototype.{method} = function" in source
    css = (LIBRARIES_DIR / SHARED_FOLDER / "choice-task.css").read_text(encoding="utf-8")
    assert ".h5p-lms-choicetask .lms-ct-item {" in css
    assert "lms-cs" not in css and "lms-ic" not in css


def test_unknown_slug_or_language_is_refused():
    with pytest.raises(H5PPackageError):
        package_build(slug="no-such-activity", language="en")
    with pytest.raises(H5PPackageError):
        package_build(slug="case-sort", language="de")
    with pytest.raises(H5PPackageError):
        package_title(slug="../activities/case-sort", language="en")
