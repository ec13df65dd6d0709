"""Build the seed curriculum from the readable files in ``content/seed`` (safe to re-run).

English pages are created as usual; Russian and Turkmen ones are made through wagtail-localize, like an
editor's translation: the English page becomes a TranslationSource, each of its segments gets the
translated string from the ru/tk file, and ``save_target`` writes the translated page. Editors then see
the translation status, can re-sync after source edits and exchange PO files with translators.

Block ids are derived from the content (uuid5), so a re-run finds the same blocks and changes nothing.
"""

import datetime
import io
import json
import uuid
from collections import defaultdict

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from wagtail.blocks import StreamValue
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page, PageViewRestriction
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from content.h5p.services import h5p_files_move_private, h5p_package_create
from content.models import H5PPackage, LegalProvision
from content.sanitize import sanitize_stored_richtext
from content.seed import loader
from content.seed.h5p.package import activity_slugs, package_build, package_title

from .models import CourseIndexPage, CoursePage, HomePage, LessonPage, ModuleLessonLink, ModulePage

SOURCE_LANGUAGE = "en"
NAMESPACE = uuid.UUID("6f1c3b1e-9a51-4bb0-8f0e-0d3c1f6a2b7c")


def _id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(part) for part in parts)))


def _items(values: list, *prefix) -> list[dict]:
    return [{"type": "item", "value": value, "id": _id(*prefix, index)} for index, value in enumerate(values)]


def _block_value(block: dict, prefix: tuple, provisions: dict[str, LegalProvision], packages: dict | None = None) -> dict:
    kind = block["type"]
    if kind == "text":
        return block["html"]
    if kind == "key_points":
        return {"title": block["title"], "points": _items(block["points"], *prefix, "points")}
    if kind == "case_study":
        return {
            "title": block["title"],
            "scenario": block["scenario"],
            "questions": _items(block["questions"], *prefix, "questions"),
            "trainer_notes": block["trainer_notes"],
        }
    if kind == "checklist":
        return {"title": block["title"], "do": _items(block["do"], *prefix, "do"), "dont": _items(block["dont"], *prefix, "dont")}
    if kind == "glossary":
        return {"term": block["term"], "definition": block["definition"]}
    if kind == "legal_provision":
        return {"provision": provisions[block["provision"]].pk, "commentary": block["commentary"]}
    if kind == "video":
        return {"title": block["title"], "description": block["description"], "film": block["film"], "video": None, "poster": None, "subtitles": []}
    if kind == "knowledge_check":
        # questions by identifier (the same in every language); the check completes the lesson once
        # every question is answered (the block's default rule)
        return {
            "title": block["title"],
            "instructions": block["instructions"],
            "questions": _items(block.get("questions", []), *prefix, "questions"),
            "module": None,
            "objective": "",
            "count": 4,
            "completion": "answer",
            "pass_mark": 80,
        }
    if kind == "h5p":
        if not packages or block["activity"] not in packages:
            raise loader.SeedDataError(f"no H5P package seeded for activity {block['activity']!r}")
        return {"package": packages[block["activity"]].pk, "introduction": block["introduction"]}
    if kind == "scorm":
        if not packages or block["activity"] not in packages:
            raise loader.SeedDataError(f"no SCORM package seeded for activity {block['activity']!r}")
        return {"package": packages[block["activity"]].pk, "introduction": block["introduction"]}
    if kind == "trainer_notes":
        return {"timing": block["timing"], "steps": _items(block["steps"], *prefix, "steps"), "materials": _items(block["materials"], *prefix, "materials")}
    raise loader.SeedDataError(f"unknown block type {kind!r}")


def lesson_body(lesson: dict, provisions: dict[str, LegalProvision], packages: dict | None = None) -> list[dict]:
    """Return the raw StreamField data of a lesson, with ids that do not change between runs."""
    return [
        {
            "type": block["type"],
            "id": _id(lesson["slug"], index),
            "value": _block_value(block, (lesson["slug"], index), provisions, packages),
        }
        for index, block in enumerate(lesson["body"])
    ]


def _parts(parts: list[dict], code: str) -> list[dict]:
    return [
        {
            "type": "part",
            "id": _id(code, "part", index),
            "value": {
                "label": part["label"],
                "text": part["text"],
                "penalty": part["penalty"],
                "items": _items(part["items"], code, "part", index, "items"),
            },
        }
        for index, part in enumerate(parts)
    ]


# --- translation through wagtail-localize -------------------------------------------------------


def _strings_by_path(instance) -> dict[str, list[str]]:
    strings = defaultdict(list)
    for segment in extract_segments(instance):
        if isinstance(segment, StringSegmentValue):
            strings[segment.path].append(segment.string.data)
    return strings


def _changed_at(instance) -> datetime.datetime:
    published = getattr(instance, "last_published_at", None)
    if published:
        return published
    revision = getattr(instance, "latest_revision", None)
    return revision.created_at if revision else datetime.datetime.min.replace(tzinfo=datetime.UTC)


def translate(*, source_instance, translated_instance, locale: Locale) -> bool:
    """Make or update the ``locale`` translation of a page or snippet through wagtail-localize.

    ``translated_instance`` is an unsaved copy of the source with the translated texts (same block ids):
    its segments are paired with the source's by path and order. Return True when anything changed.
    """
    source, created = TranslationSource.get_or_create_from_instance(source_instance)
    if not created and _changed_at(source_instance) > source.last_updated_at:
        # the source changed since wagtail-localize last read it: sync, as "Sync translated pages" does
        source.update_from_db()
        source.refresh_segments()
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    wanted = _strings_by_path(translated_instance)
    seen = defaultdict(int)
    changed = False
    segments = StringSegment.objects.filter(source=source).select_related("string", "context").order_by("order")
    for segment in segments:
        path = segment.context.path
        occurrence = seen[path]
        seen[path] += 1
        try:
            text = wanted[path][occurrence]
        except IndexError as error:
            raise loader.SeedDataError(f"{source_instance}: no {locale.language_code} text for {path} #{occurrence}") from error
        existing = StringTranslation.objects.filter(translation_of=segment.string, locale=locale, context=segment.context).first()
        if existing is None:
            StringTranslation.objects.create(
                translation_of=segment.string, locale=locale, context=segment.context, data=text,
                translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
            )
            changed = True
        elif existing.data != text:
            existing.data = text
            existing.save(update_fields=["data", "updated_at"])
            changed = True
    target_exists = source_instance.get_translation_or_none(locale) is not None
    if changed or not target_exists:
        translation.save_target(publish=True)
        return True
    return False


# --- legal provisions ---------------------------------------------------------------------------


def _provision_fields(data: dict, texts: dict) -> dict:
    return {
        "instrument": texts["instrument"],
        "article": texts["article"],
        "title": texts["title"],
        "edition": texts["edition"],
        "text": texts["text"],
        "notes": texts["notes"],
        "editor_note": texts["editor_note"],
        "parts": _parts(texts["parts"], data["code"]),
        "verified": data["verified"],
        "effective_from": datetime.date.fromisoformat(data["effective_from"]) if data["effective_from"] else None,
        "effective_to": datetime.date.fromisoformat(data["effective_to"]) if data["effective_to"] else None,
    }


def _normalized(model, name: str, value):
    """Return a field value as it is stored, so seed data and saved rows compare equal."""
    field = model._meta.get_field(name)
    if isinstance(field, StreamField):
        block = field.stream_block
        if not isinstance(value, StreamValue):
            value = block.to_python(value)
        return json.dumps(block.get_prep_value(value), sort_keys=True, cls=DjangoJSONEncoder)
    if isinstance(field, RichTextField):
        return sanitize_stored_richtext(value)
    return value


def _differs(instance, fields: dict) -> bool:
    model = type(instance)
    return any(
        _normalized(model, name, getattr(instance, name)) != _normalized(model, name, value)
        for name, value in fields.items()
    )


@transaction.atomic
def provisions_seed(*, locales: dict[str, Locale], data: list | None = None) -> dict[str, LegalProvision]:
    """Create or update the seed legal provisions in English and translate them."""
    result = {}
    for data in data if data is not None else loader.provisions():
        fields = _provision_fields(data, data[SOURCE_LANGUAGE])
        provision = LegalProvision.objects.filter(code=data["code"], locale=locales[SOURCE_LANGUAGE]).first()
        if provision is None:
            provision = LegalProvision(code=data["code"], locale=locales[SOURCE_LANGUAGE], **fields)
            provision.save()
            provision.save_revision()
        elif _differs(provision, fields):
            for name, value in fields.items():
                setattr(provision, name, value)
            provision.save()
            provision.save_revision()
        for language, locale in locales.items():
            if language == SOURCE_LANGUAGE:
                continue
            translated = LegalProvision(code=data["code"], locale=locale, translation_key=provision.translation_key,
                                        **_provision_fields(data, data[language]))
            translate(source_instance=provision, translated_instance=translated, locale=locale)
        result[data["code"]] = provision
    return result


# --- pages ----------------------------------------------------------------------------------------


# --- H5P activities ------------------------------------------------------------------------------


def h5p_packages_seed(*, locales: dict[str, Locale]) -> dict[str, H5PPackage]:
    """Build our H5P activities as real .h5p files and upload them through the package service.

    One package per language, linked as translations of the English one. A package is uploaded
    only when its language has none with that title yet, so the seed can run again; files of a
    database seeded before packages had a private storage are moved there first.
    """
    h5p_files_move_private()

    result = {}
    for slug in activity_slugs():
        source = None
        for language in (SOURCE_LANGUAGE, *[code for code in locales if code != SOURCE_LANGUAGE]):
            locale = locales[language]
            title = package_title(slug=slug, language=language)
            if source is None:
                package = H5PPackage.objects.filter(locale=locale, title=title).first()
            else:
                package = H5PPackage.objects.filter(locale=locale, translation_key=source.translation_key).first()
            if package is None:
                package = h5p_package_create(
                    upload=io.BytesIO(package_build(slug=slug, language=language)),
                    locale=locale,
                    translation_of=source,
                )
            if source is None:
                source = package
        result[slug] = source
    return result


def scorm_packages_seed(*, locales: dict[str, Locale]) -> dict:
    """Build the seed SCORM 1.2 and 2004 modules (content.seed.scorm) and upload them through the
    package service: one package per version and language, linked as translations of the English one.
    A package is uploaded only when its language has none with that title yet, so the seed can run again.
    """
    from content.models import ScormPackage
    from content.scorm.services import scorm_package_create
    from content.seed.scorm.package import SLUGS, VERSIONS, package_build, package_title

    result = {}
    for version in VERSIONS:
        source = None
        for language in (SOURCE_LANGUAGE, *[code for code in locales if code != SOURCE_LANGUAGE]):
            locale = locales[language]
            if source is None:
                title = package_title(version=version, language=language)
                package = ScormPackage.objects.filter(locale=locale, title=title).first()
            else:
                package = ScormPackage.objects.filter(locale=locale, translation_key=source.translation_key).first()
            if package is None:
                package = scorm_package_create(
                    upload=io.BytesIO(package_build(version=version, language=language)),
                    locale=locale,
                    translation_of=source,
                )
            if source is None:
                source = package
        result[SLUGS[version]] = source
    return result


def _save_page(parent: Page, model, slug: str, fields: dict) -> Page:
    """Create the English child page ``slug`` or update it; publish only when something changed."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, locale=parent.locale, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page
    if _differs(page, fields) or not page.live:
        for name, value in fields.items():
            setattr(page, name, value)
        page.save_revision().publish()
    return page


def _translated_copy(page: Page, fields: dict):
    copy = type(page)(slug=page.slug, translation_key=page.translation_key, **fields)
    copy.pk = None
    return copy


def _translate_page(page: Page, per_language: dict[str, dict], locales: dict[str, Locale]) -> None:
    for language, locale in locales.items():
        if language == SOURCE_LANGUAGE:
            continue
        translate(source_instance=page, translated_instance=_translated_copy(page, per_language[language]), locale=locale)


def _course_fields(course: dict) -> dict:
    return {
        "title": course["title"],
        "summary": course["summary"],
        "audience": course["audience"],
        "duration": course["duration"],
        "learning_outcomes": "\n".join(course["learning_outcomes"]),
        "prerequisites": course["prerequisites"],
    }


def _module_fields(module: dict) -> dict:
    return {
        "title": module["title"],
        "number": module["number"],
        "objectives": "\n".join(module["objectives"]),
        "estimated_minutes": module["estimated_minutes"],
        "intro": module.get("intro", ""),
        "editor_note": module.get("editor_note", ""),
    }


def _lesson_fields(lesson: dict, provisions, packages=None) -> dict:
    return {
        "title": lesson["title"],
        "summary": lesson["summary"],
        "estimated_minutes": lesson["estimated_minutes"],
        "body": lesson_body(lesson, provisions, packages),
        "editor_note": lesson.get("editor_note", ""),
    }


@transaction.atomic
def course_index_seed(*, home: HomePage, locales: dict[str, Locale]) -> CourseIndexPage:
    texts = loader.index_texts()
    fields = {language: {"title": entry["title"], "intro": entry["intro"]} for language, entry in texts.items()}
    index = _save_page(home, CourseIndexPage, texts[SOURCE_LANGUAGE]["slug"], fields[SOURCE_LANGUAGE])
    _translate_page(index, fields, locales)
    for page in index.get_translations(inclusive=True):
        if not PageViewRestriction.objects.filter(page=page).exists():
            PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    return index


@transaction.atomic
def tot_course_seed(
    *, index: CourseIndexPage, locales: dict[str, Locale], provisions, packages=None, data=None
) -> CoursePage:
    data = data or loader.curriculum("tot")
    course_fields = {language: _course_fields(course) for language, course in data["course"].items()}
    course = _save_page(index, CoursePage, data["course"][SOURCE_LANGUAGE]["slug"], course_fields[SOURCE_LANGUAGE])
    _translate_page(course, course_fields, locales)
    for versions in data["modules"]:
        source = versions[SOURCE_LANGUAGE]
        module_fields = {language: _module_fields(module) for language, module in versions.items()}
        module = _save_page(course, ModulePage, source["slug"], module_fields[SOURCE_LANGUAGE])
        _translate_page(module, module_fields, locales)
        for position, lesson in enumerate(source["lessons"]):
            lesson_fields = {
                language: _lesson_fields(versions[language]["lessons"][position], provisions, packages)
                for language in versions
            }
            page = _save_page(module, LessonPage, lesson["slug"], lesson_fields[SOURCE_LANGUAGE])
            _translate_page(page, lesson_fields, locales)
    return course


@transaction.atomic
def refresher_course_seed(*, index: CourseIndexPage, tot: CoursePage, locales: dict[str, Locale], data=None) -> CoursePage:
    """The refresher course reuses lessons of the ToT course through ModuleLessonLink (no copies)."""
    data = data or loader.curriculum("refresher")
    course_fields = {language: _course_fields(course) for language, course in data["course"].items()}
    course = _save_page(index, CoursePage, data["course"][SOURCE_LANGUAGE]["slug"], course_fields[SOURCE_LANGUAGE])
    _translate_page(course, course_fields, locales)
    lessons = {lesson.slug: lesson for lesson in LessonPage.objects.descendant_of(tot).filter(locale=tot.locale)}
    for position, module_data in enumerate(data["course"][SOURCE_LANGUAGE]["modules"]):
        per_language = {
            language: {
                "title": course_data["modules"][position]["title"],
                "number": position + 1,
                "objectives": "\n".join(course_data["modules"][position]["objectives"]),
                "estimated_minutes": module_data["estimated_minutes"],
                "intro": "",
                "editor_note": "",
            }
            for language, course_data in data["course"].items()
        }
        module = _save_page(course, ModulePage, module_data["slug"], per_language[SOURCE_LANGUAGE])
        wanted = [lessons[slug] for slug in module_data["lessons"] if slug in lessons]
        missing = [slug for slug in module_data["lessons"] if slug not in lessons]
        if missing:
            raise loader.SeedDataError(f"refresher module {module_data['slug']}: unknown lessons {missing}")
        current = [link.lesson_id for link in module.lesson_links.all()]
        if current != [lesson.pk for lesson in wanted]:
            module.lesson_links = [
                ModuleLessonLink(lesson=lesson, sort_order=order) for order, lesson in enumerate(wanted)
            ]
            module.save_revision().publish()
        _translate_page(module, per_language, locales)
    return course
