"""How a lesson treats its knowledge checks: cached around them, and completed by them when they say so."""

import pytest

from content.blocks import knowledge_check_required
from courses import selectors, services
from courses.exceptions import CompletedByCheck
from courses.models import LessonPage, LessonProgress
from lms.people.roles import Role
from tests.factories import person

pytestmark = pytest.mark.django_db


def english_lesson(slug="definitions-one"):
    return LessonPage.objects.get(slug=slug, locale__language_code="en")


def with_check(lesson, **settings):
    raw = list(lesson.body.raw_data)
    for item in raw:
        if item["type"] == "knowledge_check":
            item["value"] = {**item["value"], **settings}
    lesson.body = raw
    lesson.save_revision().publish()
    lesson.refresh_from_db()
    return lesson


@pytest.mark.parametrize(
    ("value", "required"),
    [
        ({"title": "saved before checks had settings"}, False),
        ({"questions": [{"type": "item", "value": "m1-single", "id": "x"}]}, True),
        ({"questions": ["m1-single"], "completion": "pass"}, True),
        ({"module": 3}, True),
        ({"objective": "m4-elements", "completion": "answer"}, True),
        ({"module": 3, "completion": "none"}, False),
        (None, False),
    ],
)
def test_which_checks_complete_their_lesson(value, required):
    assert knowledge_check_required(value) is required


def test_the_body_is_cut_around_the_check(curriculum):
    lesson = english_lesson()
    types = [item["type"] for item in lesson.body.raw_data]
    segments = selectors.lesson_body_segments(lesson=lesson)
    assert [segment.per_learner for segment in segments].count(True) == types.count("knowledge_check")
    # every block once, in order
    assert [block.block_type for segment in segments for block in segment] == types
    check = next(segment for segment in segments if segment.per_learner)
    assert [block.block_type for block in check] == ["knowledge_check"]


def test_a_lesson_with_a_check_that_completes_it_is_not_marked_done_by_hand(curriculum, agency_a):
    learner = person(username="learner", roles=[Role.TRAINEE], agency=agency_a)
    lesson = with_check(english_lesson(), module=1)
    assert selectors.lesson_completed_by_check(lesson=lesson) is not None
    with pytest.raises(CompletedByCheck):
        services.lesson_mark_done(user=learner, lesson=lesson)
    assert not LessonProgress.objects.filter(user=learner).exists()
    optional = with_check(english_lesson("definitions-two"), module=1, completion="none")
    assert selectors.lesson_completed_by_check(lesson=optional) is None
    services.lesson_mark_done(user=learner, lesson=optional)
    assert LessonProgress.objects.filter(user=learner, lesson_key=optional.translation_key).exists()


def test_lesson_for_viewer_refuses_huge_and_unknown_ids(curriculum, agency_a):
    learner = person(username="learner", roles=[Role.TRAINEE], agency=agency_a)
    assert selectors.lesson_for_viewer(user=learner, lesson_id=10**30) is None
    assert selectors.lesson_for_viewer(user=learner, lesson_id=-1) is None
    assert selectors.lesson_for_viewer(user=learner, lesson_id=english_lesson().pk) == english_lesson()
