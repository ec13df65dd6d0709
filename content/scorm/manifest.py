"""Read a SCORM manifest (imsmanifest.xml) into the SCOs a learner can launch. No ORM, no files.

SCORM 1.2 and SCORM 2004 (2nd to 4th edition) write the same IMS content-package shape with other
namespaces, and 1.2 spells the attribute ``adlcp:scormtype`` where 2004 writes ``adlcp:scormType``; so
elements are matched by local name and the version is read from ``<schemaversion>`` (or, when a tool
leaves it out, from the ADL namespace). The XML is parsed with defusedxml: no DTD entities, no
external references (XXE). The default organization's leaf items that point at a resource of type
sco become the SCOs, in the order of the tree; sequencing rules of SCORM 2004 are not run (the
learner chooses a SCO from the menu).
"""

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from . import exceptions as errors
from .exceptions import ScormPackageError

SCORM_12 = "1.2"
SCORM_2004 = "2004"
MAX_SCOS = 500
MAX_TITLE = 255
ADL_12 = "adlcp_rootv1p2"
ADL_2004 = "adlcp_v1p3"
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class Sco:
    identifier: str  # the item's identifier, unique in the manifest
    title: str
    launch: str  # the file path in the package (posix, no query)
    query: str  # the launch address's query with the item's parameters, without "?"
    mastery_score: str = ""  # SCORM 1.2 adlcp:masteryscore
    launch_data: str = ""  # adlcp:datafromlms / adlcp:dataFromLMS

    def as_dict(self) -> dict:
        return {
            "identifier": self.identifier, "title": self.title, "launch": self.launch, "query": self.query,
            "mastery_score": self.mastery_score, "launch_data": self.launch_data,
        }


@dataclass(frozen=True)
class Manifest:
    version: str  # SCORM_12 or SCORM_2004
    schema_version: str  # as written, e.g. "2004 4th Edition"
    title: str
    scos: tuple[Sco, ...]


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _namespace(tag) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _child(element: Element, name: str) -> Element | None:
    return next(iter(_children(element, name)), None)


def _text(element: Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def _attribute(element: Element, name: str) -> str:
    """The value of an attribute by local name, ignoring its namespace and letter case."""
    for key, value in element.attrib.items():
        if _local(key).lower() == name.lower():
            return value.strip()
    return ""


def _title(element: Element, fallback: str) -> str:
    return (_text(_child(element, "title")) or fallback)[:MAX_TITLE]


def _version(root: Element) -> tuple[str, str]:
    metadata = _child(root, "metadata")
    written = _text(_child(metadata, "schemaversion")) if metadata is not None else ""
    if written == "1.2":
        return SCORM_12, written
    if "2004" in written or written.startswith("CAM 1.3") or written == "1.3":
        return SCORM_2004, written
    namespaces = {_namespace(key) for element in root.iter() for key in element.attrib} | {
        _namespace(element.tag) for element in root.iter()
    }
    namespaces |= {value for key, value in root.attrib.items() if "schemaLocation" in key}
    joined = " ".join(namespaces)
    if not written and ADL_2004 in joined:
        return SCORM_2004, written
    if not written and ADL_12 in joined:
        return SCORM_12, written
    raise ScormPackageError(errors.VERSION_UNKNOWN, code="version_unknown", params={"version": written or "—"})


def _base(*elements: Element) -> str:
    """The xml:base of the resources and the resource (relative folders), joined."""
    parts = [_attribute(element, "base") for element in elements if element is not None]
    return "".join(part if part.endswith("/") or not part else part + "/" for part in parts)


def _launch(*, href: str, base: str, parameters: str, title: str) -> tuple[str, str]:
    """Return the package path and the query of a launch address, refusing one that leaves the package."""
    address = base + href
    split = urlsplit(address)
    path = unquote(split.path)
    normalised = posixpath.normpath(path) if path else ""
    if (
        not path or _SCHEME.match(address) or split.netloc or path.startswith("/") or "\\" in path
        or normalised.startswith("..") or normalised in (".", "")
    ):
        raise ScormPackageError(errors.LAUNCH_INVALID, code="launch_invalid", params={"title": title, "href": address[:200]})
    query = split.query
    parameters = parameters.strip()
    if parameters:
        if parameters.startswith("#"):
            parameters = ""
        parameters = parameters.lstrip("?&")
        query = f"{query}&{parameters}" if query and parameters else (query or parameters)
    return normalised, query


def manifest_parse(data: bytes) -> Manifest:
    """Return the package's version, title and SCOs, or raise ``ScormPackageError``."""
    try:
        root = fromstring(data)
    except (ParseError, DefusedXmlException, ValueError) as error:
        detail = str(error)[:200] or error.__class__.__name__
        raise ScormPackageError(errors.MANIFEST_INVALID, code="manifest_invalid", params={"detail": detail}) from None
    if _local(root.tag) != "manifest":
        raise ScormPackageError(errors.MANIFEST_NOT_MANIFEST, code="manifest_not_manifest")
    version, schema_version = _version(root)
    organizations = _child(root, "organizations")
    candidates = _children(organizations, "organization") if organizations is not None else []
    if not candidates:
        raise ScormPackageError(errors.NO_ORGANIZATION, code="no_organization")
    default = _attribute(organizations, "default")
    organization = next((item for item in candidates if _attribute(item, "identifier") == default), candidates[0])
    resources_element = _child(root, "resources")
    resources = {}
    for resource in _children(resources_element, "resource") if resources_element is not None else []:
        resources[_attribute(resource, "identifier")] = resource
    scos: list[Sco] = []
    seen: set[str] = set()

    def walk(element: Element) -> None:
        for item in _children(element, "item"):
            if _attribute(item, "isvisible").lower() == "false":
                continue
            reference = _attribute(item, "identifierref")
            resource = resources.get(reference) if reference else None
            if resource is not None and _attribute(resource, "scormtype").lower() == "sco":
                identifier = _attribute(item, "identifier")[:200] or reference[:200]
                title = _title(item, identifier)
                if identifier in seen:
                    continue
                seen.add(identifier)
                launch, query = _launch(
                    href=_attribute(resource, "href"), base=_base(resources_element, resource),
                    parameters=_attribute(item, "parameters"), title=title,
                )
                scos.append(Sco(
                    identifier=identifier, title=title, launch=launch, query=query,
                    mastery_score=_text(_child(item, "masteryscore"))[:10],
                    launch_data=(_text(_child(item, "datafromlms")) or _text(_child(item, "dataFromLMS")))[:4096],
                ))
                if len(scos) > MAX_SCOS:
                    raise ScormPackageError(
                        errors.TOO_MANY_SCOS, code="too_many_scos", params={"count": f"{MAX_SCOS}+", "limit": MAX_SCOS}
                    )
            walk(item)

    walk(organization)
    if not scos:
        raise ScormPackageError(errors.NO_SCO, code="no_sco")
    return Manifest(version=version, schema_version=schema_version[:50], title=_title(organization, "SCORM"), scos=tuple(scos))
