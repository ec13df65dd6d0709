"""Legal provisions: editions, labels as written, translations, and the review list of a new edition."""

import datetime

import pytest
from django.db import IntegrityError

from content.models import LegalProvision
from content.selectors import provision_review_list
from courses.models import LessonPage
from lms.people.roles import Role
from tests.factories import person

pytestmark = pytest.mark.django_db


def test_seeded_provisions_keep_turkmen_item_labels_in_every_language(curriculum):
    article = curriculum["provisions"]["cc-129-1-2010"]
    for translation in article.get_translations(inclusive=True):
        labels = [item["label"] for item in translation.parts[1].value["items"]]
        assert labels == ["a", "b", "ç", "d", "e", "ä"]
    assert {t.locale.language_code for t in article.get_translations(inclusive=True)} == {"en", "ru", "tk"}
    assert not article.verified
    assert "unverified" in article.editor_note


def test_part_block_ids_are_shared_across_translations(curriculum):
    article = curriculum["provisions"]["cc-129-1-2010"]
    ids = [part.id for part in article.parts]
    for translation in article.get_translations():
        assert [part.id for part in translation.parts] == ids


def test_dates_must_be_in_order(curriculum):
    with pytest.raises(IntegrityError):
        LegalProvision.objects.create(
            code="bad-dates", locale=curriculum["locales"]["en"], instrument="x", article="1", title="t", edition="e",
            effective_from=datetime.date(2020, 1, 1), effective_to=datetime.date(2019, 1, 1),
        )


def test_a_new_edition_lists_the_pages_that_reference_the_old_one(curriculum):
    old = curriculum["provisions"]["cc-129-1-2010"]
    assert provision_review_list() == []
    LegalProvision.objects.create(
        code="cc-129-1-2023", locale=old.locale, instrument=old.instrument, article=old.article,
        title=old.title, edition="Criminal Code of 2022", effective_from=datetime.date(2023, 1, 1), supersedes=old,
    )
    rows = provision_review_list()
    assert [row["provision"] for row in rows] == [old]
    titles = {getattr(source, "title", "") for source in rows[0]["sources"]}
    lesson_titles = set(LessonPage.objects.filter(locale=old.locale).values_list("title", flat=True))
    assert titles and titles <= lesson_titles


def test_review_report_in_the_admin(client, curriculum):
    old = curriculum["provisions"]["cc-129-1-2010"]
    LegalProvision.objects.create(
        code="cc-new", locale=old.locale, instrument=old.instrument, article=old.article, title=old.title,
        edition="New edition", supersedes=old,
    )
    editor = person(username="ed", roles=[Role.EDITOR], agency=None, language="en")
    client.force_login(editor)
    response = client.get("/admin/provisions/review/")
    assert response.status_code == 200
    assert "English lesson definitions one" in response.content.decode()
    trainee = person(username="tr", roles=[Role.TRAINEE], agency=None, language="en")
    client.force_login(trainee)
    assert client.get("/admin/provisions/review/").status_code in (302, 403)


@pytest.mark.parametrize("model", ["legalprovision", "term"])
def test_searching_the_provisions_and_the_termbase_in_the_admin_answers(admin_client, curriculum, model):
    """Naming search fields on these viewsets made SQLite's full-text backend look for columns its table
    does not have: every search was a 500. The model's index is searched whole."""
    old = curriculum["provisions"]["cc-129-1-2010"]
    for query in (old.article, old.title.split()[0], "x' OR 1=1 --", "nothing-like-this"):
        response = admin_client.get(f"/admin/snippets/content/{model}/", {"q": query})
        assert response.status_code == 200, query
    if model == "legalprovision":
        listed = admin_client.get(f"/admin/snippets/content/{model}/", {"q": old.title.split()[0]}).context["object_list"]
        assert old in list(listed)
