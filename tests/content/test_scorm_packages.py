"""Accepting, replacing and deleting SCORM packages: all or nothing, on disk and in the database;
the editors' attempts screen."""

import io
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings

from content.models import ScormAttempt, ScormPackage
from content.scorm.exceptions import ScormPackageError
from content.scorm.services import (
    PackageInUse,
    scorm_package_create,
    scorm_package_delete,
    scorm_package_replace,
    scorm_usage_sync,
)
from content.storage import package_storage
from lms.people.roles import Role
from tests.content.scorm_builders import scorm_zip, seed_zip
from tests.factories import person

pytestmark = pytest.mark.django_db


def stored_files() -> set[str]:
    root = Path(settings.PACKAGES_ROOT) / "scorm"
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def test_accepted_package_is_extracted_privately_and_recorded():
    before = stored_files()
    package = scorm_package_create(upload=io.BytesIO(seed_zip("2004", "ru")))
    assert package.version == "2004" and package.schema_version == "2004 4th Edition"
    assert package.title.endswith("(SCORM 2004)")
    assert package.scos == [{
        "identifier": "indicators", "title": "Как распознать признаки торговли людьми", "launch": "index.html",
        "query": "", "mastery_score": "", "launch_data": "",
    }]
    assert package_storage().exists(package.storage_prefix + "index.html")
    assert not package.storage_prefix.startswith(str(settings.MEDIA_ROOT))
    assert len(stored_files() - before) == 4


@pytest.mark.parametrize(
    "data, code",
    [
        (b"not a zip", "not_zip"),
        (scorm_zip(extra={"../evil.html": "x"}), "unsafe_path"),
        (scorm_zip(folder="course/"), "manifest_in_folder"),
        (scorm_zip(manifest="<manifest"), "manifest_invalid"),
        (scorm_zip(extra={"index.html": None}), "launch_missing"),
    ],
)
def test_rejected_package_leaves_nothing_behind(data, code):
    before = stored_files()
    with pytest.raises(ScormPackageError) as error:
        scorm_package_create(upload=io.BytesIO(data))
    assert error.value.code == code
    assert stored_files() == before and not ScormPackage.objects.exists()


def test_a_failure_while_extracting_or_recording_removes_the_files():
    before = stored_files()
    with mock.patch.object(ScormPackage.objects, "create", side_effect=RuntimeError("database down")):
        with pytest.raises(RuntimeError):
            scorm_package_create(upload=io.BytesIO(seed_zip("1.2")))
    assert stored_files() == before


def test_replace_swaps_the_files_and_delete_is_refused_while_a_lesson_uses_it(django_capture_on_commit_callbacks, curriculum):
    package = scorm_package_create(upload=io.BytesIO(seed_zip("1.2")))
    old = package.storage_prefix
    with django_capture_on_commit_callbacks(execute=True):
        scorm_package_replace(package=package, upload=io.BytesIO(scorm_zip(version="2004")))
    package.refresh_from_db()
    assert package.version == "2004" and package.storage_prefix != old
    assert not package_storage().exists(old + "index.html")
    from courses.models import LessonPage

    page = LessonPage.objects.first()
    scorm_usage_sync(page=page, package_ids=[package.pk])
    with pytest.raises(PackageInUse):
        scorm_package_delete(package=package)
    scorm_usage_sync(page=page, package_ids=[])
    prefix = package.storage_prefix
    with django_capture_on_commit_callbacks(execute=True):
        scorm_package_delete(package=package)
    assert not ScormPackage.objects.exists() and not package_storage().exists(prefix + "index.html")


def test_editor_sees_the_attempts_per_learner(client, curriculum):
    package = scorm_package_create(upload=io.BytesIO(seed_zip("1.2")))
    learner = person(username="learner-a", roles=[Role.TRAINEE], first_name="Aýna", last_name="Berdiýewa")
    ScormAttempt.objects.create(
        user=learner, package=package, lesson_key=curriculum["tot"].translation_key, sco="indicators",
        lesson_status="incomplete", exit="suspend", score_raw=2, score_max=3, total_time="0000:02:00",
    )
    editor = person(username="editor", roles=[Role.EDITOR], agency=None)
    client.force_login(editor)
    response = client.get(f"/admin/scorm/attempts/?package={package.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Aýna Berdiýewa" in html and "incomplete" in html and "2 / 3" in html
    assert html.count("data-scorm-attempt") == 1
    client.force_login(learner)
    assert client.get("/admin/scorm/attempts/").status_code in (302, 403)


def test_editor_uploads_a_package_in_the_admin_and_a_bad_one_gets_a_clear_message(client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.models import Locale

    editor = person(username="editor", roles=[Role.EDITOR], agency=None)
    client.force_login(editor)
    url = "/admin/snippets/content/scormpackage/add/"
    locale = Locale.get_default()
    bad = SimpleUploadedFile("course.zip", scorm_zip(folder="Course/"), content_type="application/zip")
    response = client.post(url, {"package_file": bad, "title": "", "locale": locale.pk})
    assert response.status_code == 200
    assert "inside the folder Course/" in response.content.decode()
    assert not ScormPackage.objects.exists()
    good = SimpleUploadedFile("course.zip", seed_zip("1.2"), content_type="application/zip")
    response = client.post(url, {"package_file": good, "title": "", "locale": locale.pk})
    assert response.status_code == 302
    assert ScormPackage.objects.get().version == "1.2"
