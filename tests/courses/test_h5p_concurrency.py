"""Two tabs saving H5P state and reporting statements at once on the embedded SQLite default."""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]

# transactional: the copy below needs the database without the test's open transaction; serialized_rollback
# then leaves the database as the other tests expect
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="PostgreSQL locks rows, not the database: the 'database is locked' failure is SQLite's own",
)
def test_concurrent_writers_on_an_sqlite_file_get_no_500_and_no_half_recorded_completion(tmp_path):
    database_file = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(database_file)
    connection.connection.backup(target)  # the migrated test database with the seeded curriculum
    target.close()
    environment = {"DJANGO_SETTINGS_MODULE": "lms.settings.test", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "tests.courses.h5p_writers", str(database_file)],
        cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["journal_mode"] == "wal"
    assert outcome["errors"] == []
    assert len(outcome["codes"]) == 4 * 2 * 12 and set(outcome["codes"]) == {200}
    for learner in outcome["learners"]:
        assert learner == {"completed_stored": True, "lesson_done": True}
