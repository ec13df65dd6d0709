"""Question texts for the terminology check, and the check itself over every source.

``terminology_findings`` is what ``manage.py check_terms`` and the admin report call: the lessons,
questions, legal provisions, H5P activity texts and ru/tk catalogue strings that use a deprecated variant
of the termbase, each with the preferred term.
"""

from collections.abc import Iterator

from wagtail.admin.admin_url_finder import AdminURLFinder

from content import terminology
from content.terminology import Finding, Text, strings
from courses.terminology import lesson_texts

from .models import Question

# identifiers and answer keys in ``Question.data``, not text
DATA_SKIP = frozenset({"key", "correct", "kind", "type", "scoring", "weight", "points", "max_words", "order"})
SOURCES = ("lesson", "question", "provision", "h5p", "catalogue")


def question_texts() -> Iterator[Text]:
    """Every text of each question: title, prompt, feedback and the texts in its data (not the editor note)."""
    finder = AdminURLFinder()
    for question in Question.objects.select_related("locale").order_by("key", "locale__language_code"):
        url = finder.get_edit_url(question) or ""
        texts = [question.title, question.prompt, question.feedback, *strings(question.data, DATA_SKIP)]
        yield Text("question", question.key, question.locale.language_code, "\n".join(texts), url)


def source_texts(kinds=SOURCES) -> Iterator[Text]:
    readers = {
        "lesson": lesson_texts,
        "question": question_texts,
        "provision": terminology.provision_texts,
        "h5p": terminology.h5p_texts,
        "catalogue": terminology.catalogue_texts,
    }
    for kind in kinds:
        yield from readers[kind]()


def terminology_findings(kinds=SOURCES) -> list[Finding]:
    """Every use of a deprecated variant in the given kinds of source, in source order."""
    return terminology.find_in(source_texts(kinds))
