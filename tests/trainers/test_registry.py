"""The registry of trainers: scoped by agency everywhere (page, profile, XLSX), filtered, with delivery figures."""

import io
from datetime import date, datetime, timedelta
from uuid import uuid4

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from lms.people.roles import Role
from lms.trainers import delivery, registry
from lms.trainers.models import Certification, CertificationEvent, CertificationProgramme, ToTCohort
from tests.factories import RegionFactory, person
from tests.trainers.helpers import certify

pytestmark = pytest.mark.django_db

TODAY = date.today()


def url(name, *args):
    with translation.override("en"):
        return reverse(f"trainers:{name}", args=args)


@pytest.fixture
def programme(db):
    return CertificationProgramme.objects.create(
        code="ctip-tot", name_en="Combating trafficking: trainers", course_key=uuid4(), modules=[1, 2, 3]
    )


@pytest.fixture
def programme_b(db):
    return CertificationProgramme.objects.create(
        code="victims", name_en="Victim identification: trainers", course_key=uuid4(), modules=[4, 5]
    )




def trainer(username, agency, **fields):
    return person(username=username, roles=[Role.TRAINER], agency=agency, **fields)


@pytest.fixture
def pool(agency_a, agency_b, programme):
    """One certified trainer in each agency."""
    ayna = trainer("ayna", agency_a, first_name="Aýna", last_name="Orazowa")
    batyr = trainer("batyr", agency_b, first_name="Batyr", last_name="Myradow")
    return {"ayna": certify(ayna, programme), "batyr": certify(batyr, programme)}


@pytest.fixture
def fake_delivery(request):
    """Register a provider reporting deliveries for a few users; count its calls; restore afterwards."""
    figures = {}
    calls = []

    def provider(*, user_ids, since, until):
        calls.append(list(user_ids))
        return {user_id: figures[user_id] for user_id in user_ids if user_id in figures}

    delivery.provider_set(provider)
    # tests/trainers/conftest.py puts the real provider back after the test
    return figures, calls


def names(rows):
    return [row.user.username for row in rows]


# --- who sees what ------------------------------------------------------------------------------------


def test_a_coordinator_sees_the_trainers_of_their_agency_only(client, pool, coordinator_a):
    client.force_login(coordinator_a)
    response = client.get(url("registry"))
    assert response.status_code == 200
    assert names(response.context["rows"]) == ["ayna"]
    html = response.content.decode()
    assert "Orazowa" in html
    assert "Myradow" not in html
    assert url("trainer_profile", pool["ayna"].user_id) in html


def test_a_programme_manager_sees_every_agency(client, pool, manager):
    client.force_login(manager)
    rows = client.get(url("registry")).context["rows"]
    assert sorted(names(rows)) == ["ayna", "batyr"]


def test_a_coordinator_cannot_open_another_agencys_trainer(client, pool, coordinator_a):
    client.force_login(coordinator_a)
    assert client.get(url("trainer_profile", pool["batyr"].user_id)).status_code == 404
    assert client.get(url("trainer_profile", pool["ayna"].user_id)).status_code == 200


def test_the_export_is_scoped_too(client, pool, coordinator_a):
    client.force_login(coordinator_a)
    sheet = load_workbook(io.BytesIO(client.get(url("registry_export")).content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Aýna Orazowa"]


@pytest.mark.parametrize("role", [Role.TRAINER, Role.TRAINEE, Role.EDITOR])
def test_other_roles_are_refused(client, pool, agency_a, role):
    client.force_login(person(username="someone", roles=[role], agency=agency_a))
    assert client.get(url("registry")).status_code == 403
    assert client.get(url("registry_export")).status_code == 403
    assert client.get(url("trainer_profile", pool["ayna"].user_id)).status_code == 403


def test_a_certified_trainer_cannot_read_the_registry_about_themselves(client, pool):
    client.force_login(pool["ayna"].user)
    assert client.get(url("registry")).status_code == 403
    assert client.get(url("trainer_profile", pool["ayna"].user_id)).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, pool):
    response = client.get(url("registry"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_candidates_are_not_in_the_registry(client, programme, agency_a, manager):
    certify(trainer("nominee", agency_a), programme, status=Certification.Status.CANDIDATE)
    assert registry.trainer_registry(actor=manager) == []
    nominee_id = Certification.objects.get().user_id
    client.force_login(manager)
    assert client.get(url("trainer_profile", nominee_id)).status_code == 404


# --- filters ------------------------------------------------------------------------------------------


def test_filter_by_agency(pool, manager, agency_b):
    assert names(registry.trainer_registry(actor=manager, agency=agency_b.pk)) == ["batyr"]


def test_a_coordinator_filtering_by_another_agency_gets_nobody(pool, coordinator_a, agency_b):
    assert registry.trainer_registry(actor=coordinator_a, agency=agency_b.pk) == []


def test_filter_by_region_of_the_profile(pool, manager):
    ahal = RegionFactory(code="TM-A", name_en="Ahal region", name_ru="Ахалский велаят", name_tk="Ahal welaýaty")
    profile = pool["batyr"].user.profile
    profile.region = ahal
    profile.save()
    assert names(registry.trainer_registry(actor=manager, region=ahal.pk)) == ["batyr"]


def test_filter_by_cohort_or_profile_language(programme, programme_b, agency_a, manager):
    cohort = ToTCohort.objects.create(
        code="tot-1", title="ToT 1", programme=programme, starts_on=TODAY - timedelta(days=200),
        ends_on=TODAY - timedelta(days=195), language="ru",
    )
    certify(trainer("by-cohort", agency_a, language="tk"), programme, cohort=cohort)
    certify(trainer("by-profile", agency_a, language="ru"), programme_b)
    certify(trainer("neither", agency_a, language="tk"), programme_b)
    assert sorted(names(registry.trainer_registry(actor=manager, language="ru"))) == ["by-cohort", "by-profile"]
    assert sorted(names(registry.trainer_registry(actor=manager, language="tk"))) == ["by-cohort", "neither"]


def test_filter_by_status_and_the_expired_by_date_rule(programme, agency_a, manager):
    certify(trainer("valid", agency_a), programme)
    lapsed = certify(trainer("lapsed", agency_a), programme, valid_until=TODAY - timedelta(days=1))
    certify(trainer("recorded", agency_a), programme, status=Certification.Status.EXPIRED, valid_until=TODAY - timedelta(days=30))
    certify(trainer("paused", agency_a), programme, status=Certification.Status.SUSPENDED)
    certify(trainer("struck", agency_a), programme, status=Certification.Status.REVOKED)

    def by(status):
        return sorted(names(registry.trainer_registry(actor=manager, status=status)))

    assert by("certified") == ["valid"]
    assert by("expired") == ["lapsed", "recorded"]
    assert by("suspended") == ["paused"]
    assert by("revoked") == ["struck"]
    assert by("nonsense") == []
    assert registry.effective_status(certification=lapsed) == "expired"
    # certified until today included
    assert registry.effective_status(certification=lapsed, on=lapsed.valid_until) == "certified"
    row = next(row for row in registry.trainer_registry(actor=manager) if row.user.username == "lapsed")
    assert row.status == "expired"
    assert row.status_label == "Expired"


def test_filter_by_module_the_programme_covers(programme, programme_b, agency_a, manager):
    certify(trainer("general", agency_a), programme)
    certify(trainer("victims", agency_a), programme_b)
    assert names(registry.trainer_registry(actor=manager, module=2)) == ["general"]
    assert names(registry.trainer_registry(actor=manager, module=5)) == ["victims"]
    assert registry.trainer_registry(actor=manager, module=9) == []


def test_the_page_reads_its_filters_from_the_query(client, pool, manager, agency_a):
    client.force_login(manager)
    response = client.get(url("registry"), {"agency": agency_a.pk, "status": "certified", "module": "1", "language": "tk"})
    assert names(response.context["rows"]) == ["ayna"]
    html = response.content.decode()
    assert f'<option value="{agency_a.pk}" selected>' in html
    assert '<option value="certified" selected>' in html
    # values that cannot be right are ignored, not errors
    response = client.get(url("registry"), {"agency": "x", "status": "gone", "module": "-1", "language": "de"})
    assert response.status_code == 200
    assert sorted(names(response.context["rows"])) == ["ayna", "batyr"]


# --- the XLSX -----------------------------------------------------------------------------------------


def test_the_export_is_a_workbook_with_translated_headers_and_real_dates(client, pool, manager, agency_b):
    client.force_login(manager)
    response = client.get(url("registry_export"), {"agency": agency_b.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f"trainer-registry-{TODAY.isoformat()}.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(str(label) for _key, label in registry.REGISTRY_COLUMNS)
    assert rows[0][:3] == ("Name", "Agency", "Region")
    assert len(rows) == 2
    batyr = dict(zip([key for key, _label in registry.REGISTRY_COLUMNS], rows[1], strict=True))
    certification = pool["batyr"]
    assert batyr["name"] == "Batyr Myradow"
    assert batyr["agency"] == "Ministry of Internal Affairs"
    assert batyr["number"] == certification.number
    assert batyr["status"] == "Certified"
    assert batyr["modules"] == "1, 2, 3"
    assert isinstance(batyr["valid_until"], datetime)
    assert batyr["valid_until"].date() == certification.valid_until
    assert batyr["certified_on"].date() == certification.certified_on
    assert sheet.cell(row=2, column=8).is_date


def test_the_export_headers_follow_the_language(client, pool, manager):
    client.force_login(manager)
    with translation.override("ru"):
        address = reverse("trainers:registry_export")
    sheet = load_workbook(io.BytesIO(client.get(address).content)).active
    with translation.override("ru"):
        expected = tuple(str(label) for _key, label in registry.REGISTRY_COLUMNS)
    assert next(sheet.iter_rows(values_only=True)) == expected


# --- delivery figures and query counts -------------------------------------------------------------------


def test_delivery_figures_are_shown_from_one_provider_call(client, pool, manager, fake_delivery):
    figures, calls = fake_delivery
    figures[pool["ayna"].user_id] = delivery.Delivery(
        sessions_led=3, sessions_co_facilitated=1, participants=57, mean_gain=0.4321, hours=48,
        sessions=[(TODAY - timedelta(days=10), "Cascade session in Mary")],
    )
    client.force_login(manager)
    response = client.get(url("registry"))
    assert len(calls) == 1
    assert sorted(calls[0]) == sorted([pool["ayna"].user_id, pool["batyr"].user_id])
    ayna = next(row for row in response.context["rows"] if row.user.username == "ayna")
    assert (ayna.sessions_delivered, ayna.delivered.participants) == (4, 57)
    html = response.content.decode()
    assert '<td data-column="participants">57</td>' in html
    assert '<td data-column="gain">0.43</td>' in html

    sheet = load_workbook(io.BytesIO(client.get(url("registry_export")).content)).active
    exported = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert exported["Aýna Orazowa"][-3:] == (4, 57, 0.43)
    assert exported["Batyr Myradow"][-3:] == (0, 0, None)

    profile = client.get(url("trainer_profile", pool["ayna"].user_id)).content.decode()
    assert '<strong data-figure="sessions">4</strong>' in profile
    assert '<strong data-figure="participants">57</strong>' in profile
    assert '<strong data-figure="hours">48</strong>' in profile
    assert "Cascade session in Mary" in profile


def test_without_a_provider_nothing_is_delivered(client, pool, manager):
    client.force_login(manager)
    html = client.get(url("trainer_profile", pool["ayna"].user_id)).content.decode()
    assert '<strong data-figure="sessions">0</strong>' in html
    assert "No cascade session has been reported yet." in html


def test_the_profile_lists_certifications_with_their_history(client, pool, programme_b, manager, agency_a):
    ayna = pool["ayna"]
    CertificationEvent.objects.create(
        certification=ayna, action=CertificationEvent.Action.CERTIFIED, from_status="candidate",
        to_status="certified", actor=manager, reason="Passed every requirement",
    )
    certify(ayna.user, programme_b, status=Certification.Status.CANDIDATE)
    client.force_login(manager)
    response = client.get(url("trainer_profile", ayna.user_id))
    trainer_profile = response.context["trainer"]
    assert [item.certification.programme.code for item in trainer_profile.certifications] == ["ctip-tot", "victims"]
    assert [event.reason for event in trainer_profile.certifications[0].events] == ["Passed every requirement"]
    html = response.content.decode()
    assert ayna.number in html
    assert "Passed every requirement" in html


def _queries(client, address):
    """The queries of a request, after one that fills the caches (session, permissions: new roles reset them)."""
    assert client.get(address).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["registry", "registry_export"])
def test_the_query_count_does_not_grow_with_trainers(client, programme, agency_a, coordinator_a, fake_delivery, name):
    for number in range(2):
        certify(trainer(f"first{number}", agency_a), programme)
    client.force_login(coordinator_a)
    address = url(name)
    with_two = _queries(client, address)
    for number in range(4):
        certify(trainer(f"more{number}", agency_a), programme)
    with_six = _queries(client, address)
    assert with_two == with_six
    assert len(registry.trainer_registry(actor=coordinator_a)) == 6


def test_the_profile_query_count_does_not_grow_with_history(client, pool, programme_b, manager):
    ayna = pool["ayna"]
    client.force_login(manager)
    address = url("trainer_profile", ayna.user_id)
    before = _queries(client, address)
    certify(ayna.user, programme_b)
    for action in ("nominated", "certified", "reminded"):
        CertificationEvent.objects.create(certification=ayna, action=action, actor=manager)
    assert _queries(client, address) == before


def test_the_dashboard_links_to_the_registry_cohorts_and_certificates(client, coordinator_a, agency_a):
    client.force_login(coordinator_a)
    html = client.get("/en/dashboard/").content.decode()
    assert f'href="{url("registry")}"' in html
    assert f'href="{url("cohort_list")}"' in html
    client.force_login(person(username="learner", roles=[Role.TRAINEE], agency=agency_a))
    html = client.get("/en/dashboard/").content.decode()
    assert f'href="{url("my_certificates")}"' in html
    assert f'href="{url("registry")}"' not in html


def test_a_name_that_looks_like_a_formula_is_exported_as_text(client, pool, manager, agency_a, programme):
    from tests.spreadsheet_checks import ATTACK, NEUTRALISED, workbook_without_formulas

    certify(trainer("mallory", agency_a, first_name=ATTACK, last_name=ATTACK), programme)
    client.force_login(manager)
    workbook = workbook_without_formulas(client.get(url("registry_export")).content)
    names = [row[0] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert f"{NEUTRALISED} {ATTACK}" in names
    mallory = next(row for row in workbook.active.iter_rows(min_row=2) if row[0].value.startswith("'="))
    assert mallory[0].data_type == "s"
    assert mallory[6].is_date and mallory[9].data_type == "n"  # certified on; sessions delivered


def test_the_module_filter_names_the_modules_by_title_in_the_readers_language(client, curriculum, programme_b, manager):
    """Not bare numbers: "1. English module 1" from the programme's course, "Module 5" where no course page
    has the number (programme_b's course is not here)."""
    from lms.trainers.models import CertificationProgramme

    CertificationProgramme.objects.create(
        code="tot-course", name_en="Certified trainer", course_key=curriculum["tot"].translation_key, modules=[1, 2]
    )
    client.force_login(manager)
    html = client.get(url("registry"), {"module": "2"}).content.decode()
    assert '<option value="1">1. English module 1</option>' in html
    assert '<option value="2" selected>2. English module 2</option>' in html
    assert '<option value="5">Module 5</option>' in html
    assert registry.module_choices()[:2] == [(1, "1. English module 1"), (2, "2. English module 2")]
