"""Move H5P files out of MEDIA_ROOT/h5p/ into the private package storage (no schema change).

Sites that stored packages before the package storage existed get their files moved on `migrate`, so
no package folder stays reachable under /media/ and the token view finds every file. Names do not
change, so no row is touched. Safe to re-run; `manage.py move_h5p_packages` does the same.
"""

from django.db import migrations


def move_files(apps, schema_editor):
    from content.h5p.services import h5p_files_move_private

    h5p_files_move_private()


class Migration(migrations.Migration):
    dependencies = [("content", "0002_h5p")]

    operations = [migrations.RunPython(move_files, migrations.RunPython.noop, elidable=True)]
