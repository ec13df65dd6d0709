"""Virus scanning of uploads with ClamAV's daemon (clamd), optional and off by default.

When ``CLAMD_SOCKET`` (a Unix socket) or ``CLAMD_HOST``/``CLAMD_PORT`` is set, every upload is streamed to
clamd before anything is stored: H5P packages, Wagtail documents and images, and the imports (rosters, OJT
records, paper answer sheets, question files). ``upload_scan`` is the one hook every upload path calls.

The INSTREAM protocol is small enough to speak directly (no extra dependency): send ``zINSTREAM\\0``, then
the file in chunks, each after its length as 4 bytes big-endian, then a zero length; clamd answers
``stream: OK``, ``stream: <signature> FOUND`` or ``... ERROR``. A configured clamd that cannot be reached
or answers nonsense refuses the upload (fail closed) and is logged.
"""

import logging
import socket
import struct

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)

INFECTED = _("The file was refused: the virus scanner found %(signature)s in it. Nothing was stored.")
SCANNER_UNAVAILABLE = _(
    "The file cannot be checked for viruses now, so it was not accepted. Try again later or tell the site "
    "administrator."
)
TOO_LARGE_TO_SCAN = _(
    "The file is larger than the virus scanner is set to check, so it was not accepted. Tell the site "
    "administrator (clamd's StreamMaxLength)."
)

CHUNK = 64 * 1024


class UploadRefused(Exception):
    """An upload the virus scanner refused, or could not check; ``message`` says which, for the uploader."""

    def __init__(self, message, *, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


def scanner_configured() -> bool:
    return bool(getattr(settings, "CLAMD_SOCKET", "") or getattr(settings, "CLAMD_HOST", ""))


def _connect() -> socket.socket:
    timeout = getattr(settings, "CLAMD_TIMEOUT", 30)
    if getattr(settings, "CLAMD_SOCKET", ""):
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(timeout)
        connection.connect(settings.CLAMD_SOCKET)
        return connection
    return socket.create_connection((settings.CLAMD_HOST, int(getattr(settings, "CLAMD_PORT", 3310))), timeout=timeout)


def clamd_instream(stream) -> str:
    """Send ``stream`` (a binary file object) to clamd and return its reply, e.g. ``stream: OK``.

    Raises ``OSError`` (``TimeoutError`` among them) when clamd cannot be reached or stops answering.
    """
    with _connect() as connection:
        try:
            connection.sendall(b"zINSTREAM\0")
            while chunk := stream.read(CHUNK):
                connection.sendall(struct.pack(">I", len(chunk)) + chunk)
            connection.sendall(struct.pack(">I", 0))
        except (BrokenPipeError, ConnectionResetError):
            pass  # clamd stops reading past its StreamMaxLength; its reply says so
        reply = b""
        while not reply.endswith(b"\0"):
            part = connection.recv(4096)
            if not part:
                break
            reply += part
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def upload_scan(upload) -> None:
    """Refuse ``upload`` (``UploadRefused``) when clamd finds a virus in it or cannot check it.

    Does nothing when no scanner is configured. The file is read from its start and left at its start.
    """
    if not scanner_configured() or upload is None:
        return
    name = getattr(upload, "name", "") or "upload"
    upload.seek(0)
    try:
        reply = clamd_instream(upload)
    except OSError as error:
        log.error("Virus scanner unreachable, upload %r refused: %s", name, error)
        raise UploadRefused(SCANNER_UNAVAILABLE, code="scanner_unavailable") from None
    finally:
        upload.seek(0)
    if reply.endswith(" FOUND"):
        signature = reply.removeprefix("stream:").removesuffix("FOUND").strip()
        log.warning("Virus scanner found %s in upload %r: refused", signature, name)
        raise UploadRefused(INFECTED % {"signature": signature}, code="virus_found")
    if "size limit exceeded" in reply:
        log.error("Upload %r is larger than clamd's StreamMaxLength: refused", name)
        raise UploadRefused(TOO_LARGE_TO_SCAN, code="too_large_to_scan")
    if reply != "stream: OK":
        log.error("Virus scanner answered %r for upload %r: refused", reply, name)
        raise UploadRefused(SCANNER_UNAVAILABLE, code="scanner_unavailable")


def validate_upload(upload) -> None:
    """The form-field validator form of ``upload_scan`` (``forms.FileField(validators=[validate_upload])``)."""
    try:
        upload_scan(upload)
    except UploadRefused as error:
        raise ValidationError(error.message, code=error.code) from None
