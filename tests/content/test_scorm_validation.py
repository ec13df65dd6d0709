"""Validating SCORM packages: the zip checks shared with H5P, and the manifest of SCORM 1.2 and 2004."""

import io
import stat
import zipfile

import pytest

from content.scorm import exceptions as errors
from content.scorm.exceptions import ScormPackageError
from content.scorm.manifest import manifest_parse
from content.scorm.validation import Limits, scorm_validate
from tests.content.scorm_builders import raw_zip, scorm_zip, seed_zip


def refused(data: bytes, code: str, template=None, **kwargs) -> ScormPackageError:
    with pytest.raises(ScormPackageError) as error:
        scorm_validate(io.BytesIO(data), **kwargs)
    assert error.value.code == code
    if template is not None:
        assert error.value.template == template
    return error.value


@pytest.mark.parametrize("version, schema", [("1.2", "1.2"), ("2004", "2004 4th Edition")])
def test_seed_packages_are_valid(version, schema):
    validated = scorm_validate(io.BytesIO(seed_zip(version, "tk")))
    assert validated.manifest.version == version
    assert validated.manifest.schema_version == schema
    assert [sco.launch for sco in validated.manifest.scos] == ["index.html"]
    assert set(validated.files) == {"imsmanifest.xml", "index.html", "module.js", "module.css"}


def test_2004_third_edition_and_a_manifest_without_schemaversion_are_read_by_their_namespace():
    third = scorm_zip(version="2004", manifest=None)
    assert scorm_validate(io.BytesIO(third)).manifest.version == "2004"
    from content.seed.scorm.package import manifest_xml

    for version in ("1.2", "2004"):
        manifest = manifest_xml(version=version, title="T", scos=[("a", "A", "index.html")], schema="")
        assert scorm_validate(io.BytesIO(scorm_zip(manifest=manifest))).manifest.version == version
    manifest = manifest_xml(version="2004", title="T", scos=[("a", "A", "index.html")], schema="2004 3rd Edition")
    assert scorm_validate(io.BytesIO(scorm_zip(manifest=manifest))).manifest.schema_version == "2004 3rd Edition"


def test_multi_sco_package_lists_its_scos_in_order_with_parameters():
    manifest = """<?xml version="1.0"?>
<manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 3rd Edition</schemaversion></metadata>
  <organizations default="second">
    <organization identifier="first"><title>Not this one</title>
      <item identifier="x" identifierref="r1"><title>X</title></item></organization>
    <organization identifier="second"><title>Indicators</title>
      <item identifier="module"><title>Module</title>
        <item identifier="one" identifierref="r1" parameters="?part=1"><title>One</title></item>
        <item identifier="asset" identifierref="r3"><title>A picture</title></item>
        <item identifier="two" identifierref="r2"><title>Two</title></item>
      </item>
    </organization>
  </organizations>
  <resources xml:base="content/">
    <resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="one.html?lang=en"/>
    <resource identifier="r2" type="webcontent" adlcp:scormType="sco" xml:base="two/" href="start%20here.html"/>
    <resource identifier="r3" type="webcontent" adlcp:scormType="asset" href="picture.png"/>
  </resources>
</manifest>"""
    data = scorm_zip(manifest=manifest, extra={
        "content/one.html": "<p>1</p>", "content/two/start here.html": "<p>2</p>", "content/picture.png": b"png",
        "index.html": None,
    })
    validated = scorm_validate(io.BytesIO(data))
    assert validated.manifest.title == "Indicators"
    assert [(sco.identifier, sco.title, sco.launch, sco.query) for sco in validated.manifest.scos] == [
        ("one", "One", "content/one.html", "lang=en&part=1"),
        ("two", "Two", "content/two/start here.html", ""),
    ]


def test_scorm_12_scormtype_is_read_in_lower_case():
    manifest = manifest_parse(seed_zip_manifest("1.2"))
    assert manifest.version == "1.2" and len(manifest.scos) == 1


def seed_zip_manifest(version: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(seed_zip(version))) as archive:
        data = archive.read("imsmanifest.xml")
    assert (b'adlcp:scormtype="sco"' if version == "1.2" else b'adlcp:scormType="sco"') in data
    return data


def test_missing_manifest_is_refused():
    refused(scorm_zip(extra={"imsmanifest.xml": None}), "manifest_missing", errors.MANIFEST_MISSING)


def test_manifest_in_a_subfolder_is_refused_with_the_folder_named():
    error = refused(scorm_zip(folder="Export/"), "manifest_in_folder", errors.MANIFEST_IN_FOLDER)
    assert "Export/" in str(error)


def test_aicc_package_is_refused():
    data = raw_zip([("course.crs", b"[Course]"), ("course.au", b"[AU]"), ("course.des", b"x"), ("index.html", b"<p>")])
    refused(data, "aicc", errors.AICC_PACKAGE)


@pytest.mark.parametrize("manifest", ["<manifest", "<?xml version='1.0'?><manifest><organizations></manifest>"])
def test_bad_xml_is_refused(manifest):
    refused(scorm_zip(manifest=manifest), "manifest_invalid", errors.MANIFEST_INVALID)


def test_xml_entities_are_refused_not_expanded():
    manifest = (
        '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<manifest><organizations><organization><title>&x;</title></organization></organizations></manifest>"
    )
    refused(scorm_zip(manifest=manifest), "manifest_invalid")
    bomb = '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><manifest>&b;</manifest>'
    refused(scorm_zip(manifest=bomb), "manifest_invalid")


def test_missing_launch_file_is_refused():
    error = refused(scorm_zip(extra={"index.html": None}), "launch_missing", errors.LAUNCH_MISSING)
    assert "index.html" in str(error)


@pytest.mark.parametrize("href", ["../outside.html", "/etc/passwd", "http://example.org/sco.html", "javascript:alert(1)"])
def test_launch_address_outside_the_package_is_refused(href):
    from content.seed.scorm.package import manifest_xml

    manifest = manifest_xml(version="1.2", title="T", scos=[("a", "A", href)])
    refused(scorm_zip(manifest=manifest, extra={"index.html": "<p>"}), "launch_invalid")


def test_no_sco_and_unknown_version_are_refused():
    manifest = manifest_xml_with("adlcp:scormtype=\"asset\"")
    refused(scorm_zip(manifest=manifest), "no_sco", errors.NO_SCO)
    unknown = manifest_xml_with('adlcp:scormtype="sco"', schema="CAM 1.0", adl="http://example.org/other")
    refused(scorm_zip(manifest=unknown), "version_unknown", errors.VERSION_UNKNOWN)


def manifest_xml_with(attribute: str, schema: str = "1.2", adl: str = "http://www.adlnet.org/xsd/adlcp_rootv1p2") -> str:
    return (
        f'<manifest xmlns:adlcp="{adl}"><metadata><schemaversion>{schema}</schemaversion></metadata>'
        '<organizations default="o"><organization identifier="o"><title>T</title>'
        '<item identifier="i" identifierref="r"><title>I</title></item></organization></organizations>'
        f'<resources><resource identifier="r" {attribute} href="index.html"/></resources></manifest>'
    )


def test_zip_slip_absolute_paths_and_symlinks_are_refused():
    refused(scorm_zip(extra={"../evil.html": "x"}), "unsafe_path")
    refused(scorm_zip(extra={"/etc/evil.html": "x"}), "unsafe_path")
    refused(scorm_zip(extra={"C:/evil.html": "x"}), "unsafe_path")
    link = zipfile.ZipInfo("link.html")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    refused(raw_zip([("imsmanifest.xml", seed_zip_manifest("1.2")), ("index.html", b"<p>"), (link, b"/etc/passwd")]), "symlink")


def test_not_a_zip_is_refused():
    refused(b"PK but not really a zip", "not_zip", errors.NOT_ZIP)


def test_too_large_too_many_and_too_compressed_are_refused():
    refused(scorm_zip(extra={"big.bin": b"x" * 5000}), "package_too_large", limits=Limits(max_total_bytes=4000))
    refused(scorm_zip(extra={f"f{n}.txt": "x" for n in range(10)}), "too_many_files", limits=Limits(max_files=5))
    refused(scorm_zip(extra={"bomb.txt": b"0" * (2 * 1024 * 1024)}), "file_ratio")


def test_mac_zip_leftovers_are_neither_refused_nor_extracted():
    validated = scorm_validate(io.BytesIO(scorm_zip(extra={"__MACOSX/._index.html": b"x", ".DS_Store": b"x"})))
    assert "__MACOSX/._index.html" not in validated.files and ".DS_Store" not in validated.files
