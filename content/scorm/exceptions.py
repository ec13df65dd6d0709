"""The error that refuses an uploaded SCORM package, and the messages of the manifest checks.

The zip archive itself is checked by ``content.zipcheck`` (shared with H5P), whose messages it carries too.
"""

from django.utils.translation import gettext_lazy as _

from content.zipcheck import DAMAGED_FILE, PackageRefused  # noqa: F401 (DAMAGED_FILE re-exported)

NOT_ZIP = _("The file is not a valid SCORM package: it is not a zip archive.")
MANIFEST_MISSING = _(
    "The package has no imsmanifest.xml file at its top level, so it is not a SCORM package. "
    "Export it again as SCORM 1.2 or SCORM 2004."
)
MANIFEST_IN_FOLDER = _(
    "The file imsmanifest.xml is inside the folder %(folder)s, not at the top level of the zip. "
    "Zip the contents of that folder, not the folder itself."
)
AICC_PACKAGE = _(
    "This is an AICC package (it has .au and .crs files), which is not supported. "
    "Export it again as SCORM 1.2 or SCORM 2004."
)
MANIFEST_TOO_LARGE = _("The file imsmanifest.xml is too large; the limit is %(limit)s.")
MANIFEST_INVALID = _("The file imsmanifest.xml is not valid XML: %(detail)s")
MANIFEST_NOT_MANIFEST = _("The file imsmanifest.xml does not describe a content package (its root is not <manifest>).")
VERSION_UNKNOWN = _(
    "The manifest does not say which SCORM version the package uses (schemaversion %(version)s). "
    "Only SCORM 1.2 and SCORM 2004 are supported."
)
NO_ORGANIZATION = _("The manifest has no organization, so the package has no lessons to play.")
NO_SCO = _("The manifest names no SCO (a resource with scormType sco) that a learner could launch.")
TOO_MANY_SCOS = _("The package has too many SCOs (%(count)s); the limit is %(limit)s.")
LAUNCH_MISSING = _("The SCO %(title)s launches %(href)s, which is not in the package.")
LAUNCH_INVALID = _("The SCO %(title)s has a launch address that is not a file of the package: %(href)s")


class ScormPackageError(PackageRefused):
    """An uploaded SCORM package is refused; ``message`` says why, ``code`` tells cases apart."""
