"""Move H5P package files from the media folder to the private package storage (safe to re-run)."""

from django.core.management.base import BaseCommand

from content.h5p.services import h5p_files_move_private


class Command(BaseCommand):
    help = (
        "Move H5P package and library files from MEDIA_ROOT/h5p/ (served as media) to the private "
        "package storage (PACKAGES_ROOT, or its S3 prefix). Run once after upgrading; safe to re-run."
    )

    def handle(self, *args, **options):
        moved = h5p_files_move_private()
        self.stdout.write(f"Moved {moved} H5P file(s) to the package storage.")
