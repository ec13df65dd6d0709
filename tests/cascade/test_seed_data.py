"""The demo season's sessions (lms/cascade/data/sessions.json) are written in each session's language:
title, venue, report and reason of cancellation (people of a Turkmen session read Turkmen, of a Russian
one Russian), with the older
English (or wrong-language) values kept only to rename what an older demo database holds."""

import json
import re

import pytest

from lms.cascade.seed import DATA_FILE

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# words that give English text away (Turkmen and Russian texts here never use them)
ENGLISH = re.compile(r"\b(the|of|for|and|office|regional|room|hall|directorate|academy|police|session)\b", re.I)

ROWS = json.loads(DATA_FILE.read_text(encoding="utf-8"))["sessions"]


def written_in(text: str) -> str:
    if CYRILLIC.search(text):
        return "ru"
    return "en" if ENGLISH.search(text) else "tk"


@pytest.mark.parametrize("row", ROWS, ids=[row["title"][:30] for row in ROWS])
def test_the_texts_are_in_the_sessions_language(row):
    assert written_in(row["title"]) == row["language"]
    assert written_in(row["venue"]) == row["language"]
    for text in [*row.get("report", {}).values(), *filter(None, [row.get("cancel_reason")])]:
        assert written_in(text) == row["language"], text
    # the English texts are kept for renaming only
    assert written_in(row["venue_en"]) == "en"
    assert all(written_in(text) == "en" for text in row.get("report_en", {}).values())


def test_the_checks_tell_the_three_languages_apart():
    assert written_in("Daşoguz regional prosecutor's office, training room 2") == "en"
    assert written_in("Daşoguz welaýat prokuraturasy, 2-nji okuw otagy") == "tk"
    assert written_in("Прокуратура Дашогузского велаята, учебный класс № 2") == "ru"
