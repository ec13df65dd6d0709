"""Accepting, replacing and deleting H5P packages: all or nothing, on disk and in the database."""

import io
import os
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings

from content.h5p import exceptions
from content.h5p.exceptions import H5PPackageError
from content.h5p.services import (
    PackageInUse,
    h5p_file_path,
    h5p_package_create,
    h5p_package_delete,
    h5p_package_replace,
    h5p_usage_sync,
)
from content.models import H5PLibrary, H5PPackage, H5PUsage
from content.storage import package_storage
from tests.content.h5p_builders import library_files, package_bytes

pytestmark = pytest.mark.django_db


def stored_files() -> set[str]:
    root = Path(settings.PACKAGES_ROOT) / "h5p"
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def test_accepted_package_is_extracted_and_recorded():
    before = stored_files()
    package = h5p_package_create(upload=io.BytesIO(package_bytes(title="Act, means, purpose")))
    assert package.title == "Act, means, purpose"
    assert package.main_library == "LMS.Sample"
    assert package.main_library_version == "1.0.0"
    assert package.size_bytes > 0
    assert package_storage().exists(package.storage_prefix + "h5p.json")
    assert package_storage().exists(package.storage_prefix + "content/content.json")
    library = package.libraries.get()
    assert package_storage().exists(library.storage_prefix + "main.js")
    assert len(stored_files() - before) == 4  # h5p.json, content.json, library.json, main.js


@pytest.mark.parametrize(
    "data, code",
    [
        (b"not a zip at all", "not_zip"),
        (package_bytes(extra={"content/../../evil.json": "{}"}), "unsafe_path"),
        (package_bytes(extra={"content/page.html": "<script>alert(1)</script>"}), "html_file"),
        (package_bytes(main="LMS.Absent", libraries={}), "missing_library"),
    ],
)
def test_rejected_package_leaves_nothing_behind(data, code):
    before_files, before_packages, before_libraries = stored_files(), H5PPackage.objects.count(), H5PLibrary.objects.count()
    with pytest.raises(H5PPackageError) as error:
        h5p_package_create(upload=io.BytesIO(data))
    assert error.value.code == code
    assert stored_files() == before_files
    assert (H5PPackage.objects.count(), H5PLibrary.objects.count()) == (before_packages, before_libraries)


def test_failure_after_files_were_written_removes_them():
    before_files, before_libraries = stored_files(), H5PLibrary.objects.count()
    with mock.patch.object(H5PPackage.objects, "create", side_effect=RuntimeError("database went away")):
        with pytest.raises(RuntimeError):
            h5p_package_create(upload=io.BytesIO(package_bytes(main="LMS.Fresh", libraries=library_files("LMS.Fresh"))))
    assert stored_files() == before_files
    assert H5PLibrary.objects.count() == before_libraries


def test_dependency_already_installed_is_accepted_and_libraries_are_shared():
    first = h5p_package_create(upload=io.BytesIO(package_bytes()))
    # the same library, not packaged this time (h5p.org exports may leave installed libraries out)
    second = h5p_package_create(upload=io.BytesIO(package_bytes(title="Second", libraries={})))
    assert list(second.libraries.all()) == list(first.libraries.all())
    # a newer patch is installed beside the old one and used by the new package
    third = h5p_package_create(
        upload=io.BytesIO(package_bytes(title="Third", libraries=library_files("LMS.Sample", patch=3)))
    )
    assert third.main_library_version == "1.0.3"
    assert H5PLibrary.objects.filter(machine_name="LMS.Sample").count() == 2
    assert first.libraries.get().patch_version == 0


def test_replacement_keeps_serving_the_old_files_until_it_commits(django_capture_on_commit_callbacks):
    package = h5p_package_create(upload=io.BytesIO(package_bytes(content={"text": "old"})))
    old_prefix = package.storage_prefix
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        h5p_package_replace(package=package, upload=io.BytesIO(package_bytes(title="New", content={"text": "new"})))
        assert package_storage().exists(old_prefix + "content/content.json")  # still serving
    package.refresh_from_db()
    assert package.storage_prefix != old_prefix
    assert package.title == "New"
    assert package.replaced_at is not None
    for callback in callbacks:
        callback()
    assert not package_storage().exists(old_prefix + "content/content.json")
    with package_storage().open(package.storage_prefix + "content/content.json") as handle:
        assert b"new" in handle.read()


def test_rejected_replacement_changes_nothing():
    package = h5p_package_create(upload=io.BytesIO(package_bytes()))
    before = (package.storage_prefix, stored_files())
    with pytest.raises(H5PPackageError):
        h5p_package_replace(package=package, upload=io.BytesIO(b"PK\x03\x04 broken"))
    package.refresh_from_db()
    assert (package.storage_prefix, stored_files()) == before


def test_package_used_by_a_lesson_cannot_be_deleted(curriculum, django_capture_on_commit_callbacks):
    from courses.models import LessonPage

    package = h5p_package_create(upload=io.BytesIO(package_bytes()))
    lesson = LessonPage.objects.get(slug="definitions-one", locale__language_code="en")
    h5p_usage_sync(page=lesson, package_ids=[package.pk])
    with pytest.raises(PackageInUse) as error:
        h5p_package_delete(package=package)
    assert [page.pk for page in error.value.pages] == [lesson.pk]
    assert H5PPackage.objects.filter(pk=package.pk).exists()

    h5p_usage_sync(page=lesson, package_ids=[])
    prefix = package.storage_prefix
    with django_capture_on_commit_callbacks(execute=True):
        h5p_package_delete(package=package)
    assert not H5PPackage.objects.filter(pk=package.pk).exists()
    assert not package_storage().exists(prefix + "h5p.json")


def test_usage_follows_what_is_published(curriculum):
    from courses.models import LessonPage

    lesson = LessonPage.objects.get(slug="definitions-two", locale__language_code="tk")
    seeded = H5PUsage.objects.get(page=lesson).package
    assert seeded.locale.language_code == "tk"  # the Turkmen lesson uses the Turkmen package
    lesson.body = [(block.block_type, block.value) for block in lesson.body if block.block_type != "h5p"]
    lesson.save_revision().publish()
    assert not H5PUsage.objects.filter(page=lesson).exists()


def test_file_paths_cannot_leave_the_package():
    package = h5p_package_create(upload=io.BytesIO(package_bytes()))
    assert h5p_file_path(package=package, path="h5p.json") == package.storage_prefix + "h5p.json"
    assert h5p_file_path(package=package, path="libraries/LMS.Sample-1.0/main.js").endswith("/main.js")
    for path in ("../h5p.json", "content/../../secret", "libraries/Other-1.0/x.js", "content\\x.json", "", "content//x"):
        assert h5p_file_path(package=package, path=path) is None
    assert os.sep not in exceptions.__name__  # the messages module stays importable by name


def test_files_h5p_ignores_are_neither_extracted_nor_served():
    before = stored_files()
    extra = {"README.md": "# notes", ".DS_Store": "x", "__MACOSX/content/._content.json": "x",
             "content/.secret.json": "{}", "content/_draft.json": "{}", "LMS.Sample-1.0/_build/x.js": "x"}
    package = h5p_package_create(upload=io.BytesIO(package_bytes(extra=extra)))
    assert len(stored_files() - before) == 4  # h5p.json, content.json, library.json, main.js
    assert package.file_count == 4
    for path in ("README.md", "content/.secret.json", "content/_draft.json", "libraries/LMS.Sample-1.0/_build/x.js",
                 "content/.well-known/x.json"):
        assert h5p_file_path(package=package, path=path) is None


def test_an_editor_opts_a_package_in_to_the_microphone_in_the_admin(client, django_user_model):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse
    from wagtail.models import Locale

    Locale.objects.get_or_create(language_code="en")
    client.force_login(django_user_model.objects.create_superuser("chief", "chief@example.org", "pw-12345-long"))
    upload = SimpleUploadedFile("speak.h5p", package_bytes(title="Speak"), content_type="application/zip")
    response = client.post(
        reverse("wagtailsnippets_content_h5ppackage:add") + "?locale=en",
        {"package_file": upload, "title": "", "microphone": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    package = H5PPackage.objects.get(title="Speak")
    assert package.microphone is True
    edit = reverse("wagtailsnippets_content_h5ppackage:edit", args=[package.pk])
    assert 'name="microphone"' in client.get(edit).content.decode()
    assert client.post(edit, {"title": "Speak"}).status_code == 302  # the box unticked, no new upload
    package.refresh_from_db()
    assert package.microphone is False and package.title == "Speak"
