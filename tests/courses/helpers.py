"""Shared helpers of the course tests."""

import json
import uuid

from content.h5p.xapi import VERB_COMPLETED, learner_mbox
from courses.models import LessonPage

XAPI_URL = "/tk/learn/h5p/xapi/"
STATE_URL = "/tk/learn/h5p/state/"


def lesson_in(curriculum, language, slug="definitions-one"):
    lesson = LessonPage.objects.get(slug=slug, locale__language_code="en")
    return lesson.get_translation(curriculum["locales"][language])


# --- H5P: xAPI statements and their posting ---------------------------------------------------------


def statement(user, verb=VERB_COMPLETED, **extra):
    data = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "mbox": learner_mbox(user.pk), "name": f"learner-{user.pk}"},
        "verb": {"id": verb, "display": {"en-US": "completed"}},
        "object": {"id": "http://testserver/h5p/activity/x", "objectType": "Activity"},
        "result": {"score": {"raw": 9, "min": 0, "max": 9, "scaled": 1}, "completion": True, "success": True},
    }
    data.update(extra)
    return data


def post_json(client, url, payload, **headers):
    return client.post(url, data=json.dumps(payload), content_type="application/json", **headers)
