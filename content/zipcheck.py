"""Checks of an uploaded zip archive (an H5P or a SCORM package) from its central directory alone.

Nothing is extracted here, so a refused archive never leaves a file behind. An archive is refused when:

- a name could land outside the extraction folder (zip slip): absolute paths, drive letters, ``..``,
  backslashes (a separator on Windows), control characters, empty segments; or an entry is a
  symbolic link, which could point anywhere once extracted;
- it would unpack into far more than it weighs (zip bomb): too many entries, too many bytes in total
  or in one entry, too high a compression ratio. Those sizes are the ones the central directory
  declares; ``zipfile`` never yields more than the declared size of an entry (and then fails its
  CRC check), so a lying header cannot exhaust memory;
- two names differ only in letter case or Unicode form, so one would overwrite the other on some disks.

Hidden entries are not refused: each format decides what it leaves out (H5P through ``ignored``, SCORM after
the checks).

Each package format raises its own error class (a ``PackageRefused``), with the messages below.
"""

import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO, NoReturn

from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

DAMAGED_FILE = _("The package is damaged: %(name)s cannot be read. Export it again and upload the new file.")
ENCRYPTED_FILE = _("The package contains an encrypted file: %(name)s. Export it again without a password.")
UNSUPPORTED_COMPRESSION = _(
    "The package compresses %(name)s in a way that is not supported. Export it again with ordinary zip compression."
)
TOO_MANY_FILES = _("The package has too many files (%(count)s); the limit is %(limit)s.")
PACKAGE_TOO_LARGE = _("The package is too large when unpacked (%(size)s); the limit is %(limit)s.")
FILE_TOO_LARGE = _("The file %(name)s is too large when unpacked (%(size)s); the limit is %(limit)s.")
FILE_RATIO = _(
    "The file %(name)s grows suspiciously when unpacked (%(ratio)s times its packed size); "
    "the limit is %(limit)s times."
)
PACKAGE_RATIO = _(
    "The package grows suspiciously when unpacked (%(ratio)s times its packed size); the limit is %(limit)s times."
)
UNSAFE_PATH = _("The package contains a path that leaves its folder: %(name)s")
BACKSLASH_PATH = _("The package contains a path with a backslash: %(name)s. Folders must be separated by /.")
CONTROL_CHARACTER = _("The package contains a file name with control characters: %(name)s")
MALFORMED_PATH = _("The package contains a path with an empty or '.' part: %(name)s")
SYMLINK = _("The package contains a symbolic link, which is not allowed: %(name)s")
DUPLICATE_NAME = _("The package contains the same name twice (ignoring letter case): %(name)s")

# package tools write deflate; other methods only widen what a crafted archive can ask of the decompressor
COMPRESSIONS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
# Small entries cannot make a bomb, and tiny JSON or text files compress very well.
RATIO_EXEMPT_BYTES = 64 * 1024
ENCRYPTED_FLAG = 0x1
DRIVE = re.compile(r"[A-Za-z]:")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
SHOWN_NAME_CHARS = 200

size_label = lazy(filesizeformat, str)


def _interpolate(template: str, params: dict) -> str:
    return str(template) % params


# Formatting happens when the message is shown, so it comes out in the language of whoever reads it.
_interpolate_lazy = lazy(_interpolate, str)


class PackageRefused(Exception):
    """An uploaded package is refused; ``message`` says why, ``code`` lets code and tests tell cases apart."""

    def __init__(self, template: str | Promise, *, code: str, params: dict | None = None) -> None:
        self.template = template
        self.code = code
        self.params = params or {}
        self.message = _interpolate_lazy(template, self.params)
        super().__init__(code)

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class ZipLimits:
    max_files: int = 2000  # entries in the archive, folders included
    max_total_bytes: int = 200 * 1024 * 1024
    max_file_bytes: int = 100 * 1024 * 1024
    max_ratio: float = 100.0  # unpacked / packed, per entry of RATIO_EXEMPT_BYTES or more, and overall


def zip_open(file: "str | IO[bytes]", *, error: type[PackageRefused], not_zip) -> zipfile.ZipFile:
    """Open ``file`` as a zip archive, or raise ``error`` with the message ``not_zip``."""
    if hasattr(file, "seek"):
        file.seek(0)
    try:
        if not zipfile.is_zipfile(file):
            raise zipfile.BadZipFile
        if hasattr(file, "seek"):
            file.seek(0)
        return zipfile.ZipFile(file)
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise error(not_zip, code="not_zip") from exc


def shown(name: str) -> str:
    """Return a name fit for a message: control characters escaped, length capped."""
    escaped = CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", name)
    return escaped if len(escaped) <= SHOWN_NAME_CHARS else escaped[:SHOWN_NAME_CHARS] + "…"


def fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _ratio(unpacked: int, packed: int) -> str:
    return f"{unpacked / packed:.0f}" if packed else "∞"


def entries_check(
    *, infos: list[zipfile.ZipInfo], limits, error: type[PackageRefused], ignored=None
) -> dict[str, zipfile.ZipInfo]:
    """Return the file entries by name, having refused from the central directory alone anything unsafe.

    ``limits`` is any object with the fields of ``ZipLimits``. ``ignored(name, folder=…)``, when given, names
    entries the format skips (once their names have passed the path checks): they are left out of the
    result, so never read nor extracted, and do not count towards the sizes.
    """

    def refuse(template, code: str, **params) -> NoReturn:
        raise error(template, code=code, params=params)

    if len(infos) > limits.max_files:
        refuse(TOO_MANY_FILES, "too_many_files", count=len(infos), limit=limits.max_files)
    files, seen = {}, set()
    packed = 0
    for info in infos:
        # zipfile cuts a name at its first NUL; the original shows what other tools would make of it.
        name, label = info.orig_filename, shown(info.orig_filename)
        _name_check(name=name, label=label, refuse=refuse)
        if ignored is not None and ignored(name.removesuffix("/"), folder=info.is_dir()):
            continue
        if stat.S_ISLNK(info.external_attr >> 16):
            refuse(SYMLINK, "symlink", name=label)
        if info.flag_bits & ENCRYPTED_FLAG:
            refuse(ENCRYPTED_FILE, "encrypted", name=label)
        key = fold(name.removesuffix("/"))
        if key in seen:
            refuse(DUPLICATE_NAME, "duplicate_name", name=label)
        seen.add(key)
        if info.is_dir():
            continue
        if info.compress_type not in COMPRESSIONS:
            refuse(UNSUPPORTED_COMPRESSION, "unsupported_compression", name=label)
        if info.file_size > limits.max_file_bytes:
            refuse(FILE_TOO_LARGE, "file_too_large", name=label, size=size_label(info.file_size),
                   limit=size_label(limits.max_file_bytes))
        if info.file_size >= RATIO_EXEMPT_BYTES and info.file_size > limits.max_ratio * info.compress_size:
            refuse(FILE_RATIO, "file_ratio", name=label, ratio=_ratio(info.file_size, info.compress_size),
                   limit=f"{limits.max_ratio:g}")
        files[name] = info
        packed += info.compress_size
    total = sum(info.file_size for info in files.values())
    if total > limits.max_total_bytes:
        refuse(PACKAGE_TOO_LARGE, "package_too_large", size=size_label(total), limit=size_label(limits.max_total_bytes))
    if total >= RATIO_EXEMPT_BYTES and total > limits.max_ratio * packed:
        refuse(PACKAGE_RATIO, "package_ratio", ratio=_ratio(total, packed), limit=f"{limits.max_ratio:g}")
    # A file named like another file's folder cannot be extracted next to it.
    folders = {fold(name).rsplit("/", depth)[0] for name in files for depth in range(1, name.count("/") + 1)}
    clash = next((name for name in files if fold(name) in folders), None)
    if clash is not None:
        refuse(DUPLICATE_NAME, "duplicate_name", name=shown(clash))
    return files


def _name_check(*, name: str, label: str, refuse) -> None:
    if CONTROL.search(name):
        refuse(CONTROL_CHARACTER, "control_character", name=label)
    if "\\" in name:
        refuse(BACKSLASH_PATH, "backslash_path", name=label)
    segments = name.removesuffix("/").split("/")  # a folder entry ends with one slash
    if name.startswith("/") or DRIVE.match(name) or ".." in segments:
        refuse(UNSAFE_PATH, "unsafe_path", name=label)
    if "" in segments or "." in segments:
        refuse(MALFORMED_PATH, "malformed_path", name=label)
