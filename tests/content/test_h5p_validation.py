"""An uploaded .h5p package is refused, before anything is extracted, unless it is safe and complete."""

import io
import json
import stat
import struct
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from content.h5p import exceptions as errors
from content.h5p.exceptions import H5PPackageError
from content.h5p.validation import PLAYER_CORE_API, LibraryRef, Limits, package_validate

SAMPLE = LibraryRef(machine_name="LMS.Sample", major=1, minor=0)
HELPER = LibraryRef(machine_name="LMS.Helper", major=2, minor=1)


def h5p_json(**changes) -> dict:
    data = {
        "title": "Trafficking indicators",
        "language": "ru",
        "mainLibrary": "LMS.Sample",
        "embedTypes": ["div"],
        "preloadedDependencies": [{"machineName": "LMS.Sample", "majorVersion": 1, "minorVersion": 0}],
    }
    return {**data, **changes}


def library_json(**changes) -> dict:
    data = {
        "title": "Sample",
        "machineName": "LMS.Sample",
        "majorVersion": 1,
        "minorVersion": 0,
        "patchVersion": 3,
        "runnable": 1,
        "preloadedJs": [{"path": "sample.js"}],
    }
    return {**data, **changes}


def entries(**changes) -> dict:
    """Return the entries of a minimal valid package; a change to None removes that entry."""
    data = {
        "h5p.json": h5p_json(),
        "content/content.json": {"text": "Hello"},
        "LMS.Sample-1.0/library.json": library_json(),
        "LMS.Sample-1.0/sample.js": b"H5P.Sample = function () {};",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def package(files: dict | None = None, *, extra=()) -> io.BytesIO:
    """Return a zip built in memory; ``extra`` holds (ZipInfo or name, bytes) pairs written as given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, value in (entries() if files is None else files).items():
            archive.writestr(name, value if isinstance(value, bytes) else json.dumps(value))
        for info, data in extra:
            archive.writestr(info, data)
    buffer.seek(0)
    return buffer


def central_patch(buffer: io.BytesIO, name: str, *, flag_bits: int = 0, file_size: int | None = None) -> io.BytesIO:
    """Rewrite one entry's central directory record, as a crafted archive would have it."""
    data = bytearray(buffer.getvalue())
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) >= 0:
        length = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46 : start + 46 + length] == name.encode():
            struct.pack_into("<H", data, start + 8, struct.unpack_from("<H", data, start + 8)[0] | flag_bits)
            if file_size is not None:
                struct.pack_into("<I", data, start + 24, file_size)
        start += 4
    return io.BytesIO(bytes(data))


def assert_refused(upload, code: str, template, **kwargs) -> H5PPackageError:
    with pytest.raises(H5PPackageError) as caught:
        package_validate(upload, **kwargs)
    error = caught.value
    assert (error.code, error.template) == (code, template)
    assert "%(" not in str(error.message)  # every placeholder was given
    return error


def test_valid_package_is_accepted():
    upload = package()
    validated = package_validate(upload)

    assert validated.title == "Trafficking indicators"
    assert validated.language == "ru"
    assert validated.main_library == SAMPLE
    assert validated.dependencies == (SAMPLE,)
    assert validated.h5p_json["embedTypes"] == ["div"]
    assert validated.content_json == {"text": "Hello"}
    assert validated.content_files == ("content.json",)
    assert validated.needs_installed == ()
    assert validated.file_count == 4
    assert validated.total_bytes == sum(info.file_size for info in zipfile.ZipFile(upload).infolist())
    library = validated.libraries["LMS.Sample-1.0"]
    assert (library.ref, library.patch, library.title) == (SAMPLE, 3, "Sample")
    assert library.files == ("library.json", "sample.js")
    assert library.library_json["runnable"] == 1
    assert SAMPLE.folder == "LMS.Sample-1.0" and str(SAMPLE) == "LMS.Sample 1.0"


def test_language_defaults_to_undetermined():
    assert package_validate(package(entries(**{"h5p.json": h5p_json(language="")}))).language == "und"
    data = h5p_json()
    del data["language"]
    assert package_validate(package(entries(**{"h5p.json": data}))).language == "und"


def test_path_and_uploaded_file_are_accepted(tmp_path):
    path = tmp_path / "sample.h5p"
    path.write_bytes(package().getvalue())
    assert package_validate(path).title == "Trafficking indicators"
    assert package_validate(str(path)).title == "Trafficking indicators"
    upload = SimpleUploadedFile("sample.h5p", package().getvalue(), content_type="application/zip")
    upload.read()  # the position is wherever the caller left it
    assert package_validate(upload).title == "Trafficking indicators"


def test_installed_dependency_is_accepted_and_listed():
    asked = []

    def is_installed(ref):
        asked.append(ref)
        return ref == HELPER

    data = h5p_json(preloadedDependencies=[
        {"machineName": "LMS.Sample", "majorVersion": 1, "minorVersion": 0},
        {"machineName": "LMS.Helper", "majorVersion": 2, "minorVersion": 1},
    ])
    validated = package_validate(package(entries(**{"h5p.json": data})), is_installed=is_installed)

    assert validated.needs_installed == (HELPER,)
    assert asked == [HELPER]  # never asked about a library the package carries


def test_transitive_installed_dependency_is_listed():
    helper = {"machineName": "LMS.Helper", "majorVersion": 2, "minorVersion": 1}
    upload = package(entries(**{"LMS.Sample-1.0/library.json": library_json(preloadedDependencies=[helper])}))
    assert package_validate(upload, is_installed=lambda ref: ref == HELPER).needs_installed == (HELPER,)


def test_versions_given_as_digit_strings_are_accepted():
    dependency = {"machineName": "LMS.Sample", "majorVersion": "1", "minorVersion": "0"}
    upload = package(entries(**{
        "h5p.json": h5p_json(preloadedDependencies=[dependency]),
        "LMS.Sample-1.0/library.json": library_json(majorVersion="1", minorVersion="0", patchVersion="12"),
    }))
    validated = package_validate(upload)
    assert validated.main_library == SAMPLE
    assert validated.libraries["LMS.Sample-1.0"].patch == 12


def test_not_a_zip_is_refused(tmp_path):
    assert_refused(io.BytesIO(b"PK but not really a zip archive"), "not_zip", errors.NOT_ZIP)
    path = tmp_path / "fake.h5p"
    path.write_text("<html>hello</html>")
    assert_refused(path, "not_zip", errors.NOT_ZIP)


def test_encrypted_entry_is_refused():
    upload = central_patch(package(), "content/content.json", flag_bits=0x1)
    assert_refused(upload, "encrypted", errors.ENCRYPTED_FILE)


def test_unsupported_compression_is_refused():
    info = zipfile.ZipInfo("content/notes.txt")
    info.compress_type = zipfile.ZIP_BZIP2
    assert_refused(package(extra=[(info, b"notes")]), "unsupported_compression", errors.UNSUPPORTED_COMPRESSION)


def test_missing_h5p_json_is_refused():
    assert_refused(package(entries(**{"h5p.json": None})), "h5p_json_missing", errors.H5P_JSON_MISSING)


@pytest.mark.parametrize(
    ("h5p", "code", "template"),
    [
        (b"{not json", "h5p_json_invalid", errors.H5P_JSON_INVALID),
        (b"\xff\xfe{}", "h5p_json_invalid", errors.H5P_JSON_INVALID),
        ([h5p_json()], "h5p_json_invalid", errors.H5P_JSON_INVALID),
        (h5p_json(title=None), "h5p_json_field", errors.H5P_JSON_FIELD),
        (h5p_json(title="  "), "h5p_json_field", errors.H5P_JSON_FIELD),
        (h5p_json(language=["en"]), "h5p_json_field", errors.H5P_JSON_FIELD),
        (h5p_json(mainLibrary=None), "h5p_json_field", errors.H5P_JSON_FIELD),
        (h5p_json(preloadedDependencies=[]), "h5p_json_field", errors.H5P_JSON_FIELD),
        (h5p_json(preloadedDependencies=[{"machineName": "LMS.Sample", "majorVersion": 1}]), "h5p_json_field",
         errors.H5P_JSON_FIELD),
        (h5p_json(preloadedDependencies=[{"machineName": "LMS.Sample", "majorVersion": True, "minorVersion": 0}]),
         "h5p_json_field", errors.H5P_JSON_FIELD),
        (h5p_json(preloadedDependencies=[{"machineName": "../x", "majorVersion": 1, "minorVersion": 0}]),
         "h5p_json_field", errors.H5P_JSON_FIELD),
        (h5p_json(mainLibrary="LMS.Other"), "main_library_not_dependency", errors.MAIN_LIBRARY_NOT_DEPENDENCY),
    ],
)
def test_broken_h5p_json_is_refused(h5p, code, template):
    assert_refused(package(entries(**{"h5p.json": h5p})), code, template)


def test_missing_content_json_is_refused():
    upload = package(entries(**{"content/content.json": None}))
    assert_refused(upload, "content_json_missing", errors.CONTENT_JSON_MISSING)


@pytest.mark.parametrize("content", [b"{'single': 'quotes'}", b"", b'"text"', [1, 2]])
def test_broken_content_json_is_refused(content):
    upload = package(entries(**{"content/content.json": content}))
    assert_refused(upload, "content_json_invalid", errors.CONTENT_JSON_INVALID)


@pytest.mark.parametrize(
    ("name", "code", "template"),
    [
        ("../evil.json", "unsafe_path", errors.UNSAFE_PATH),
        ("content/../../evil.json", "unsafe_path", errors.UNSAFE_PATH),
        ("/etc/evil.json", "unsafe_path", errors.UNSAFE_PATH),
        ("C:/Windows/evil.json", "unsafe_path", errors.UNSAFE_PATH),
        ("c:evil.json", "unsafe_path", errors.UNSAFE_PATH),
        ("content\\..\\x.json", "backslash_path", errors.BACKSLASH_PATH),
        ("content/a\x01.json", "control_character", errors.CONTROL_CHARACTER),
        ("content//a.json", "malformed_path", errors.MALFORMED_PATH),
        ("content/./a.json", "malformed_path", errors.MALFORMED_PATH),
        ("__MACOSX/../evil.json", "unsafe_path", errors.UNSAFE_PATH),  # ignored names are checked first
    ],
)
def test_unsafe_names_are_refused(name, code, template):
    assert_refused(package(extra=[(name, b"{}")]), code, template)


def test_control_character_is_shown_escaped():
    error = assert_refused(package(extra=[("content/a\x1b[31m.json", b"{}")]), "control_character",
                           errors.CONTROL_CHARACTER)
    assert "\x1b" not in str(error) and "\\x1b" in str(error)


def test_symlink_entry_is_refused():
    info = zipfile.ZipInfo("content/link.json")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    assert_refused(package(extra=[(info, b"/etc/passwd")]), "symlink", errors.SYMLINK)


def test_names_differing_in_case_are_refused():
    upload = package(extra=[("content/Image.png", b"a"), ("content/image.png", b"b")])
    assert_refused(upload, "duplicate_name", errors.DUPLICATE_NAME)


def test_file_named_like_a_folder_is_refused():
    upload = package(extra=[("content/images", b"a"), ("content/images/a.png", b"b")])
    assert_refused(upload, "duplicate_name", errors.DUPLICATE_NAME)


def test_folder_entries_are_ignored():
    validated = package_validate(package(extra=[("content/", b""), ("content/images/", b"")]))
    assert validated.content_files == ("content.json",)
    assert validated.file_count == 4


def test_zip_bomb_by_ratio_of_one_file_is_refused():
    upload = package(extra=[("content/zeros.txt", bytes(10 * 1024 * 1024))])
    assert_refused(upload, "file_ratio", errors.FILE_RATIO)


def test_zip_bomb_by_overall_ratio_is_refused():
    small = [(f"content/zeros{number}.txt", bytes(60 * 1024)) for number in range(20)]
    assert_refused(package(extra=small), "package_ratio", errors.PACKAGE_RATIO)


def test_small_files_are_exempt_from_the_ratio_check():
    validated = package_validate(package(extra=[("content/zeros.txt", bytes(60 * 1024))]))
    assert "zeros.txt" in validated.content_files


def test_zip_bomb_by_total_size_is_refused():
    upload = package(extra=[("content/notes.txt", b"x" * 2000)])
    assert_refused(upload, "package_too_large", errors.PACKAGE_TOO_LARGE, limits=Limits(max_total_bytes=1000))


def test_too_large_file_is_refused():
    upload = package(extra=[("content/notes.txt", b"x" * 2000)])
    assert_refused(upload, "file_too_large", errors.FILE_TOO_LARGE, limits=Limits(max_file_bytes=1000))


def test_too_many_files_are_refused():
    assert_refused(package(), "too_many_files", errors.TOO_MANY_FILES, limits=Limits(max_files=3))


def test_oversized_json_is_refused():
    upload = package(entries(**{"content/content.json": {"text": "x" * 500}}))
    assert_refused(upload, "json_too_large", errors.JSON_TOO_LARGE, limits=Limits(max_json_bytes=100))


def test_header_understating_a_json_size_is_caught_when_read():
    upload = central_patch(package(), "content/content.json", file_size=4)
    assert_refused(upload, "damaged_file", errors.DAMAGED_FILE)


@pytest.mark.parametrize("name", ["content/evil.exe", "content/README", "LMS.Sample-1.0/evil.php", "content/app.js"])
def test_disallowed_extension_is_refused(name):
    assert_refused(package(extra=[(name, b"x")]), "file_type", errors.FILE_TYPE)


def test_library_only_types_are_accepted_in_libraries():
    validated = package_validate(package(extra=[("LMS.Sample-1.0/styles/sample.CSS", b"p{}")]))
    assert "styles/sample.CSS" in validated.libraries["LMS.Sample-1.0"].files


@pytest.mark.parametrize("name", ["content/page.html", "content/page.HTM", "LMS.Sample-1.0/frame.html"])
def test_html_is_refused_anywhere(name):
    assert_refused(package(extra=[(name, b"<script>alert(1)</script>")]), "html_file", errors.HTML_FILE)


@pytest.mark.parametrize(
    "name",
    [
        "README.md", "readme.txt", "content.json", "index.html", "notes.exe",  # top-level files but h5p.json
        ".DS_Store", "content/.secret.json", "content/.git/config.txt", "__MACOSX/content/._content.json",
        "_notes/todo.txt", "content/_draft.json", "LMS.Sample-1.0/.eslintrc", "LMS.Sample-1.0/_build/x.exe",
    ],
)
def test_files_h5p_ignores_are_ignored_not_refused(name):
    """As H5P's validator does: never read, never extracted (they are not among the names returned)."""
    validated = package_validate(package(extra=[(name, b"<script>not even JSON{")]))
    assert validated.content_files == ("content.json",)
    assert validated.libraries["LMS.Sample-1.0"].files == ("library.json", "sample.js")
    assert validated.file_count == 4


def test_ignored_entries_may_be_symlinks_or_odd_since_they_are_never_extracted():
    info = zipfile.ZipInfo("__MACOSX/link")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    validated = package_validate(package(extra=[(info, b"/etc/passwd"), ("__MACOSX/", b"")]))
    assert validated.file_count == 4


@pytest.mark.parametrize("name", ["LMS.Sample-1.0/language/ru.json", "content/language/tk.json"])
def test_language_files_are_parsed(name):
    validated = package_validate(package(extra=[(name, json.dumps({"semantics": [{"label": "Метка"}]}).encode())]))
    assert validated.file_count == 5
    for broken in (b"{'semantics': []}", b"[1, 2]", b"\xff\xfe"):
        error = assert_refused(package(extra=[(name, broken)]), "language_json_invalid", errors.LANGUAGE_JSON_INVALID)
        assert name in str(error)


def test_a_library_needing_a_newer_core_is_refused_with_both_versions():
    newer = {"majorVersion": PLAYER_CORE_API[0], "minorVersion": PLAYER_CORE_API[1] + 1}
    upload = package(entries(**{"LMS.Sample-1.0/library.json": library_json(coreApi=newer)}))
    error = assert_refused(upload, "core_api_too_new", errors.CORE_API_TOO_NEW)
    assert "LMS.Sample 1.0" in str(error)
    assert f"{PLAYER_CORE_API[0]}.{PLAYER_CORE_API[1] + 1}" in str(error)
    assert "{}.{}".format(*PLAYER_CORE_API) in str(error)
    upload = package(entries(**{"LMS.Sample-1.0/library.json": library_json(coreApi={"majorVersion": 2, "minorVersion": 0})}))
    assert_refused(upload, "core_api_too_new", errors.CORE_API_TOO_NEW)


@pytest.mark.parametrize("core_api", [{"majorVersion": 1, "minorVersion": 28}, {"majorVersion": 1, "minorVersion": 19},
                                      {"majorVersion": "1", "minorVersion": "5"}, {"majorVersion": 1}])
def test_a_library_within_the_players_core_is_accepted(core_api):
    upload = package(entries(**{"LMS.Sample-1.0/library.json": library_json(coreApi=core_api)}))
    assert package_validate(upload).libraries["LMS.Sample-1.0"].library_json["coreApi"] == core_api


@pytest.mark.parametrize("core_api", ["1.24", [1, 24], {"majorVersion": "one", "minorVersion": 2}, {}])
def test_a_malformed_core_api_is_refused(core_api):
    upload = package(entries(**{"LMS.Sample-1.0/library.json": library_json(coreApi=core_api)}))
    error = assert_refused(upload, "library_json_field", errors.LIBRARY_JSON_FIELD)
    assert "coreApi" in str(error)


def test_the_players_core_api_matches_the_bundled_player():
    """PLAYER_CORE_API names the core h5p-standalone bundles: its theme stylesheets came after core API 1.27.

    When the player in package.json is upgraded, this fails until someone checks the constant again."""
    dist = Path(__file__).resolve().parents[2] / "node_modules" / "h5p-standalone"
    if not dist.is_dir():
        pytest.skip("node_modules/h5p-standalone is not installed (npm ci)")
    assert json.loads((dist / "package.json").read_text())["version"] == "3.8.2"
    assert "h5p-theme" in (dist / "dist" / "styles" / "h5p.css").read_text()
    assert PLAYER_CORE_API == (1, 28)


def test_folder_without_library_json_is_refused():
    upload = package(extra=[("Other-1.0/other.js", b"")])
    assert_refused(upload, "library_json_missing", errors.LIBRARY_JSON_MISSING)


def test_broken_library_json_is_refused():
    upload = package(entries(**{"LMS.Sample-1.0/library.json": b"{"}))
    assert_refused(upload, "library_json_invalid", errors.LIBRARY_JSON_INVALID)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"patchVersion": None}, "patchVersion"),
        ({"machineName": "LMS Sample"}, "machineName"),
        ({"majorVersion": -1}, "majorVersion"),
        ({"minorVersion": "1.0"}, "minorVersion"),
        ({"title": 5}, "title"),
        ({"preloadedDependencies": {"machineName": "LMS.Helper"}}, "preloadedDependencies"),
        ({"preloadedJs": [{"file": "sample.js"}]}, "preloadedJs"),
        ({"preloadedCss": "sample.css"}, "preloadedCss"),
    ],
)
def test_invalid_library_json_field_is_refused(changes, field):
    upload = package(entries(**{"LMS.Sample-1.0/library.json": library_json(**changes)}))
    error = assert_refused(upload, "library_json_field", errors.LIBRARY_JSON_FIELD)
    assert error.params == {"name": "LMS.Sample-1.0/library.json", "field": field}


def test_library_folder_not_matching_library_json_is_refused():
    upload = package(entries(**{
        "LMS.Sample-1.0/library.json": library_json(minorVersion=2),
    }))
    error = assert_refused(upload, "library_folder_mismatch", errors.LIBRARY_FOLDER_MISMATCH)
    assert error.params["expected"] == "LMS.Sample-1.2"


def test_missing_preloaded_file_is_refused():
    upload = package(entries(**{"LMS.Sample-1.0/sample.js": None}))
    error = assert_refused(upload, "library_file_missing", errors.LIBRARY_FILE_MISSING)
    assert error.params == {"library": "LMS.Sample 1.0", "name": "sample.js"}


def test_missing_transitive_dependency_is_refused():
    helper = {"machineName": "LMS.Helper", "majorVersion": 2, "minorVersion": 1}
    upload = package(entries(**{"LMS.Sample-1.0/library.json": library_json(preloadedDependencies=[helper])}))
    error = assert_refused(upload, "missing_library", errors.MISSING_LIBRARY)
    assert error.params == {"library": "LMS.Helper 2.1"}
    assert "LMS.Helper 2.1" in str(error.message)


def test_missing_main_library_is_refused():
    upload = package(entries(**{"LMS.Sample-1.0/library.json": None, "LMS.Sample-1.0/sample.js": None}))
    assert_refused(upload, "missing_library", errors.MISSING_LIBRARY)


def test_dependency_cycle_terminates():
    sample = {"machineName": "LMS.Sample", "majorVersion": 1, "minorVersion": 0}
    upload = package(entries(**{"LMS.Sample-1.0/library.json": library_json(preloadedDependencies=[sample])}))
    assert package_validate(upload).needs_installed == ()
