"""Package files live outside MEDIA_ROOT: the media route never serves them, only the token view does."""

import importlib
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import clear_url_caches

from content.h5p.services import h5p_package_create
from content.h5p.tokens import player_token
from content.storage import package_storage
from tests.content.h5p_builders import package_bytes

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("/x?" + document.cookie)</script></svg>'


@pytest.fixture
def debug_urls(settings):
    """The URLs of `make demo` (DEBUG): lms.urls adds the media route."""
    import lms.urls

    settings.DEBUG = True
    importlib.reload(lms.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(lms.urls)
    clear_url_caches()


def test_packages_root_is_outside_media_root():
    packages, media = Path(settings.PACKAGES_ROOT).resolve(), Path(settings.MEDIA_ROOT).resolve()
    assert not packages.is_relative_to(media) and not media.is_relative_to(packages)
    with pytest.raises(ValueError):
        package_storage().url("h5p/packages/x/h5p.json")


def test_media_route_does_not_serve_package_files_but_the_token_route_does(client, debug_urls):
    package = h5p_package_create(upload=io.BytesIO(package_bytes(title="Isolated")))
    assert package_storage().exists(package.storage_prefix + "h5p.json")
    assert not default_storage.exists(package.storage_prefix + "h5p.json")
    default_storage.save("probe/visible.txt", ContentFile(b"media"))  # the media route is on
    assert client.get("/media/probe/visible.txt").status_code == 200
    assert client.get(f"/media/{package.storage_prefix}h5p.json").status_code == 404
    library = package.libraries.first()
    assert client.get(f"/media/{library.storage_prefix}library.json").status_code == 404

    token = player_token(user_id=1, package_id=package.pk, lesson_id=None, language="en")
    response = client.get(f"/h5p/{token}/h5p.json")
    assert response.status_code == 200
    assert response["Content-Security-Policy"].startswith("sandbox;")
    default_storage.delete("probe/visible.txt")


def test_move_command_takes_package_files_out_of_media(client, debug_urls):
    names = ["h5p/packages/0123abcd/h5p.json", "h5p/packages/0123abcd/content/evil.svg", "h5p/libraries/LMS.X-1.0-0-ab/x.js"]
    for name in names:
        default_storage.save(name, ContentFile(SVG if name.endswith(".svg") else b"{}"))
    assert client.get("/media/h5p/packages/0123abcd/content/evil.svg").status_code == 200  # before: served as the site
    out = io.StringIO()
    call_command("move_h5p_packages", stdout=out)
    assert "Moved 3" in out.getvalue()
    for name in names:
        assert package_storage().exists(name)
        assert not default_storage.exists(name)
    with package_storage().open(names[1]) as handle:
        assert handle.read() == SVG
    assert client.get("/media/h5p/packages/0123abcd/content/evil.svg").status_code == 404
    assert not (Path(settings.MEDIA_ROOT) / "h5p").exists()
    call_command("move_h5p_packages", stdout=io.StringIO())  # again: nothing left to move, nothing lost
    assert all(package_storage().exists(name) for name in names)
    for name in names:
        package_storage().delete(name)


def test_a_packages_root_inside_media_root_fails_the_system_check(settings, tmp_path):
    from django.core.files.storage import storages

    from content.storage import packages_root_check

    assert packages_root_check() == []
    settings.MEDIA_ROOT = tmp_path
    settings.PACKAGES_ROOT = tmp_path / "packages"
    storages._storages.pop("packages", None)  # built again from the settings of this test
    try:
        assert [error.id for error in packages_root_check()] == ["content.E001"]
    finally:
        storages._storages.pop("packages", None)
