"""The reports read in the reader's language: names for codes, flags as advice, p-values, translated downloads."""

import io
import re
from html import unescape

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from lms.reports import presentation

pytestmark = pytest.mark.django_db

RAW_CODES = {"TM-B", "TM-D", "female", "male", "GPO", "MIA", "en", "ru", "tk", "m1-objective", "tot-2025"}
SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")
AGENCY = {"en": "General Prosecutor's Office", "ru": "Генеральная прокуратура", "tk": "Baş prokuratura"}
REGION = {"en": "Balkan region", "ru": "Балканский велаят", "tk": "Balkan welaýaty"}
LANGUAGES = ("en", "ru", "tk")


def cells(html: str) -> list[str]:
    """The text of every table cell and row heading of a page, except the secondary "code" cells."""
    found = re.findall(r"<t([dh])([^>]*)>(.*?)</t\1>", html, flags=re.S)
    return [
        unescape(re.sub(r"<[^>]+>", "", text)).strip()
        for _kind, attributes, text in found
        if 'class="muted"' not in attributes
    ]


def get(client, name, language, **query):
    with translation.override(language):
        return client.get(reverse(name), query)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_knowledge_gain_page_shows_names_not_codes(client, results, manager, language):  # noqa: F811
    client.force_login(manager)
    response = get(client, "reports:knowledge_gain", language)
    html = response.content.decode()
    shown = cells(html)
    assert not RAW_CODES & set(shown), RAW_CODES & set(shown)
    assert AGENCY[language] in shown and REGION[language] in shown
    assert dict(presentation.settings.LANGUAGES)["en"] in shown  # the attempts were taken in English
    # item titles in the reader's language version of the question
    assert f"m1-single ({language})" in shown and f"m1-truefalse ({language})" in shown
    other = {"en", "ru", "tk"} - {language}
    assert not [text for text in shown for code in other if text.endswith(f"({code})") and text.startswith("m1-")]
    # objectives by their module, the slug only in the secondary code column
    with translation.override(language):
        assert str(presentation.module_labels([1])[1]) in shown
    assert "m1-objective" in html  # kept, in the code column
    # "p = 0,0000" is gone: a p-value reads "p = …" or "p < …"
    assert "0,0000" not in html and "0.0000" not in html


def test_flags_say_what_to_do(client, results, manager):  # noqa: F811
    client.force_login(manager)
    items = get(client, "reports:knowledge_gain", "en").context["items"]
    assert {item["flag"] for item in items} <= set(presentation.FLAGS) | {""}
    assert presentation.flag_text("poor discrimination") == "Discrimination below 0.2: review this item"
    with translation.override("ru"):
        assert presentation.flag_text("poor discrimination") != "Discrimination below 0.2: review this item"
    html = get(client, "reports:knowledge_gain", "en").content.decode()
    assert "poor discrimination" not in html and "too easy<" not in html


@pytest.mark.parametrize(
    ("value", "language", "text"),
    [
        (0.0000123, "en", "p < 0.001"),
        (0.0000123, "ru", "p < 0,001"),
        (0.03125, "en", "p = 0.03"),
        (0.03125, "tk", "p = 0,03"),
        (0.0042, "en", "p = 0.004"),
        (0.5, "en", "p = 0.50"),
        (1.0, "ru", "p = 1,00"),
        (None, "en", "—"),
        (float("nan"), "en", "—"),
    ],
)


def test_p_values_read_as_people_write_them(value, language, text):
    with translation.override(language):
        assert presentation.p_value(value) == text


def headers(workbook) -> list[str]:
    """Every header cell of every table sheet (the first row; the "Read me" sheet is text)."""
    return [
        cell for sheet in workbook.worksheets[1:]
        for cell in next(sheet.iter_rows(values_only=True), ()) if cell is not None
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_knowledge_gain_downloads_are_in_the_readers_language(client, results, manager, language):  # noqa: F811
    client.force_login(manager)
    workbook = openpyxl.load_workbook(io.BytesIO(get(client, "reports:knowledge_gain", language, download="xlsx").content))
    with translation.override(language):
        assert workbook.sheetnames[0] == str(presentation.gettext("Read me"))
        expected = {presentation.column_title(column) for column in ("learner_id", "mean_pre", "wilcoxon_p", "agency")}
    found = headers(workbook)
    assert not [title for title in found if SNAKE.match(str(title)) or str(title).lower() == "index"]
    assert expected <= set(found)
    if language != "en":
        assert "Learner ID" not in found and "Mean before (%)" not in found
    learners = list(workbook.worksheets[1].iter_rows(values_only=True))
    row = dict(zip(learners[0], learners[1]))
    with translation.override(language):
        agency, region, gender = (presentation.column_title(name) for name in ("agency", "region", "gender"))
        learner_id = presentation.column_title("learner_id")
        assert row[gender] == presentation.gender_label("female")
    assert row[agency] == AGENCY[language] and row[region] == REGION[language]
    assert isinstance(row[learner_id], int)
    # numbers rounded: 2 decimals for means and gains, 3 for p-values
    by_agency = list(workbook.worksheets[3].iter_rows(values_only=True))
    for line in by_agency[1:]:
        for title, value in zip(by_agency[0], line):
            if isinstance(value, float):
                assert round(value, 3) == value
    readme = [cell for row in workbook.worksheets[0].iter_rows(values_only=True) for cell in row if cell]
    assert len(readme) > 10
    csv = get(client, "reports:knowledge_gain", language, download="csv").getvalue().decode("utf-8")
    header = csv.lstrip("\ufeff").splitlines()[0].split(",")
    assert not [title for title in header if SNAKE.match(title)]


def test_rounding_keeps_the_figures(results, manager):  # noqa: F811
    import pandas as pd

    frame = pd.DataFrame({"mean_pre": [33.333333], "wilcoxon_p": [0.0123456], "n": [3]})
    rounded = presentation.presentable(frame)
    assert rounded.loc[0, "mean_pre"] == 33.33 and rounded.loc[0, "wilcoxon_p"] == 0.012 and rounded.loc[0, "n"] == 3


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_reach_page_and_downloads_show_names(client, world, manager, language):  # noqa: F811
    client.force_login(manager)
    html = get(client, "reports:reach", language).content.decode()
    shown = cells(html)
    assert not RAW_CODES & set(shown), RAW_CODES & set(shown)
    assert AGENCY[language] in shown
    assert "ToT 2025" in shown
    workbook = openpyxl.load_workbook(io.BytesIO(get(client, "reports:reach", language, download="xlsx").content))
    found = headers(workbook)
    assert not [title for title in found if SNAKE.match(str(title))]
    with translation.override(language):
        assert presentation.column_title("participants") in found
        assert presentation.column_title("agency_code") in found
    csv = get(client, "reports:reach", language, download="csv").getvalue().decode("utf-8")
    header = csv.lstrip("\ufeff").splitlines()[0].split(",")
    assert not [title for title in header if SNAKE.match(title)]
    assert AGENCY[language] in csv


def test_report_tables_are_sortable_without_inline_script(client, world, results, manager):  # noqa: F811
    client.force_login(manager)
    for name in ("reports:reach", "reports:knowledge_gain"):
        html = get(client, name, "en").content.decode()
        assert "js/sortable-tables.js" in html and "data-sortable" in html and 'class="table-scroll"' in html
        assert "<script>" not in html and " style=" not in html.split("<svg")[0]
