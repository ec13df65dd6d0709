"""Concurrent H5P reports against an SQLite file database, run in a process of its own.

    python -m tests.courses.h5p_writers DATABASE_FILE

The database file is a copy of the test database; ``DATABASE_URL`` points the settings at it, so
they configure SQLite exactly as ``lms/settings/base.py`` does for the embedded default. Each
learner has two "tabs" (threads with their own connection) that save state and report statements
at once, the last of them "completed". Prints one JSON line: the status codes and, per learner,
whether a completed statement was stored and whether the lesson is done.
"""

import json
import os
import sys
import threading
import uuid


def main(database_file: str, *, learners: int = 4, tabs: int = 2, reports: int = 12) -> dict:
    os.environ["DATABASE_URL"] = f"sqlite:///{database_file}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, connections
    from django.test import Client

    from content.h5p.xapi import VERB_COMPLETED
    from content.models import H5PStatement, H5PUsage
    from courses.models import LessonPage, LessonProgress
    from lms.people.roles import Role
    from tests.factories import person

    settings.H5P_RATE_LIMIT = 10**6
    lesson = LessonPage.objects.get(slug="definitions-two", locale__language_code="tk")
    package_id = H5PUsage.objects.get(page=lesson).package_id
    users = [person(username=f"tab-learner-{number}", roles=[Role.TRAINEE]) for number in range(learners)]
    journal_mode = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
    connection.close()

    codes: list[int] = []
    errors: list[str] = []
    barrier = threading.Barrier(learners * tabs)

    def tab(user, number):
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            for index in range(reports):
                last = number == 0 and index == reports - 1
                if index % 2 and not last:
                    body = {"lesson": lesson.pk, "package": package_id, "state": json.dumps({"tab": number, "i": index})}
                    url = "/tk/learn/h5p/state/"
                else:
                    verb = VERB_COMPLETED if last else "http://adlnet.gov/expapi/verbs/answered"
                    body = {"lesson": lesson.pk, "package": package_id, "statement": {
                        "id": str(uuid.uuid4()), "verb": {"id": verb},
                        "object": {"id": "http://testserver/h5p/activity/x", "objectType": "Activity"},
                    }}
                    url = "/tk/learn/h5p/xapi/"
                try:
                    response = client.post(url, data=json.dumps(body), content_type="application/json")
                    codes.append(response.status_code)
                except Exception as error:  # the test client re-raises a view's exception: a 500
                    codes.append(500)
                    errors.append(f"{type(error).__name__}: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tab, args=(user, number)) for user in users for number in range(tabs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    learners_seen = [
        {
            "completed_stored": H5PStatement.objects.filter(user=user, completed=True).exists(),
            "lesson_done": LessonProgress.objects.filter(user=user, lesson_key=lesson.translation_key).exists(),
        }
        for user in users
    ]
    return {"journal_mode": journal_mode, "codes": codes, "errors": errors[:5], "learners": learners_seen}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
