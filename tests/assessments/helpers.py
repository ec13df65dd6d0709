"""Shared helpers of the assessment tests (and of the tests of the apps above that use assessments)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Locale

from assessments.models import Assessment, AssessmentItem, Question

PAPER_KEYS = ["m1-single", "m1-multiple", "m1-truefalse", "m1-short", "m2-matching", "m2-ordering"]
TURKMEN_TITLE = "Öňünden synag: adam söwdasyna garşy göreş, žurnal, çäre, ýüz"


def paper_test(slug, keys):
    test = Assessment.objects.create(
        slug=slug, title_en="Pre-test", title_tk=TURKMEN_TITLE, title_ru="Предварительный тест",
        purpose=Assessment.Purpose.PRE, published=False, shuffle_items=False, max_attempts=1,
    )
    for position, key in enumerate(keys, start=1):
        question = Question.objects.get(key=key, locale__language_code="en")
        AssessmentItem.objects.create(assessment=test, question_key=question.translation_key, position=position)
    return test


def upload(client, text, **extra):
    data = {
        "file": SimpleUploadedFile("bank.gift.txt", text.encode(), content_type="text/plain"),
        "format": "gift",
        "locale": Locale.objects.get(language_code="ru").pk,
        "module": 1,
        **extra,
    }
    return client.post(reverse("assessments_question_import"), data)


def set_check(lesson, **settings):
    """Give the lesson's knowledge check these settings and publish it; return (lesson, block id)."""
    raw = list(lesson.body.raw_data)
    for item in raw:
        if item["type"] == "knowledge_check":
            value = dict(item["value"])
            value.update(settings)
            if "questions" in settings:
                value["questions"] = [{"type": "item", "value": key, "id": f"q-{index}"} for index, key in enumerate(settings["questions"])]
            item["value"] = value
            block_id = item["id"]
    lesson.body = raw
    lesson.save_revision().publish()
    lesson.refresh_from_db()
    return lesson, block_id
