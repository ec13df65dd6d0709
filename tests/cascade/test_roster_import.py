"""Roster import from XLSX and CSV: good files link and create accounts and fill the roster up to the
capacity then the waiting list; a file with bad rows reports every one and writes nothing; files that are
not rosters are refused; only the people who run the session import, and only into an open roster."""

import io
from datetime import time

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from lms.cascade import exceptions as errors
from lms.cascade import roster_import, services
from lms.cascade.models import CascadeSession, SessionParticipant
from lms.cascade.services import Day
from lms.people.models import Profile
from lms.people.roles import Role
from lms.trainers.models import CertificationProgramme
from tests.cascade.conftest import SOON, certified
from tests.factories import RegionFactory, TrainingUnitFactory, person

pytestmark = pytest.mark.django_db

HEADER = ["Username", "Last name", "First name", "E-mail", "Position", "Gender", "Unit", "Region", "Language"]


@pytest.fixture
def programme(curriculum):
    return CertificationProgramme.objects.create(
        code="tot-roster", name_en="Certified trainer", course_key=curriculum["tot"].translation_key, modules=[1, 2]
    )


@pytest.fixture
def unit(agency_a):
    return TrainingUnitFactory(agency=agency_a, code="mary", name_en="Mary unit", name_ru="Марыйское отделение",
                               name_tk="Mary bölümi", region=RegionFactory(code="TM-M", name_en="Mary region"))


@pytest.fixture
def session(trainer, programme, unit):
    return services.session_schedule(
        actor=trainer, title="Identifying victims", course_key=programme.course_key, modules=[1],
        days=[Day(SOON, time(9), time(13))], venue="Mary", capacity=2, language="ru",
    )


def xlsx(rows, *, header=HEADER, name="roster.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type=roster_import.XLSX_MIME)


def csv_file(text: str, *, name="roster.csv", bom=True) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (("\ufeff" if bom else "") + text).encode("utf-8"), content_type="text/csv")


def counts():
    return User.objects.count(), Profile.objects.count(), SessionParticipant.objects.count()


def roster(session):
    return {place.user.username: place.status for place in session.participants.select_related("user")}


# --- good files ------------------------------------------------------------------------------------------


def test_an_xlsx_links_accounts_creates_the_others_and_waitlists_beyond_the_capacity(trainer, session, agency_a, unit):
    known = person(username="gpo.berdiyew", agency=agency_a)
    by_mail = person(username="gpo.amanowa", agency=agency_a, email="Amanowa@Example.org")
    upload = xlsx([
        ["GPO.Berdiyew", "Berdiýew", "Arslan", "", "Prosecutor", "male", "", "", ""],
        ["", "Amanowa", "Jeren", "amanowa@example.org", "Investigator", "female", "", "", ""],
        ["", "Оразова", "Айна", "", "Следователь", "женский", "Марыйское отделение", "", ""],
        ["", "Оразова", "Айна", "ayna@example.org", "Прокурор", "Aýal", "mary", "TM-B", "tk"],
    ])
    result = roster_import.roster_import(actor=trainer, session=session, upload=upload)

    assert result == roster_import.RosterImported(enrolled=2, waitlisted=2, created=2, already=0)
    # in the order of the file: the first two take the two places
    assert roster(session) == {
        known.username: "enrolled", by_mail.username: "enrolled",
        "ayna.orazova": "waitlisted", "ayna.orazova2": "waitlisted",
    }
    first = User.objects.get(username="ayna.orazova")
    assert (first.first_name, first.last_name, first.email) == ("Айна", "Оразова", "")
    assert not first.has_usable_password()
    assert list(first.groups.values_list("name", flat=True)) == [Role.TRAINEE]
    profile = first.profile
    # the unit by its Russian name, the region taken from the unit, the language the session's
    assert (profile.agency, profile.unit, profile.region, profile.position, profile.gender, profile.language) == (
        agency_a, unit, unit.region, "Следователь", "female", "ru"
    )
    second = User.objects.get(username="ayna.orazova2").profile
    assert (second.unit, second.region.code, second.language, second.user.email) == (
        unit, "TM-B", "tk", "ayna@example.org"
    )
    # the existing people's profiles are linked, not changed
    assert Profile.objects.get(user=known).position == "Prosecutor"
    assert Profile.objects.count() == 1 + 2 + 2  # the trainer, the two linked, the two new


def test_a_csv_with_a_bom_semicolons_and_russian_headers(trainer, session, agency_a):
    person(username="trainee.one", agency=agency_a)
    upload = csv_file(
        "№;Имя пользователя;Фамилия;Имя;Должность;Пол;Язык\n"
        "1;TRAINEE.ONE;Myradow;Maksat;Inspector;м;\n"
        "\n"
        "2;;Gurbanowa;Maral;Judge;Ж;English\n"
    )
    result = roster_import.roster_import(actor=trainer, session=session, upload=upload)
    assert result == roster_import.RosterImported(enrolled=2, waitlisted=0, created=1, already=0)
    created = User.objects.get(username="maral.gurbanowa")
    assert (created.profile.gender, created.profile.language, created.profile.position) == ("female", "en", "Judge")
    # a second import of the same file adds nobody and creates nothing
    again = roster_import.roster_import(
        actor=trainer, session=session,
        upload=csv_file("Имя пользователя;Фамилия;Имя;Должность;Пол\ntrainee.one;Myradow;Maksat;Inspector;male\n"
                        "maral.gurbanowa;Gurbanowa;Maral;Judge;female\n"),
    )
    assert again == roster_import.RosterImported(enrolled=0, waitlisted=0, created=0, already=2)


def test_turkmen_headers_and_a_username_given_for_a_new_account(trainer, session):
    upload = csv_file(
        "Ulanyjy ady,Familiýasy,Ady,E-poçta,Wezipesi,Jynsy,Bölüm,Sebit,Dil\n"
        "mergen.h,Hojayew,Mergen,mergen@example.org,Prokuror,Erkek,,Balkan welaýaty,Türkmençe\n",
        bom=False,
    )
    result = roster_import.roster_import(actor=trainer, session=session, upload=upload)
    assert result.created == 1 and result.enrolled == 1
    profile = User.objects.get(username="mergen.h").profile
    assert (profile.gender, profile.region.code, profile.language, profile.unit) == ("male", "TM-B", "tk", None)


def test_usernames_are_made_from_the_latin_transliteration():
    assert roster_import.username_base(first_name="Aýna", last_name="Orazowa") == "ayna.orazowa"
    assert roster_import.username_base(first_name="Щукин", last_name="Жора-Шах") == "shchukin.zhorashakh"
    assert roster_import.username_base(first_name="Şöhrat", last_name="Çaryýew") == "shohrat.charyyew"
    assert roster_import.username_base(first_name="Ә", last_name="ңө") == "a.no"
    assert roster_import.username_base(first_name="的", last_name="") == "participant"


# --- bad rows --------------------------------------------------------------------------------------------


def test_every_bad_row_is_reported_and_nothing_is_written(trainer, session, agency_a, agency_b):
    person(username="gpo.known", agency=agency_a, email="known@example.org")
    person(username="mia.officer", agency=agency_b)
    person(username="nobody.s", agency=None)
    person(username="gone", agency=agency_a, is_active=False)
    person(username="shared.1", agency=agency_a, email="shared@example.org")
    person(username="shared.2", agency=agency_a, email="SHARED@example.org")
    before = counts()
    upload = xlsx([
        ["", "Atayew", "Batyr", "", "Prosecutor", "male", "", "", ""],  # row 2: good
        ["", "", "Ogulgerek", "", "Prosecutor", "female", "", "", ""],  # 3: no last name
        ["", "Annayew", "Kerim", "kerim@", "Prosecutor", "boy", "Nowhere", "TM-X", "de"],  # 4: five problems
        ["mia.officer", "Officer", "Mia", "", "Police", "male", "", "", ""],  # 5: another agency
        ["", "Known", "Person", "KNOWN@example.org", "", "", "", "", ""],  # 6: good (existing, by e-mail)
        ["gpo.known", "Known", "Person", "", "", "", "", "", ""],  # 7: the person of row 6 again
        ["", "Täze", "Adam", "", "", "", "", "", ""],  # 8: new account without position and gender
        ["nobody.s", "No", "Agency", "", "", "", "", "", ""],  # 9: an account in no agency
        ["gone", "Gone", "Away", "", "", "", "", "", ""],  # 10: deactivated
        ["", "Shared", "Mail", "shared@example.org", "", "", "", "", ""],  # 11: two accounts share the e-mail
        ["aygul", "Lead", "Trainer", "", "", "", "", "", ""],  # 12: the session's trainer
        ["bad name!", "Bad", "Name", "", "Clerk", "male", "", "", ""],  # 13: not a username
    ])
    with pytest.raises(errors.RosterRowsRefused) as refused:
        roster_import.roster_import(actor=trainer, session=session, upload=upload)
    assert str(refused.value.message) == str(errors.ROSTER_NOT_IMPORTED)
    assert refused.value.problems == [
        (3, "Last name", str(errors.ROSTER_REQUIRED)),
        (4, "E-mail", str(errors.ROSTER_BAD_EMAIL) % {"value": "kerim@"}),
        (4, "Gender", str(errors.ROSTER_BAD_GENDER) % {"value": "boy"}),
        (4, "Unit", str(errors.ROSTER_UNKNOWN_UNIT) % {"value": "Nowhere", "agency": agency_a.name}),
        (4, "Region", str(errors.ROSTER_UNKNOWN_REGION) % {"value": "TM-X"}),
        (4, "Language", str(errors.ROSTER_BAD_LANGUAGE) % {"value": "de"}),
        (5, "Username", str(errors.ROSTER_OTHER_AGENCY) % {"value": "mia.officer", "agency": agency_a.name}),
        (7, "Username", str(errors.ROSTER_SAME_PERSON) % {"row": 6}),
        (8, "Position", str(errors.ROSTER_REQUIRED_NEW)),
        (8, "Gender", str(errors.ROSTER_REQUIRED_NEW)),
        (9, "Username", str(errors.ROSTER_NO_AGENCY) % {"value": "nobody.s", "agency": agency_a.name}),
        (10, "Username", str(errors.ROSTER_INACTIVE) % {"value": "gone"}),
        (11, "E-mail", str(errors.ROSTER_EMAIL_SHARED) % {"value": "shared@example.org"}),
        (12, "Username", str(errors.ROSTER_TRAINER) % {"value": "aygul"}),
        (13, "Username", str(errors.ROSTER_BAD_USERNAME) % {"value": "bad name!"}),
    ]
    assert counts() == before
    assert not User.objects.filter(username="batyr.atayew").exists()


def test_a_person_of_another_agency_is_refused_alone(trainer, session, agency_a, agency_b):
    person(username="mia.officer", agency=agency_b, email="officer@mia.example.org")
    before = counts()
    upload = csv_file("E-mail,Last name,First name,Position,Gender\nofficer@mia.example.org,Officer,Mia,Police,male\n")
    with pytest.raises(errors.RosterRowsRefused) as refused:
        roster_import.roster_import(actor=trainer, session=session, upload=upload)
    assert refused.value.problems == [
        (2, "E-mail", str(errors.ROSTER_OTHER_AGENCY) % {"value": "officer@mia.example.org", "agency": agency_a.name})
    ]
    assert counts() == before


# --- files that are not rosters --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("roster.xls", b"\xd0\xcf\x11\xe0 an old Excel file"), errors.ROSTER_NOT_A_TABLE),
        (SimpleUploadedFile("roster.pdf", b"%PDF-1.7"), errors.ROSTER_NOT_A_TABLE),
        (SimpleUploadedFile("roster.xlsx", b"Last name,First name\n"), errors.ROSTER_NOT_A_TABLE),
        (SimpleUploadedFile("roster.xlsx", b"PK\x03\x04 not really a workbook"), errors.ROSTER_NOT_A_TABLE),
        (SimpleUploadedFile("roster.csv", "Фамилия;Имя\n".encode("cp1251")), errors.ROSTER_NOT_A_TABLE),
        (SimpleUploadedFile("roster.csv", b""), errors.ROSTER_EMPTY),
        (SimpleUploadedFile("roster.csv", b"\n\n  \n"), errors.ROSTER_EMPTY),
        (SimpleUploadedFile("roster.csv", b"Last name,First name,Position,Gender\n"), errors.ROSTER_NO_PEOPLE),
        (SimpleUploadedFile("roster.csv", b"x" * (2 * 1024 * 1024 + 1)), errors.ROSTER_TOO_BIG % {"size": 2}),
        (
            SimpleUploadedFile("roster.csv", ("Last name,First name,Position,Gender\n" + "A,B,C,male\n" * 1001).encode()),
            errors.ROSTER_TOO_MANY_ROWS % {"count": 1000},
        ),
        (
            SimpleUploadedFile("roster.csv", b"Surname,Name,Position\nA,B,C\n"),
            errors.ROSTER_MISSING_COLUMNS % {"columns": "“Gender”"},
        ),
        (
            SimpleUploadedFile("roster.csv", b"Last name,Surname,First name,Position,Gender\nA,A,B,C,male\n"),
            errors.ROSTER_DUPLICATE_COLUMN % {"column": "Surname"},
        ),
    ],
    ids=["xls", "pdf", "csv-named-xlsx", "broken-zip", "cp1251", "empty", "blank", "header-only", "too-big",
         "too-many-rows", "missing-column", "duplicate-column"],
)
def test_files_that_are_not_rosters_are_refused(trainer, session, upload, message):
    before = counts()
    with pytest.raises(errors.RosterFileRefused) as refused:
        roster_import.roster_import(actor=trainer, session=session, upload=upload)
    assert str(refused.value.message) == str(message)
    assert counts() == before


def test_a_thousand_rows_are_allowed(trainer, session):
    table = roster_import.roster_file_read(
        SimpleUploadedFile("roster.csv", ("Last name,First name,Position,Gender\n" + "A,B,C,male\n" * 1000).encode())
    )
    assert len(table.rows) == 1000 and table.rows[-1]["row"] == 1001


# --- who may, and when -----------------------------------------------------------------------------------


def test_only_the_people_who_run_the_session_import(trainer, session, agency_a, agency_b, programme):
    outsider = person(username="mia.trainer", roles=[Role.TRAINER], agency=agency_b)
    certified(outsider, programme)
    colleague = person(username="gpo.trainer", roles=[Role.TRAINER], agency=agency_a)
    good = "Last name,First name,Position,Gender\nAtayew,Batyr,Prosecutor,male\n"
    before = counts()
    for actor in (outsider, colleague):
        with pytest.raises(errors.NotPermitted):
            roster_import.roster_import(actor=actor, session=session, upload=csv_file(good))
    assert counts() == before


@pytest.mark.parametrize("state", ["cancelled", "reported"])
def test_a_closed_roster_takes_no_import(trainer, session, state):
    CascadeSession.objects.filter(pk=session.pk).update(state=state)
    session.refresh_from_db()
    before = counts()
    with pytest.raises(errors.SessionRefused) as refused:
        roster_import.roster_import(
            actor=trainer, session=session,
            upload=csv_file("Last name,First name,Position,Gender\nAtayew,Batyr,Prosecutor,male\n"),
        )
    assert refused.value.message == errors.ROSTER_CLOSED
    assert counts() == before


# --- the pages -------------------------------------------------------------------------------------------


def url(name, session):
    return reverse(f"cascade:{name}", args=[session.pk])


def test_the_import_page_the_template_and_the_result(client, trainer, session, agency_a, unit):
    client.force_login(trainer)
    roster_page = client.get(url("session_roster", session))
    assert url("roster_import", session) in roster_page.content.decode()
    page = client.get(url("roster_import", session))
    assert page.status_code == 200 and url("roster_template", session) in page.content.decode()

    with translation.override("ru"):
        template = client.get(url("roster_template", session))
    assert template.status_code == 200 and template["Content-Type"] == roster_import.XLSX_MIME
    workbook = load_workbook(io.BytesIO(template.content), read_only=True)
    header = [cell for cell in next(workbook.worksheets[0].iter_rows(values_only=True))]
    assert header[:4] == ["Имя пользователя", "Фамилия", "Имя", "Эл. почта"]
    values = [row[0] for row in workbook.worksheets[1].iter_rows(values_only=True)]
    assert "Марыйское отделение" in values

    # the template, filled in, imports as it is
    workbook = load_workbook(io.BytesIO(template.content))
    workbook.worksheets[0].append(["", "Атаев", "Батыр", "", "Прокурор", "Мужской", "Марыйское отделение", "", ""])
    out = io.BytesIO()
    workbook.save(out)
    response = client.post(url("roster_import", session), {"file": SimpleUploadedFile("filled.xlsx", out.getvalue())})
    assert response.status_code == 200
    assert response.context["result"] == roster_import.RosterImported(enrolled=1, waitlisted=0, created=1, already=0)
    assert "1 enrolled, 0 on the waiting list, 1 new accounts." in response.content.decode()
    assert roster(session) == {"batyr.ataev": "enrolled"}


def test_the_page_lists_the_bad_rows(client, trainer, session):
    client.force_login(trainer)
    before = counts()
    upload = csv_file("Last name,First name,Position,Gender\n,Batyr,Prosecutor,male\nAtayew,Batyr,Prosecutor,x\n")
    response = client.post(url("roster_import", session), {"file": upload})
    assert response.status_code == 400
    assert response.context["problems"] == [
        (2, "Last name", str(errors.ROSTER_REQUIRED)),
        (3, "Gender", str(errors.ROSTER_BAD_GENDER) % {"value": "x"}),
    ]
    assert str(errors.ROSTER_NOT_IMPORTED) in response.content.decode()
    assert counts() == before
    wrong = client.post(url("roster_import", session), {"file": SimpleUploadedFile("roster.docx", b"PK\x03\x04")})
    assert wrong.status_code == 400
    assert list(wrong.context["form"].non_field_errors()) == [str(errors.ROSTER_NOT_A_TABLE)]


def test_a_trainer_of_another_agency_gets_404_and_a_participant_403(client, session, agency_a, agency_b, programme):
    outsider = person(username="mia.trainer", roles=[Role.TRAINER], agency=agency_b)
    certified(outsider, programme)
    upload = csv_file("Last name,First name,Position,Gender\nAtayew,Batyr,Prosecutor,male\n")
    before = counts()
    client.force_login(outsider)
    assert client.get(url("roster_import", session)).status_code == 404
    assert client.get(url("roster_template", session)).status_code == 404
    assert client.post(url("roster_import", session), {"file": upload}).status_code == 404
    participant = person(username="gpo.participant", agency=agency_a)
    SessionParticipant.objects.create(session=session, user=participant)
    client.force_login(participant)
    assert client.get(url("roster_import", session)).status_code == 403
    assert client.post(url("roster_import", session), {"file": upload}).status_code == 403
    assert counts() == (before[0] + 1, before[1] + 1, before[2] + 1)


def test_the_template_lists_a_unit_named_like_a_formula_as_text(client, trainer, session, agency_a):
    from tests.spreadsheet_checks import ATTACK, NEUTRALISED, all_values, workbook_without_formulas

    TrainingUnitFactory(agency=agency_a, code="-1+1", name_en=ATTACK)
    client.force_login(trainer)
    workbook = workbook_without_formulas(client.get(url("roster_template", session)).content)
    values = all_values(workbook)
    assert NEUTRALISED in values and "'-1+1" in values and ATTACK not in values
