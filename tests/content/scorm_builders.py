"""SCORM packages that tests build: valid 1.2 and 2004, multi-SCO, and broken ones."""

import io
import zipfile

from content.seed.scorm.package import manifest_xml, package_build, zip_bytes

PAGE = "<!doctype html><html lang=\"en\"><head><title>SCO</title></head><body><p>SCO</p></body></html>"


def scorm_zip(*, version: str = "1.2", scos=None, extra: dict | None = None, manifest: str | None = None,
              folder: str = "") -> bytes:
    """A package whose SCOs are (identifier, title, href); each href gets a page unless ``extra`` says otherwise."""
    scos = scos or [("sco-1", "Part one", "index.html")]
    files = {f"{folder}{href.split('?')[0]}": PAGE for _identifier, _title, href in scos}
    files[f"{folder}imsmanifest.xml"] = manifest if manifest is not None else manifest_xml(
        version=version, title="Test package", scos=scos
    )
    files.update(extra or {})
    return zip_bytes({name: value for name, value in files.items() if value is not None})


def seed_zip(version: str, language: str = "en") -> bytes:
    return package_build(version=version, language=language)


def raw_zip(entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return buffer.getvalue()
