"""Paper mode: a printed form as PDF, results typed in or read from XLSX/CSV, all or nothing."""

import codecs
import csv
import io
import re
import zlib
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from assessments import paper, services
from assessments.models import Answer, Attempt, PaperForm
from lms.grading.selectors import gradable_learners
from lms.people.roles import Role
from tests.assessments.bank import bank_load
from tests.assessments.helpers import PAPER_KEYS, TURKMEN_TITLE, paper_test
from tests.factories import person
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

FULL_MARKS = ["B", "AC", "F", "KEYONLYpalermo", "AB", "ABC"]


@pytest.fixture
def bank(site_home):
    return bank_load()


@pytest.fixture
def form(bank):
    return services.paper_form_create(assessment=paper_test("pre", PAPER_KEYS), language="tk", user=None)


@pytest.fixture
def trainer(agency_a):
    # also the agency's coordinator, who enters anyone of agency A (a trainer alone: their sessions' participants)
    return person(username="trainer.a", roles=[Role.TRAINER, Role.COORDINATOR], agency=agency_a)


def _row(number, username, cells):
    return {"row": number, "username": username, "cells": {position: text for position, text in enumerate(cells, start=1)}}


def test_a_form_has_a_short_code_and_leaves_out_what_paper_cannot_hold(bank):
    test = paper_test("mixed", [*PAPER_KEYS, "m2-case", "m2-rubric", "m3-cloze"])
    form = services.paper_form_create(assessment=test, language="ru", user=None)
    assert re.fullmatch(r"PRE-[A-HJ-NP-Z2-9]{6}", form.code)
    assert len(form.keys) == 6 and len(form.skipped) == 3  # case, rubric and embedded answers
    assert PaperForm.objects.get(code=form.code).keys == form.keys


def test_the_pdf_is_a_real_pdf_with_the_code_and_the_turkmen_title(form):
    data = paper.paper_form_pdf(form)
    assert data.startswith(b"%PDF-")
    streams = _streams(data)
    objects = b"\n".join([data, *streams])  # objects may sit in compressed object streams
    assert len(re.findall(rb"/Type\s*/Page\b", objects)) >= 2
    assert b"/FontFile" in objects  # Noto Sans is embedded: nothing comes from the system or the internet
    # the document title (test title and code) is stored as UTF-16 text: it must round-trip exactly
    titles = re.findall(rb"/Title\s*<([0-9a-fA-F]+)>", objects) + re.findall(rb"/Title\s*\((.*?)\)", objects)
    decoded = []
    for raw in titles:
        try:
            decoded.append(codecs.decode(bytes.fromhex(raw.decode()), "utf-16"))
        except ValueError:
            decoded.append(raw.decode("latin-1"))
    assert any(TURKMEN_TITLE in title and form.code in title for title in decoded), decoded
    # the code is printed on the pages too: find it in the text the content streams draw
    text, pages = pdf_text(data)
    assert form.code in text and pages >= 2
    # Turkmen letters are printed as themselves: ş and ň come from the latin-ext subset of the font
    assert "Öňünden synag" in text and "garşy göreş" in text, text[:300]


def _streams(data: bytes) -> list:
    streams = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            streams.append(zlib.decompress(match.group(1)))
        except zlib.error:
            streams.append(match.group(1))
    return streams


def test_good_rows_become_paper_attempts_scored_like_online_ones(form, trainer, agency_a):
    amy = person(username="amy", agency=agency_a)
    bob = person(username="bob", agency=agency_a)
    rows = [_row(1, "amy", FULL_MARKS), _row(2, "bob", ["A", "A", "T", "", "BA", "CBA"]), _row(3, "", [""] * 6)]
    attempts = services.paper_results_import(
        form=form, rows=rows, allowed_learners=gradable_learners(user=trainer), entered_by=trainer
    )
    assert [attempt.user for attempt in attempts] == [amy, bob]
    first = Attempt.objects.get(user=amy)
    assert (first.source, first.form_code, first.language, first.state) == ("paper", form.code, "tk", "submitted")
    assert first.entered_by == trainer
    assert first.score == first.max_score == Decimal("7.00")
    # the same responses given online score the same, item by item
    online_test = form.assessment
    online_test.published, online_test.max_attempts = True, 0
    online_test.save()
    online = services.attempt_start(user=bob, assessment=online_test, language="ru")
    for answer in Attempt.objects.get(user=bob, source="paper").answers.all():
        services.answer_save(user=bob, attempt_id=online.pk, position=answer.position, response=answer.response)
    online = services.attempt_submit(attempt_id=online.pk, user=bob)
    paper_bob = Attempt.objects.get(user=bob, source="paper")
    assert online.score == paper_bob.score
    assert paper_bob.number == 1 and online.number == 2
    assert list(Answer.objects.filter(attempt=paper_bob).values_list("response", flat=True)) == [
        "a", ["a"], True, None, {"1": "y", "2": "x"}, ["k3", "k2", "k1"]
    ]


def test_bad_rows_are_all_reported_and_nothing_is_imported(form, trainer, agency_a, agency_b):
    person(username="amy", agency=agency_a)
    person(username="done", agency=agency_a)
    person(username="other", agency=agency_b)
    allowed = gradable_learners(user=trainer)
    services.paper_results_import(form=form, rows=[_row(1, "done", FULL_MARKS)], allowed_learners=allowed)
    rows = [
        _row(2, "amy", FULL_MARKS),  # good, yet not imported because of the others
        _row(3, "ghost", FULL_MARKS),  # unknown user
        _row(4, "amy", ["D", "AC", "F", "", "AB", "ABC"]),  # letter out of range, and amy twice
        _row(5, "other", FULL_MARKS),  # a learner of another agency
        _row(6, "done", FULL_MARKS),  # already entered for this form
        _row(7, "amy", ["B", "AC", "X", "", "A", "AB"]),  # truefalse, matching and ordering wrong
    ]
    with pytest.raises(paper.PaperImportError) as raised:
        services.paper_results_import(form=form, rows=rows, allowed_learners=allowed)
    where = {(row, column) for row, column, _message in raised.value.problems}
    assert {(3, "username"), (4, "1"), (4, "username"), (5, "username"), (6, "username")} <= where
    assert {(7, "3"), (7, "5"), (7, "6")} <= where
    assert not any(row == 2 for row, _column, _message in raised.value.problems)
    assert Attempt.objects.count() == 1


def test_xlsx_and_csv_files_are_read_into_rows(form):
    book = Workbook()
    sheet = book.active
    sheet.append(["username", 1, 2, 3, 4, 5, 6])
    sheet.append(["amy", "B", "AC", "F", "Palermo", "AB", "ABC"])
    sheet.append([None] * 7)
    sheet.append(["bob", "A", None, None, None, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = paper.paper_rows_from_file(SimpleUploadedFile("results.xlsx", buffer.getvalue()))
    assert rows[0] == {"row": 2, "username": "amy", "cells": {1: "B", 2: "AC", 3: "F", 4: "Palermo", 5: "AB", 6: "ABC"}}
    assert rows[1]["row"] == 4 and rows[1]["cells"][1] == "A" and rows[1]["cells"][2] == ""

    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["username", "1", "2", "4"])
    writer.writerow(["aýna", "B", "A,C", "Палермо"])
    upload = SimpleUploadedFile("results.csv", codecs.BOM_UTF8 + text.getvalue().encode("utf-8"))
    assert paper.paper_rows_from_file(upload) == [{"row": 2, "username": "aýna", "cells": {1: "B", 2: "A,C", 4: "Палермо"}}]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", paper.NO_HEADER),
        (b"name,1,2\nx,A,B\n", paper.NO_USERNAME_COLUMN),
        (b"username,1,total\nx,A,B\n", None),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", paper.NOT_A_TABLE),
    ],
)
def test_files_that_are_not_results_are_refused(content, message):
    with pytest.raises(paper.PaperFileError) as raised:
        paper.paper_rows_from_file(SimpleUploadedFile("results.csv", content))
    if message is not None:
        assert str(raised.value.message) == str(message)
    else:
        assert "total" in str(raised.value.message)


def test_cells_follow_the_letters_of_the_sheet():
    options = {"options": [{"key": "a"}, {"key": "b"}, {"key": "c"}]}
    assert paper.cell_response(kind="single", data=options, text=" с ") == "c"  # Cyrillic с typed for C
    assert paper.cell_response(kind="multiple", data=options, text="c, a") == ["a", "c"]
    assert paper.cell_response(kind="truefalse", data={}, text="a") is True
    matching = {"items": [{"key": "1"}, {"key": "2"}], "choices": [{"key": "x"}, {"key": "y"}]}
    assert paper.cell_response(kind="matching", data=matching, text="-A") == {"2": "x"}
    assert paper.cell_response(kind="short", data={}, text="  ") is None
    with pytest.raises(ValueError):
        paper.cell_response(kind="single", data=options, text="AB")
