"""Virus scanning of uploads with clamd (content.virusscan): off unless configured; when configured, a file
carrying the EICAR test signature is refused with a clear message wherever it is uploaded and nothing is
stored; a scanner that cannot be reached refuses uploads (fail closed).

The tests start Debian's clamd (clamav-daemon) with a database of one signature written here (there is no
internet to download ClamAV's own). Without clamd they are skipped, except under ``CI``, where that fails.
"""

import io
import logging
import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from django.test import override_settings
from django.utils import translation
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form

from assessments import paper
from assessments.views.question_import import ImportForm as QuestionImportForm
from content import virusscan
from content.h5p.services import h5p_package_create
from content.models import H5PLibrary, H5PPackage
from content.views import h5p_packages
from lms.cascade.forms import RosterImportForm
from lms.ojt.forms import ImportForm as OJTImportForm
from tests.content.h5p_builders import package_bytes

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SIGNATURE = "Eicar-Test-Signature"
# the smallest PNG (1x1), a valid image for Wagtail; the test signature rides after its end
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


def _clamd_binary() -> str | None:
    found = shutil.which("clamd") or "/usr/sbin/clamd"
    return found if os.access(found, os.X_OK) else None


@pytest.fixture(scope="session")
def clamd_socket(tmp_path_factory):
    """A clamd of our own on a Unix socket, with a one-signature database (EICAR), for the session."""
    binary = _clamd_binary()
    if binary is None:
        message = "clamd is not installed (Debian's clamav-daemon): the virus-scanning tests are skipped."
        if os.environ.get("CI"):
            pytest.fail("clamd (clamav-daemon) is required in CI for the virus-scanning tests.")
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("clamd")
    (folder / "eicar.ndb").write_text(f"{SIGNATURE}:0:*:{EICAR.hex()}\n")
    sock = folder / "clamd.sock"
    conf = folder / "clamd.conf"
    conf.write_text(
        f"LocalSocket {sock}\nDatabaseDirectory {folder}\nForeground yes\nLogFile {folder / 'clamd.log'}\n"
        # started by root it stays root (no User line): the temporary folder is root's
        "ScanArchive yes\nStreamMaxLength 2M\n"
    )
    process = subprocess.Popen([binary, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not _pong(sock):
            if process.poll() is not None or time.monotonic() > deadline:
                log = (folder / "clamd.log").read_text() if (folder / "clamd.log").exists() else ""
                message = f"clamd did not start: {log[-500:]}"
                if os.environ.get("CI"):
                    pytest.fail(message)
                pytest.skip(message)
            time.sleep(0.2)
        yield str(sock)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _pong(path: Path) -> bool:
    if not path.exists():
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(2)
            connection.connect(str(path))
            connection.sendall(b"zPING\0")
            return connection.recv(16).startswith(b"PONG")
    except OSError:
        return False


@pytest.fixture
def scanner(clamd_socket):
    with override_settings(CLAMD_SOCKET=clamd_socket, CLAMD_HOST=""):
        yield clamd_socket


def _media_files() -> set:
    """Every stored file: uploads in MEDIA_ROOT and extracted packages in PACKAGES_ROOT."""
    found = set()
    for root in (Path(settings.MEDIA_ROOT), Path(settings.PACKAGES_ROOT)):
        if root.exists():
            found |= {path for path in root.rglob("*") if path.is_file()}
    return found


def H5PPackageForm(**kwargs):
    """The editors' upload form, as the snippet screens build it on the model."""
    return modelform_factory(H5PPackage, form=h5p_packages.H5PPackageForm, fields=["title"])(**kwargs)


# --- the scanner itself ----------------------------------------------------------------------------------


def test_without_a_scanner_configured_nothing_is_scanned():
    assert not virusscan.scanner_configured()
    virusscan.upload_scan(io.BytesIO(EICAR))  # no clamd asked, nothing refused


def test_a_clean_file_passes_and_is_left_at_its_start(scanner):
    upload = io.BytesIO(b"username,1,2\naygul,A,B\n" * 10_000)  # several chunks
    virusscan.upload_scan(upload)
    assert upload.tell() == 0
    assert virusscan.clamd_instream(io.BytesIO(b"hello")) == "stream: OK"


def test_the_eicar_signature_is_refused_with_a_clear_message(scanner, caplog):
    with caplog.at_level(logging.WARNING, logger="content.virusscan"):
        with pytest.raises(virusscan.UploadRefused) as refused:
            virusscan.upload_scan(io.BytesIO(b"notes\n" + EICAR + b"\n"))
    assert refused.value.code == "virus_found"
    assert SIGNATURE in str(refused.value.message) and "Nothing was stored" in str(refused.value.message)
    assert SIGNATURE in caplog.text
    with translation.override("tk"):
        with pytest.raises(virusscan.UploadRefused) as refused:
            virusscan.upload_scan(io.BytesIO(EICAR))
        assert "Nothing was stored" not in str(refused.value.message) and SIGNATURE in str(refused.value.message)


def test_a_file_beyond_the_scanners_limit_is_refused_as_too_large(scanner):
    with pytest.raises(virusscan.UploadRefused) as refused:
        virusscan.upload_scan(io.BytesIO(b"x" * (3 * 1024 * 1024)))
    assert refused.value.code == "too_large_to_scan"


def test_an_unreachable_scanner_refuses_the_upload(tmp_path, caplog):
    with override_settings(CLAMD_SOCKET=str(tmp_path / "absent.sock")), caplog.at_level(logging.ERROR):
        with pytest.raises(virusscan.UploadRefused) as refused:
            virusscan.upload_scan(SimpleUploadedFile("roster.csv", b"username\n"))
    assert refused.value.code == "scanner_unavailable"
    assert refused.value.message == virusscan.SCANNER_UNAVAILABLE
    assert "unreachable" in caplog.text and "roster.csv" in caplog.text


def test_a_scanner_that_does_not_answer_times_out_and_refuses(tmp_path):
    path = str(tmp_path / "silent.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    accepted = []
    thread = threading.Thread(target=lambda: accepted.append(server.accept()), daemon=True)
    thread.start()
    try:
        with override_settings(CLAMD_SOCKET=path, CLAMD_TIMEOUT=1):
            started = time.monotonic()
            with pytest.raises(virusscan.UploadRefused) as refused:
                virusscan.upload_scan(io.BytesIO(b"hello"))
            assert time.monotonic() - started < 10
        assert refused.value.code == "scanner_unavailable"
    finally:
        for connection, _address in accepted:
            connection.close()
        server.close()


def test_a_tcp_scanner_is_reached_by_host_and_port(tmp_path):
    """CLAMD_HOST/CLAMD_PORT: a stand-in server that answers like clamd and records what it was sent."""
    server = socket.create_server(("127.0.0.1", 0))
    received = bytearray()

    def serve():
        connection, _address = server.accept()
        with connection:
            while not received.endswith(b"\0\0\0\0"):
                part = connection.recv(65536)
                if not part:
                    break
                received.extend(part)
            connection.sendall(b"stream: OK\0")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        with override_settings(CLAMD_SOCKET="", CLAMD_HOST="127.0.0.1", CLAMD_PORT=server.getsockname()[1]):
            virusscan.upload_scan(io.BytesIO(b"abc"))
        thread.join(5)
    finally:
        server.close()
    assert bytes(received) == b"zINSTREAM\0" + b"\0\0\0\x03abc" + b"\0\0\0\0"


# --- every upload path -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_h5p_package_carrying_eicar_is_refused_and_nothing_is_stored(scanner):
    data = package_bytes(extra={"content/notes.txt": EICAR})
    with override_settings(CLAMD_SOCKET=""):  # without a scanner the same package is a valid one
        form = H5PPackageForm(data={}, files={"package_file": SimpleUploadedFile("a.h5p", data)})
        form.is_valid()
        assert "package_file" not in form.errors
    before = (_media_files(), H5PPackage.objects.count(), H5PLibrary.objects.count())
    form = H5PPackageForm(data={}, files={"package_file": SimpleUploadedFile("a.h5p", data)})
    assert not form.is_valid()
    assert SIGNATURE in str(form.errors["package_file"])
    with pytest.raises(virusscan.UploadRefused):
        h5p_package_create(upload=io.BytesIO(data))  # the service refuses it too (commands, seeds)
    assert (_media_files(), H5PPackage.objects.count(), H5PLibrary.objects.count()) == before


@pytest.mark.django_db
def test_wagtail_documents_and_images_carrying_eicar_are_refused(scanner):
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "x")
    Document, Image = get_document_model(), get_image_model()
    documents, images = Document.objects.count(), Image.objects.count()
    form = get_document_form(Document)(
        data={"title": "Manual"}, files={"file": SimpleUploadedFile("manual.txt", b"chapter 1\n" + EICAR)}, user=editor
    )
    assert not form.is_valid() and SIGNATURE in str(form.errors["file"])
    form = get_image_form(Image)(
        data={"title": "Chart"}, files={"file": SimpleUploadedFile("chart.png", PNG + EICAR)}, user=editor
    )
    assert not form.is_valid() and SIGNATURE in str(form.errors["file"])
    clean = get_image_form(Image)(data={"title": "Chart"}, files={"file": SimpleUploadedFile("chart.png", PNG)}, user=editor)
    assert "file" not in clean.errors
    assert (Document.objects.count(), Image.objects.count()) == (documents, images)


@pytest.mark.django_db
def test_imports_carrying_eicar_are_refused(scanner, manager):
    upload = lambda name: SimpleUploadedFile(name, EICAR)  # noqa: E731
    forms = [
        RosterImportForm(data={}, files={"file": upload("roster.csv")}),
        OJTImportForm(data={}, files={"file": upload("ojt.xlsx")}, user=manager),
        QuestionImportForm(data={"format": "gift"}, files={"file": upload("questions.gift")}),
    ]
    for form in forms:
        form.is_valid()
        assert SIGNATURE in str(form.errors["file"]), type(form)
    with pytest.raises(paper.PaperFileError) as refused:
        paper.paper_rows_from_file(upload("sheets.csv"))
    assert SIGNATURE in str(refused.value.message)


@pytest.mark.django_db
def test_an_unreachable_scanner_refuses_an_h5p_upload_with_a_clear_message(tmp_path):
    with override_settings(CLAMD_SOCKET=str(tmp_path / "absent.sock")):
        form = H5PPackageForm(data={}, files={"package_file": SimpleUploadedFile("a.h5p", package_bytes())})
        assert not form.is_valid()
    assert str(virusscan.SCANNER_UNAVAILABLE) in str(form.errors["package_file"])
