"""The error that refuses an uploaded .h5p package, and every message it can carry.

The messages are shown to content editors in the Wagtail admin, so each one says what is wrong and,
where the editor can do something about it, what to do. Callers and tests reuse the constants.
"""

from django.utils.translation import gettext_lazy as _

# the checks of the zip archive itself are shared with SCORM packages (content.zipcheck)
from content.zipcheck import (  # noqa: F401 (re-exported: callers and tests use them from here)
    BACKSLASH_PATH,
    CONTROL_CHARACTER,
    DAMAGED_FILE,
    DUPLICATE_NAME,
    ENCRYPTED_FILE,
    FILE_RATIO,
    FILE_TOO_LARGE,
    MALFORMED_PATH,
    PACKAGE_RATIO,
    PACKAGE_TOO_LARGE,
    SYMLINK,
    TOO_MANY_FILES,
    UNSAFE_PATH,
    UNSUPPORTED_COMPRESSION,
    PackageRefused,
)

NOT_ZIP = _("The file is not a valid .h5p package: it is not a zip archive.")
HTML_FILE = _("The package contains an HTML page, which is not allowed: %(name)s")
FILE_TYPE = _("The package contains a file of a type that is not allowed: %(name)s")
JSON_TOO_LARGE = _("The file %(name)s is too large for a JSON file; the limit is %(limit)s.")
H5P_JSON_MISSING = _("The package has no h5p.json file at its top level. Export it again from an H5P editor.")
H5P_JSON_INVALID = _("The file h5p.json is not a valid JSON object. Export the package again from an H5P editor.")
H5P_JSON_FIELD = _("The file h5p.json has a missing or invalid %(field)s. Export the package again from an H5P editor.")
MAIN_LIBRARY_NOT_DEPENDENCY = _("The main library %(library)s is not listed in the preloadedDependencies of h5p.json.")
CONTENT_JSON_MISSING = _("The package has no content/content.json file. Export it again from an H5P editor.")
CONTENT_JSON_INVALID = _(
    "The file content/content.json is not a valid JSON object. Export the package again from an H5P editor."
)
LIBRARY_JSON_MISSING = _("The folder %(folder)s is not an H5P library: it has no library.json file.")
LIBRARY_JSON_INVALID = _("The file %(name)s is not a valid JSON object.")
LIBRARY_JSON_FIELD = _("The file %(name)s has a missing or invalid %(field)s.")
LIBRARY_FOLDER_MISMATCH = _("The library folder %(folder)s must be named %(expected)s to match its library.json.")
LIBRARY_FILE_MISSING = _("The library %(library)s lists the file %(name)s, which is not in the package.")
LANGUAGE_JSON_INVALID = _("The language file %(name)s is not valid JSON. Export the package again from an H5P editor.")
CORE_API_TOO_NEW = _(
    "The library %(library)s needs H5P core %(needed)s, but the player of this site has H5P core %(core)s. "
    "Export the activity with an older version of its content type, or ask an administrator to update the player."
)
MISSING_LIBRARY = _("The package needs the library %(library)s, which is neither in the package nor installed.")


class H5PPackageError(PackageRefused):
    """An uploaded .h5p package is refused; ``message`` says why, ``code`` lets code and tests tell cases apart."""
