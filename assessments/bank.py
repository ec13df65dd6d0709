"""Writes of the question bank: load the seed files and their translations, create imported questions.

Every question's ``data`` is checked first (``scoring.question_data_validate``, the rules of its kind), so
the bank holds only what the editor, the importers and the seed accept.
"""

from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.images import get_image_dimensions
from django.db import transaction
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from .interchange.files import link_files
from .models import Question
from .scoring import question_data_validate
from .selectors import SOURCE_LANGUAGE


@transaction.atomic
def question_bank_load(*, entries: dict, locales: dict) -> list:
    """Create or update questions from ``{language: [question dict, …]}`` (the seed and import shape).

    Every question dict has ``key``, ``kind``, ``title``, ``prompt``, ``points`` and ``data`` (and
    optionally ``feedback``, ``module``, ``objective``, ``difficulty``, ``forms``, ``editor_note``).
    The English entry of a key is the source; the others become its translations (one
    ``translation_key``). Each ``data`` is validated first: one bad question loads nothing.
    """
    for language, questions in entries.items():
        for question in questions:
            question_data_validate(kind=question["kind"], data=question["data"])
    source = {}
    saved = []
    for language in [SOURCE_LANGUAGE, *[code for code in entries if code != SOURCE_LANGUAGE]]:
        for entry in entries.get(language, []):
            defaults = {
                "kind": entry["kind"],
                "title": entry["title"],
                "prompt": entry["prompt"],
                "feedback": entry.get("feedback", ""),
                "points": Decimal(str(entry.get("points", 1))),
                "module": entry.get("module"),
                "objective": entry.get("objective", ""),
                "difficulty": entry.get("difficulty", Question.Difficulty.MEDIUM),
                "forms": "".join(entry.get("forms") or []),
                "data": entry["data"],
                "editor_note": entry.get("editor_note", ""),
            }
            if language != SOURCE_LANGUAGE:
                if entry["key"] not in source:
                    continue
                defaults["translation_key"] = source[entry["key"]]
            question, _created = Question.objects.update_or_create(
                key=entry["key"], locale=locales[language], defaults=defaults
            )
            if language == SOURCE_LANGUAGE:
                source[entry["key"]] = question.translation_key
            saved.append(question)
    return saved


@transaction.atomic
def questions_import(*, questions: list, locale, module: int | None = None, user=None) -> list:
    """Create the questions of an imported file (neutral dicts of ``assessments.interchange``) in ``locale``.

    Each gets a new identity: a key made from the file's id of the question (GIFT ``[id:…]``, Moodle
    ``idnumber``) or else from its name, numbered on when taken; tags that look like a learning objective
    (``m4-elements``) become its objective. Embedded files (``files``, checked by the reader) become
    Wagtail images and documents, and the prompt and feedback link to them. The caller passes only the
    questions to import (all of a file, or the supported ones the editor confirmed); this is all or nothing
    (a question the bank refuses rolls them all back, before any file is stored).
    """
    for question in questions:
        question_data_validate(kind=question["kind"], data=question["data"])
    taken = set(Question.objects.filter(locale=locale).values_list("key", flat=True))
    created = []
    for question in questions:
        stored = {item["name"]: _imported_file_store(item, user) for item in question.get("files") or []}
        base = slugify(question.get("id") or "")[:60] or slugify(question.get("name") or question["kind"])[:60]
        base = base or question["kind"]
        key, number = base, 1
        while key in taken:
            number += 1
            key = f"{base}-{number}"
        taken.add(key)
        objective = next((tag for tag in question.get("tags") or [] if slugify(tag) == tag), "")
        created.append(
            Question.objects.create(
                key=key,
                locale=locale,
                kind=question["kind"],
                title=(question.get("name") or key)[:200],
                prompt=link_files(question["prompt"], stored),
                feedback=link_files(question.get("feedback", ""), stored),
                points=Decimal(str(question.get("points") or 1)),
                module=module,
                objective=objective[:80],
                data=question["data"],
                editor_note=f"Imported by {user.get_username()}" if user is not None else "Imported",
            )
        )
    return created


def _imported_file_store(item: dict, user) -> tuple[str, int]:
    """A Wagtail image or document made from a file of an imported question: ``(kind, id)``."""
    name = item["name"].rsplit("/", 1)[-1]
    image = item["kind"] == "image"
    model = get_image_model() if image else get_document_model()
    stored = model(title=name[:255], uploaded_by_user=user if getattr(user, "pk", None) else None)
    stored.file.save(name, ContentFile(item["content"]), save=False)
    if image:
        stored.width, stored.height = get_image_dimensions(ContentFile(item["content"]))
        stored._set_image_file_metadata()
    else:
        stored._set_document_file_metadata()
    stored.save()
    return item["kind"], stored.pk
