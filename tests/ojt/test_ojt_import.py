"""The XLSX import of OJT records: headers in three languages, all or nothing with every bad row named,
limits, the template, and scoping of the page."""

import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from lms.ojt import exceptions as errors
from lms.ojt import imports
from lms.ojt.models import OJTRecord
from tests.ojt.conftest import TODAY
from tests.factories import TrainingUnitFactory, person

pytestmark = pytest.mark.django_db

YEAR = TODAY.year - 1


def import_url():
    return reverse("ojt:ojt_import")


@pytest.fixture
def unit_a(agency_a):
    return TrainingUnitFactory(agency=agency_a, code="balkan", name_en="Training unit, Balkan region",
                               name_ru="Учебное подразделение, Балканский велаят")


@pytest.fixture
def staff(agency_a, unit_a):
    first = person(username="gpo.berdiyew", agency=agency_a, email="kerim@example.org")
    second = person(username="gpo.amanowa", agency=agency_a, email="Ogulbabek@Example.org")
    second.profile.unit = unit_a
    second.profile.save()
    return first, second


def workbook(rows, header=("staff", "date", "hours", "topic", "module", "instructor", "evidence", "unit")) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name="ojt.xlsx"):
    return SimpleUploadedFile(name, content, content_type=imports.XLSX_CONTENT_TYPE)


def run(coordinator, agency, content, **kwargs):
    return imports.records_import_file(actor=coordinator, agency=agency, upload=upload(content), **kwargs)


def test_a_good_file_with_russian_headers_is_imported(curriculum, coordinator_a, agency_a, unit_a, staff):
    content = workbook(
        [
            ["gpo.berdiyew", datetime(YEAR, 3, 4), 2, "Квалификация по статье 129-1", 1, "Мерван Аннаев", "Приказ № 12", ""],
            ["ogulbabek@example.org", f"15.04.{YEAR}", "1,5", "Identification indicators", "", "Kakageldi Öwezow", "", "balkan"],
            [None, None, None, None, None, None, None, None],  # an empty line is skipped
            ["GPO.BERDIYEW", f"{YEAR}-05-06", 0.75, "Mutual legal assistance", "2", "Arslan", "", "Training unit, Balkan region"],
        ],
        header=("Сотрудник", "Дата", "Часы", "Тема", "Модуль", "Наставник", "Подтверждение", "Подразделение"),
    )
    result = run(coordinator_a, agency_a, content)
    assert (result.created, result.problems) == (3, [])
    first, second = staff
    rows = list(OJTRecord.objects.order_by("date").values_list("staff", "date", "hours", "module", "unit", "source"))
    assert rows == [
        (first.pk, date(YEAR, 3, 4), Decimal("2.00"), 1, None, "imported"),
        (second.pk, date(YEAR, 4, 15), Decimal("1.50"), None, unit_a.pk, "imported"),
        (first.pk, date(YEAR, 5, 6), Decimal("0.75"), 2, unit_a.pk, "imported"),
    ]
    assert OJTRecord.objects.get(date=date(YEAR, 3, 4)).evidence == "Приказ № 12"


def test_bad_rows_import_nothing_and_each_is_reported(curriculum, coordinator_a, agency_a, staff):
    stranger = person(username="mia.nazarow", agency=person(username="x").profile.agency)
    good = ["gpo.berdiyew", datetime(YEAR, 3, 4), 2, "Interviewing", 1, "Mentor", "", ""]
    content = workbook([
        good,
        ["nobody", datetime(YEAR, 3, 4), 2, "Interviewing", 1, "Mentor", "", ""],
        [stranger.username, datetime(YEAR, 3, 4), 2, "Interviewing", 1, "Mentor", "", ""],
        ["gpo.berdiyew", datetime(YEAR, 3, 4), 0, "Interviewing", 1, "Mentor", "", ""],
        ["gpo.berdiyew", TODAY + timedelta(days=3), 2, "Interviewing", 1, "Mentor", "", ""],
        ["gpo.berdiyew", "the fourth of May", 2, "Interviewing", 1, "Mentor", "", ""],
        ["gpo.berdiyew", datetime(YEAR, 3, 4), 2, "", 1, "Mentor", "", ""],
        ["gpo.berdiyew", datetime(YEAR, 3, 4), 2, "Interviewing", 9, "Mentor", "", ""],
        ["gpo.berdiyew", datetime(YEAR, 3, 4), 2, "Interviewing", 1, "Mentor", "", "mars"],
        ["", datetime(YEAR, 3, 4), 2, "Interviewing", 1, "Mentor", "", ""],
        ["gpo.berdiyew", datetime(YEAR, 3, 4), "a lot", "Interviewing", 1, "Mentor", "", ""],
        good,
    ])
    result = run(coordinator_a, agency_a, content)
    assert result.created == 0 and not OJTRecord.objects.exists()
    assert [(problem.row, str(problem.message)) for problem in result.problems] == [
        (3, "No person with the username or e-mail “nobody”."),
        (4, f"{stranger.get_full_name()} is not on the staff of General Prosecutor's Office."),
        (5, str(errors.OJT_HOURS)),
        (6, str(errors.OJT_FUTURE_DATE)),
        (7, "“the fourth of May” is not a date (write it as YYYY-MM-DD or DD.MM.YYYY)."),
        (8, str(errors.OJT_TOPIC_REQUIRED)),
        (9, "Module 9 is not a module of the national course."),
        (10, "No training unit “mars” in General Prosecutor's Office."),
        (11, str(errors.OJT_STAFF_REQUIRED)),
        (12, "“a lot” is not a number of hours."),
    ]


@pytest.mark.parametrize(
    "content,message",
    [
        (b"staff,date,hours\n", str(errors.OJT_NOT_XLSX)),
        (b"PK\x03\x04 broken", str(errors.OJT_NOT_XLSX)),
        (workbook([["gpo.berdiyew", "2025-01-01"]], header=("staff", "date")),
         "The columns hours, topic, instructor are missing."),
        (workbook([]), str(errors.OJT_NO_ROWS)),
        (workbook([], header=("name", "when")), str(errors.OJT_NO_HEADER)),
    ],
)
def test_an_unusable_file_is_refused_as_a_whole(curriculum, coordinator_a, agency_a, staff, content, message):
    with pytest.raises(imports.ImportFileError) as refused:
        run(coordinator_a, agency_a, content)
    assert str(refused.value.message) == message


def test_limits_of_rows_and_size(curriculum, coordinator_a, agency_a, staff, monkeypatch):
    rows = [["gpo.berdiyew", datetime(YEAR, 3, day), 1, "Case review", "", "Mentor", "", ""] for day in range(1, 6)]
    monkeypatch.setattr(imports, "MAX_ROWS", 4)
    with pytest.raises(imports.ImportFileError) as refused:
        run(coordinator_a, agency_a, workbook(rows))
    assert "more than 4 rows" in str(refused.value.message)
    monkeypatch.setattr(imports, "MAX_ROWS", 2000)
    monkeypatch.setattr(imports, "MAX_BYTES", 100)
    with pytest.raises(imports.ImportFileError):
        run(coordinator_a, agency_a, workbook(rows))
    assert not OJTRecord.objects.exists()


def test_the_import_page_lists_problems_or_says_how_many(client, curriculum, coordinator_a, agency_a, staff):
    client.force_login(coordinator_a)
    page = client.get(import_url())
    assert page.status_code == 200 and page.context["form"]["agency"].value() == agency_a.pk
    bad = workbook([["gpo.berdiyew", datetime(YEAR, 3, 4), 30, "Interviewing", "", "Mentor", "", ""]])
    response = client.post(import_url(), {"agency": agency_a.pk, "file": upload(bad)})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-row="2"' in html and str(errors.OJT_HOURS) in html and not OJTRecord.objects.exists()
    good = workbook([["gpo.berdiyew", datetime(YEAR, 3, 4), 3, "Interviewing", "", "Mentor", "", ""],
                     ["gpo.amanowa", datetime(YEAR, 3, 5), 3, "Interviewing", "", "Mentor", "", ""]])
    response = client.post(import_url(), {"agency": agency_a.pk, "file": upload(good)}, follow=True)
    assert "2 records imported." in response.content.decode()
    assert OJTRecord.objects.count() == 2
    not_a_workbook = client.post(import_url(), {"agency": agency_a.pk, "file": upload(b"hello", "x.csv")})
    assert not_a_workbook.status_code == 400 and str(errors.OJT_NOT_XLSX) in not_a_workbook.content.decode()


def test_a_coordinator_cannot_import_into_another_agency(client, curriculum, coordinator_b, agency_a, staff):
    client.force_login(coordinator_b)
    good = workbook([["gpo.berdiyew", datetime(YEAR, 3, 4), 3, "Interviewing", "", "Mentor", "", ""]])
    response = client.post(import_url(), {"agency": agency_a.pk, "file": upload(good)})
    assert response.status_code == 400 and not OJTRecord.objects.exists()
    # into their own agency, A's people are not staff
    response = client.post(import_url(), {"agency": coordinator_b.profile.agency.pk, "file": upload(good)})
    assert response.status_code == 400 and "is not on the staff of" in response.content.decode()
    assert not OJTRecord.objects.exists()


@pytest.mark.parametrize("language", ["en", "ru", "tk"])
def test_the_template_names_the_columns_in_the_users_language_and_imports_back(
    client, curriculum, coordinator_a, agency_a, staff, language
):
    client.force_login(coordinator_a)
    with translation.override(language):
        response = client.get(reverse("ojt:ojt_import_template"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header == [imports.HEADERS[column][language][0] for column in imports.COLUMNS]
    assert len(book.worksheets) == 2  # the second explains the columns
    sheet.append(["gpo.berdiyew", datetime(YEAR, 6, 1), 2, "Victim-sensitive interviewing", 2, "Aýgül Orazowa", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    result = run(coordinator_a, agency_a, buffer.getvalue())
    assert (result.created, result.problems) == (1, [])


def test_row_numbers_are_the_lines_of_the_sheet_past_blank_lines(curriculum, coordinator_a, agency_a, staff):
    content = workbook([
        [None] * 8,
        [None] * 8,
        ["gpo.berdiyew", datetime(YEAR, 3, 4), 25, "Interviewing", "", "Mentor", "", ""],
    ])
    result = run(coordinator_a, agency_a, content)
    assert [(problem.row, str(problem.message)) for problem in result.problems] == [(4, str(errors.OJT_HOURS))]
