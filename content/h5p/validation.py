"""Strict validation of an uploaded .h5p package, before anything of it is extracted.

An .h5p file is a zip archive that an editor uploads and that is later unpacked into storage and
served to learners, so every byte of it is untrusted. This module reads the zip's central directory
and the few JSON files it must understand, never writes anything, and refuses the package when:

- the zip archive itself is unsafe (``content.zipcheck``, shared with SCORM packages): zip slip
  (absolute paths, drive letters, ``..``, backslashes, control characters, empty segments), symbolic
  links, zip bombs (too many entries, too many bytes, too high a ratio, as the central directory declares
  them; the JSON read here is read with a hard cap), names that clash in letter case or Unicode form;
- a file is HTML, or of a type outside H5P's whitelist;
- the H5P structure is broken: h5p.json, content/content.json, a library.json, a language file
  (``language/*.json``) that is not JSON, or a library the content needs that is neither in the
  package nor installed;
- a library needs a newer H5P core (``coreApi`` in its library.json) than the player has.

As H5P's own validator does, some entries are ignored rather than refused (once their names have
passed the path checks above): files at the top level other than h5p.json (a README, say), and any
entry with a name part beginning with ``.`` or ``_`` (``.DS_Store``, ``__MACOSX/``). They are never
extracted, so never served.

A valid package still contains JavaScript (in its libraries) and possibly SVG: that is how H5P works.
It is contained elsewhere, by serving packages from a sandboxed origin, not here.
"""

import json
import os
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import IO, NoReturn

from content.h5p import exceptions as errors
from content.h5p.exceptions import H5PPackageError
from content.zipcheck import entries_check, zip_open
from content.zipcheck import shown as _shown
from content.zipcheck import size_label as _size

CONTENT_EXTENSIONS = frozenset(
    "json png jpg jpeg gif bmp tif tiff svg eot ttf woff woff2 otf webm mp4 ogg mp3 m4a wav txt pdf rtf doc docx "
    "xls xlsx ppt pptx odt ods odp xml csv diff patch swf md textile vtt webvtt gltf glb".split()
)
LIBRARY_EXTENSIONS = CONTENT_EXTENSIONS | {"js", "css", "svg", "xml"}
HTML_EXTENSIONS = frozenset({"html", "htm"})
MACHINE_NAME = re.compile(r"[\w.-]{1,255}", re.ASCII)  # H5P's own pattern
VERSION = re.compile(r"\d{1,9}", re.ASCII)
LANGUAGE_FILE = re.compile(r"[^/]+/language/[^/]+\.json", re.IGNORECASE)  # of a library, or content/language/
# The H5P core API that the player implements: h5p-standalone 3.8.2 (node_modules/h5p-standalone) bundles
# the core with its theme stylesheets (h5p-theme, the Inter font), which came after core API 1.27, whose
# H5PCore::$styles has no theme. A library whose library.json asks for a newer coreApi is refused.
# tests/content/test_h5p_validation.py checks the bundle still looks like this when the player is upgraded.
PLAYER_CORE_API = (1, 28)


@dataclass(frozen=True)
class LibraryRef:
    machine_name: str
    major: int
    minor: int

    @property
    def folder(self) -> str:
        return f"{self.machine_name}-{self.major}.{self.minor}"

    def __str__(self) -> str:
        return f"{self.machine_name} {self.major}.{self.minor}"


@dataclass(frozen=True)
class PackagedLibrary:
    ref: LibraryRef
    patch: int
    title: str
    library_json: dict
    files: tuple[str, ...]  # posix paths relative to the library folder


@dataclass(frozen=True)
class Limits:
    max_files: int = 2000  # entries in the archive, folders included
    max_total_bytes: int = 200 * 1024 * 1024
    max_file_bytes: int = 100 * 1024 * 1024
    max_ratio: float = 100.0  # unpacked / packed, per entry of RATIO_EXEMPT_BYTES or more, and overall
    max_json_bytes: int = 5 * 1024 * 1024


@dataclass(frozen=True)
class ValidatedPackage:
    title: str
    language: str
    main_library: LibraryRef
    h5p_json: dict
    content_json: dict
    dependencies: tuple[LibraryRef, ...]  # preloadedDependencies of h5p.json
    libraries: dict[str, PackagedLibrary]  # by folder, those present in the package
    needs_installed: tuple[LibraryRef, ...]  # members of the dependency closure not in the package
    content_files: tuple[str, ...]  # posix paths relative to content/, content.json included
    total_bytes: int
    file_count: int


def package_validate(
    file: str | os.PathLike | IO[bytes],
    *,
    is_installed: Callable[[LibraryRef], bool] = lambda ref: False,
    limits: Limits = Limits(),
) -> ValidatedPackage:
    """Return what the caller needs to extract and register the package, or raise ``H5PPackageError``.

    Nothing is extracted here so that a refused package never leaves a file behind; the caller
    extracts exactly the names returned. ``is_installed`` is asked only about libraries the package
    needs and does not carry.
    """
    with _zip_open(file=file) as archive:
        files = _entries_check(infos=archive.infolist(), limits=limits)
        content_files, library_files = _layout(names=files)
        if "h5p.json" not in files:
            _refuse(errors.H5P_JSON_MISSING, "h5p_json_missing")
        read = partial(_json_object, archive=archive, limits=limits)
        h5p_json = read(info=files["h5p.json"], template=errors.H5P_JSON_INVALID, code="h5p_json_invalid")
        title, language, main_library, dependencies = _h5p_json_parse(data=h5p_json)
        if "content/content.json" not in files:
            _refuse(errors.CONTENT_JSON_MISSING, "content_json_missing")
        content_json = read(
            info=files["content/content.json"], template=errors.CONTENT_JSON_INVALID, code="content_json_invalid"
        )
        libraries = {}
        for folder, names in library_files.items():
            if f"{folder}/library.json" not in files:
                _refuse(errors.LIBRARY_JSON_MISSING, "library_json_missing", folder=folder)
            data = read(
                info=files[f"{folder}/library.json"], template=errors.LIBRARY_JSON_INVALID, code="library_json_invalid"
            )
            libraries[folder] = _library_parse(folder=folder, data=data, files=tuple(sorted(names)))
        for name in sorted(files):
            if LANGUAGE_FILE.fullmatch(name):
                read(info=files[name], template=errors.LANGUAGE_JSON_INVALID, code="language_json_invalid")
    return ValidatedPackage(
        title=title,
        language=language,
        main_library=main_library,
        h5p_json=h5p_json,
        content_json=content_json,
        dependencies=dependencies,
        libraries=libraries,
        needs_installed=_closure(roots=dependencies, libraries=libraries, is_installed=is_installed),
        content_files=tuple(sorted(content_files)),
        total_bytes=sum(info.file_size for info in files.values()),
        file_count=len(files),
    )


def _zip_open(*, file) -> zipfile.ZipFile:
    return zip_open(file, error=H5PPackageError, not_zip=errors.NOT_ZIP)


def _refuse(template, code: str, **params) -> NoReturn:
    raise H5PPackageError(template, code=code, params=params)


def _entries_check(*, infos: list[zipfile.ZipInfo], limits: Limits) -> dict[str, zipfile.ZipInfo]:
    """Return the file entries by name, having refused from the central directory alone anything unsafe."""
    return entries_check(infos=infos, limits=limits, error=H5PPackageError, ignored=_ignored)


def _ignored(name: str, *, folder: bool = False) -> bool:
    """Whether H5P ignores this entry: a name part begins with . or _, or it is a top-level file but h5p.json."""
    segments = name.split("/")
    if any(segment.startswith((".", "_")) for segment in segments):
        return True
    return not folder and len(segments) == 1 and name != "h5p.json"


def _layout(*, names) -> tuple[list[str], dict[str, list[str]]]:
    """Return the paths under content/ and, by folder, the paths in each library, refusing any other file."""
    content, libraries = [], {}
    for name in names:
        top, _, rest = name.partition("/")
        base = name.rsplit("/", 1)[-1]
        extension = base.rsplit(".", 1)[-1].lower() if "." in base else ""
        if extension in HTML_EXTENSIONS:
            _refuse(errors.HTML_FILE, "html_file", name=_shown(name))
        if not rest:  # h5p.json: other top-level files are ignored (_ignored)
            continue
        allowed = CONTENT_EXTENSIONS if top == "content" else LIBRARY_EXTENSIONS
        if extension not in allowed:
            _refuse(errors.FILE_TYPE, "file_type", name=_shown(name))
        (content if top == "content" else libraries.setdefault(top, [])).append(rest)
    return content, libraries


def _json_object(*, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, template, code: str) -> dict:
    """Return the JSON object in one entry, reading no more than the cap whatever its header says."""
    too_large = {"name": _shown(info.filename), "limit": _size(limits.max_json_bytes)}
    if info.file_size > limits.max_json_bytes:
        _refuse(errors.JSON_TOO_LARGE, "json_too_large", **too_large)
    try:
        with archive.open(info) as handle:
            data = handle.read(limits.max_json_bytes + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise H5PPackageError(errors.DAMAGED_FILE, code="damaged_file", params={"name": _shown(info.filename)}) from exc
    if len(data) > limits.max_json_bytes:
        _refuse(errors.JSON_TOO_LARGE, "json_too_large", **too_large)
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        value = None
    if not isinstance(value, dict):
        _refuse(template, code, name=_shown(info.filename))
    return value


def _version(value) -> int | None:
    """Return a version number given as an int or, as some H5P exports do, as a string of digits."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and VERSION.fullmatch(value):
        return int(value)
    return None


def _ref(item) -> LibraryRef | None:
    if not isinstance(item, dict):
        return None
    name, major, minor = item.get("machineName"), _version(item.get("majorVersion")), _version(item.get("minorVersion"))
    if not isinstance(name, str) or not MACHINE_NAME.fullmatch(name) or major is None or minor is None:
        return None
    return LibraryRef(machine_name=name, major=major, minor=minor)


def _refs(value) -> tuple[LibraryRef, ...] | None:
    """Return the references in a preloadedDependencies list, or None when the list is malformed."""
    if not isinstance(value, list):
        return None
    refs = [_ref(item) for item in value]
    return None if None in refs else tuple(dict.fromkeys(refs))


def _h5p_json_parse(*, data: dict) -> tuple[str, str, LibraryRef, tuple[LibraryRef, ...]]:
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        _refuse(errors.H5P_JSON_FIELD, "h5p_json_field", field="title")
    language = data.get("language", "und")
    if not isinstance(language, str):
        _refuse(errors.H5P_JSON_FIELD, "h5p_json_field", field="language")
    main = data.get("mainLibrary")
    if not isinstance(main, str) or not MACHINE_NAME.fullmatch(main):
        _refuse(errors.H5P_JSON_FIELD, "h5p_json_field", field="mainLibrary")
    dependencies = _refs(data.get("preloadedDependencies"))
    if not dependencies:
        _refuse(errors.H5P_JSON_FIELD, "h5p_json_field", field="preloadedDependencies")
    main_library = next((ref for ref in dependencies if ref.machine_name == main), None)
    if main_library is None:
        _refuse(errors.MAIN_LIBRARY_NOT_DEPENDENCY, "main_library_not_dependency", library=main)
    return title.strip(), language.strip() or "und", main_library, dependencies


def _library_parse(*, folder: str, data: dict, files: tuple[str, ...]) -> PackagedLibrary:
    name, machine_name, title = f"{folder}/library.json", data.get("machineName"), data.get("title")
    valid = {
        "machineName": isinstance(machine_name, str) and MACHINE_NAME.fullmatch(machine_name),
        "majorVersion": _version(data.get("majorVersion")) is not None,
        "minorVersion": _version(data.get("minorVersion")) is not None,
        "patchVersion": _version(data.get("patchVersion")) is not None,
        "title": isinstance(title, str) and title.strip(),
        "preloadedDependencies": _refs(data.get("preloadedDependencies", [])) is not None,
        "preloadedJs": _paths(data.get("preloadedJs", [])) is not None,
        "preloadedCss": _paths(data.get("preloadedCss", [])) is not None,
    }
    field = next((field for field, ok in valid.items() if not ok), None)
    if field is not None:
        _refuse(errors.LIBRARY_JSON_FIELD, "library_json_field", name=name, field=field)
    ref = _ref(data)
    if ref.folder != folder:
        _refuse(errors.LIBRARY_FOLDER_MISMATCH, "library_folder_mismatch", folder=folder, expected=ref.folder)
    paths = _paths(data.get("preloadedJs", [])) + _paths(data.get("preloadedCss", []))
    present = set(files)
    missing = next((path for path in paths if path not in present), None)
    if missing is not None:
        _refuse(errors.LIBRARY_FILE_MISSING, "library_file_missing", library=str(ref), name=_shown(missing))
    _core_api_check(library=str(ref), name=name, value=data.get("coreApi"))
    patch = _version(data.get("patchVersion"))
    return PackagedLibrary(ref=ref, patch=patch, title=title.strip(), library_json=data, files=files)


def _core_api_check(*, library: str, name: str, value) -> None:
    """Refuse a library that needs a newer H5P core than the player's (``coreApi``, optional)."""
    if value is None:
        return
    major = _version(value.get("majorVersion")) if isinstance(value, dict) else None
    minor = _version(value.get("minorVersion", 0)) if isinstance(value, dict) else None
    if major is None or minor is None:
        _refuse(errors.LIBRARY_JSON_FIELD, "library_json_field", name=name, field="coreApi")
    if (major, minor) > PLAYER_CORE_API:
        _refuse(errors.CORE_API_TOO_NEW, "core_api_too_new", library=library, needed=f"{major}.{minor}",
                core="{}.{}".format(*PLAYER_CORE_API))


def _paths(items) -> list[str] | None:
    """Return the paths of a preloadedJs or preloadedCss list, or None when the list is malformed."""
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        return None
    paths = [item.get("path") for item in items]
    return paths if all(isinstance(path, str) for path in paths) else None


def _closure(*, roots, libraries: dict[str, PackagedLibrary], is_installed) -> tuple[LibraryRef, ...]:
    """Return the libraries the content needs and the package does not carry, refusing any not installed."""
    pending, seen, installed = list(roots), set(), []
    while pending:
        ref = pending.pop(0)
        if ref in seen:
            continue
        seen.add(ref)
        packaged = libraries.get(ref.folder)
        if packaged is not None:
            pending.extend(_refs(packaged.library_json.get("preloadedDependencies", [])))
        elif is_installed(ref):
            installed.append(ref)
        else:
            _refuse(errors.MISSING_LIBRARY, "missing_library", library=str(ref))
    return tuple(installed)
