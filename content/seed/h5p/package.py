"""Build real .h5p files for the seed H5P activities, in memory and byte for byte reproducibly.

An activity is one JSON file in ``activities/`` (``<slug>.json``) holding, for each language, the title and the
full ``content.json`` parameters; the content types it needs are our own libraries in ``libraries/``
(``<machineName>-<major>.<minor>/``). Each content type preloads the shared, non-runnable LMS.ChoiceTask
(rendering, checking, scoring, xAPI, resume; cf. H5P.Question), which depends on nothing but the H5P core.
A package carries the main library and everything it preloads, recursively; h5p.json lists them all,
dependencies first. An activity file::

    {"library": {"machineName": "LMS.CaseSort", "majorVersion": 1, "minorVersion": 0},
     "editor_note": "…",
     "languages": {"en": {"title": "…", "content": {…content.json, l10n included…}}, "ru": {…}, "tk": {…}}}

Layout of a package::

    h5p.json
    content/content.json
    LMS.CaseSort-1.0/library.json, semantics.json, *.js, language/*.json
    LMS.ChoiceTask-1.0/library.json, *.js, *.css

Entries are sorted and carry a fixed date and mode, so building twice gives identical bytes (a stable hash
lets callers store a package only when it really changed).
"""

import io
import json
import zipfile
from pathlib import Path

H5P_DIR = Path(__file__).resolve().parent
ACTIVITIES_DIR = H5P_DIR / "activities"
LIBRARIES_DIR = H5P_DIR / "libraries"
LANGUAGES = ("en", "ru", "tk")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644 << 16


class H5PPackageError(ValueError):
    """An activity or library file is missing, malformed, or does not match what the package needs."""


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise H5PPackageError(f"{path.relative_to(H5P_DIR)}: {error}") from error


def _dump_json(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def activity_slugs() -> list[str]:
    """Return the slugs of all seed activities, sorted."""
    return sorted(path.stem for path in ACTIVITIES_DIR.glob("*.json"))


def _activity(slug: str) -> dict:
    if slug not in activity_slugs():
        raise H5PPackageError(f"unknown H5P activity {slug!r}")
    return _read_json(ACTIVITIES_DIR / f"{slug}.json")


def _activity_language(slug: str, language: str) -> dict:
    if language not in LANGUAGES:
        raise H5PPackageError(f"unsupported language {language!r}")
    entry = _activity(slug).get("languages", {}).get(language)
    if not entry or not entry.get("title") or not isinstance(entry.get("content"), dict):
        raise H5PPackageError(f"activities/{slug}.json: no title and content for {language!r}")
    return entry


def _dependency(library: dict) -> dict:
    try:
        return {
            "machineName": str(library["machineName"]),
            "majorVersion": int(library["majorVersion"]),
            "minorVersion": int(library["minorVersion"]),
        }
    except (KeyError, TypeError, ValueError) as error:
        raise H5PPackageError(f"bad library reference {library!r}") from error


def _library_folder(dependency: dict) -> str:
    return f"{dependency['machineName']}-{dependency['majorVersion']}.{dependency['minorVersion']}"


def _libraries_needed(main: dict) -> list[dict]:
    """Return the main library and everything it preloads, dependencies first (each once)."""
    ordered: list[dict] = []
    seen: set[str] = set()

    def visit(dependency: dict, trail: tuple[str, ...]) -> None:
        folder = _library_folder(dependency)
        if folder in trail:
            raise H5PPackageError(f"circular library dependency: {' -> '.join(trail + (folder,))}")
        if folder in seen:
            return
        library_json = LIBRARIES_DIR / folder / "library.json"
        if not library_json.is_file():
            raise H5PPackageError(f"library {folder} is not in {LIBRARIES_DIR.relative_to(H5P_DIR)}/")
        definition = _read_json(library_json)
        if _dependency(definition) != dependency:
            raise H5PPackageError(f"{folder}/library.json does not describe {folder}")
        for child in definition.get("preloadedDependencies", []):
            visit(_dependency(child), trail + (folder,))
        seen.add(folder)
        ordered.append(dependency)

    visit(main, ())
    return ordered


def package_title(*, slug: str, language: str) -> str:
    """Return the activity's title in that language."""
    return _activity_language(slug, language)["title"]


def package_build(*, slug: str, language: str) -> bytes:
    """Return the .h5p file (a zip) of one activity in one language."""
    entry = _activity_language(slug, language)
    main = _dependency(_activity(slug).get("library") or {})
    libraries = _libraries_needed(main)
    h5p_json = {
        "title": entry["title"],
        "language": language,
        "mainLibrary": main["machineName"],
        "embedTypes": ["div"],
        "license": "U",
        "preloadedDependencies": libraries,
    }
    files: dict[str, bytes] = {
        "h5p.json": _dump_json(h5p_json),
        "content/content.json": _dump_json(entry["content"]),
    }
    for dependency in libraries:
        folder = _library_folder(dependency)
        root = LIBRARIES_DIR / folder
        for path in root.rglob("*"):
            if path.is_file() and not path.name.startswith("."):
                files[f"{folder}/{path.relative_to(root).as_posix()}"] = path.read_bytes()

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = FILE_MODE
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()
