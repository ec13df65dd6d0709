"""The roster page's people picker: a search by name, username, position, unit and region within the
session's agency (the page's ``?q=`` and its JSON endpoint), namesakes told apart by their username, and
several people added in one POST under the capacity and waiting-list rules."""

import json

import pytest
from django.urls import reverse

from lms.cascade import selectors
from lms.cascade.models import SessionParticipant
from lms.cascade.views.sessions import CANDIDATES_SHOWN, CHOOSE_PERSON
from lms.people.models import Region
from lms.people.roles import Role
from lms.trainers.models import CertificationProgramme
from tests.cascade.helpers import schedule_one_day
from tests.factories import TrainingUnitFactory, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(curriculum):
    return CertificationProgramme.objects.create(
        code="tot", name_en="Certified trainer", course_key=curriculum["tot"].translation_key, modules=[1, 2, 3, 4]
    )


@pytest.fixture
def people(agency_a, agency_b):
    """People of the GPO (the session's agency) and one of the MIA with the same name as a GPO person."""
    lebap = Region.objects.create(
        code="TM-L", name_en="Lebap region", name_ru="Лебапский велаят", name_tk="Lebap welaýaty"
    )
    dashoguz_unit = TrainingUnitFactory(
        agency=agency_a, code="dz", name_en="Dashoguz training unit", name_ru="Учебный отдел Дашогуза",
        name_tk="Daşoguz okuw bölümi", region=None,
    )

    def profiled(username, first, last, agency, *, position="", unit=None, region=None):
        user = person(username=username, first_name=first, last_name=last, agency=agency)
        user.profile.position, user.profile.unit, user.profile.region = position, unit, region
        user.profile.save()
        return user

    return {
        "atayew1": profiled("d.atayew", "Döwlet", "Atayew", agency_a, position="Prosecutor"),
        "atayew2": profiled("d.atayew2", "Döwlet", "Atayew", agency_a, position="Prosecutor"),
        "ivanova": profiled("ivanova", "Мария", "Иванова", agency_a, position="Следователь"),
        "lebap": profiled("ogul", "Ogulgerek", "Saryýewa", agency_a, position="Investigator", region=lebap),
        "unit": profiled("merjen", "Merjen", "Hojaýewa", agency_a, position="Judge", unit=dashoguz_unit),
        "outsider": profiled("mia.atayew", "Döwlet", "Atayew", agency_b, position="Prosecutor"),
    }


def found(session, query):
    return {profile.user.username for profile in selectors.roster_candidate_list(session=session, query=query)}


def candidates_url(session):
    return reverse("cascade:roster_candidates", args=[session.pk])


def roster_url(session):
    return reverse("cascade:session_roster", args=[session.pk])


def test_the_search_finds_by_name_position_unit_and_region_within_the_agency(trainer, programme, people):
    session = schedule_one_day(trainer, programme)
    assert found(session, "atayew") == {"d.atayew", "d.atayew2"}  # never the MIA's Döwlet Atayew
    assert found(session, "Döwlet Atayew") == {"d.atayew", "d.atayew2"}
    assert found(session, "DÖWLET") == {"d.atayew", "d.atayew2"}
    assert found(session, "mia.atayew") == set()  # not even by the exact username
    assert found(session, "иванова") == {"ivanova"}  # Cyrillic, case ignored
    assert found(session, "СЛЕДОВАТЕЛЬ") == {"ivanova"}  # position
    assert found(session, "investigator") == {"ogul"}
    assert found(session, "Lebap") == {"ogul"}  # the person's region
    assert found(session, "лебапский") == {"ogul"}  # … in Russian
    assert found(session, "daşoguz okuw") == {"merjen"}  # the unit, in Turkmen
    assert found(session, "saryýewa") == {"ogul"}
    assert found(session, "judge hojaýewa") == {"merjen"}  # every word matches somewhere
    assert found(session, "judge atayew") == set()
    # wildcards of LIKE are text like any other
    assert found(session, "%") == set() and found(session, "_") == set()
    # on the roster already, or a trainer of the session: not offered
    SessionParticipant.objects.create(session=session, user=people["ivanova"], status="enrolled")
    assert found(session, "ivanova") == set()
    assert found(session, trainer.username) == set()


def test_namesakes_show_their_username(client, trainer, programme, people):
    session = schedule_one_day(trainer, programme)
    client.force_login(trainer)
    data = client.get(candidates_url(session), {"q": "atayew"}).json()
    assert data["count"] == 2
    assert {(entry["name"], entry["position"], entry["username"]) for entry in data["results"]} == {
        ("Döwlet Atayew", "Prosecutor", "d.atayew"), ("Döwlet Atayew", "Prosecutor", "d.atayew2"),
    }
    entry = client.get(candidates_url(session), {"q": "merjen"}).json()["results"][0]
    assert entry == {
        "id": people["unit"].pk, "name": "Merjen Hojaýewa", "position": "Judge", "unit": "Dashoguz training unit",
        "region": "", "username": "",
    }
    assert client.get(candidates_url(session), {"q": "ogul"}).json()["results"][0]["region"] == "Lebap region"
    # the page (no script) lists the same people with checkboxes, told apart the same way
    page = client.get(roster_url(session), {"q": "atayew"})
    html = page.content.decode()
    assert page.status_code == 200 and "mia.atayew" not in html
    assert 'type="checkbox" name="user" value="%s"' % people["atayew2"].pk in html
    assert "d.atayew2" in html and 'id="roster-status"' in html and 'aria-live="polite"' in html


def test_the_json_endpoint_needs_the_roster_permission(
    client, trainer, programme, people, agency_a, agency_b, coordinator_a
):
    session = schedule_one_day(trainer, programme)
    assert client.get(candidates_url(session), {"q": "atayew"}).status_code == 302  # to the login page
    # whoever may not open the roster page gets the same answer here
    for user in (
        people["atayew1"],  # a trainee of the agency
        person(username="gpo.trainer", roles=[Role.TRAINER], agency=agency_a),  # not a trainer of this session
        person(username="mia.coord", roles=[Role.COORDINATOR], agency=agency_b),  # another agency's coordinator
    ):
        client.force_login(user)
        status = client.get(candidates_url(session), {"q": "atayew"}).status_code
        assert status in {403, 404} and status == client.get(roster_url(session)).status_code
    client.force_login(coordinator_a)  # the agency's coordinator runs the roster
    assert client.get(candidates_url(session), {"q": "atayew"}).json()["count"] == 2
    client.force_login(trainer)
    assert client.post(candidates_url(session), {"q": "atayew"}).status_code == 405


@pytest.mark.parametrize(
    "query", ["x" * 10_000, "atayew\x00", "\x00", "'; DROP TABLE people_profile; --", '"atayew"', "\\", "%%_",
              "a b c d e f g h i j k l m n o p", "\u202e\ufeffatayew", "🙂"],
)
def test_hostile_queries_are_bounded_and_never_fail(client, trainer, programme, people, query):
    session = schedule_one_day(trainer, programme)
    client.force_login(trainer)
    response = client.get(candidates_url(session), {"q": query})
    assert response.status_code == 200
    data = response.json()
    assert len(data["results"]) <= CANDIDATES_SHOWN and "mia.atayew" not in json.dumps(data)
    assert client.get(roster_url(session), {"q": query}).status_code == 200
    assert len(" ".join(selectors.candidate_query(query))) <= selectors.CANDIDATE_QUERY_MAX_LENGTH


def test_at_most_twenty_results_with_the_count_of_all(client, trainer, programme, agency_a):
    session = schedule_one_day(trainer, programme)
    for number in range(CANDIDATES_SHOWN + 5):
        person(username=f"many{number}", agency=agency_a)
    client.force_login(trainer)
    data = client.get(candidates_url(session), {"q": "many"}).json()
    assert (data["count"], len(data["results"])) == (CANDIDATES_SHOWN + 5, CANDIDATES_SHOWN)
    assert "25 people match." in data["status"] and "first 20" in data["status"]
    assert client.get(candidates_url(session), {"q": "nobody-at-all"}).json() == {
        "count": 0, "results": [], "status": "No one of the agency who is not on the roster matches.",
    }


def test_several_people_are_added_at_once_then_the_waiting_list(client, trainer, programme, people):
    session = schedule_one_day(trainer, programme, capacity=3)
    client.force_login(trainer)
    chosen = [people[key].pk for key in ("atayew1", "atayew2", "ivanova", "lebap")]
    response = client.post(roster_url(session), {"action": "add", "user": chosen, "q": "a"}, follow=True)
    assert response.redirect_chain[0][0].endswith("?q=a#roster-search")
    places = {place.user_id: place.status for place in SessionParticipant.objects.filter(session=session)}
    assert places == {chosen[0]: "enrolled", chosen[1]: "enrolled", chosen[2]: "enrolled", chosen[3]: "waitlisted"}
    message = " ".join(str(message) for message in response.context["messages"])
    assert message == "3 people are enrolled. 1 person is on the waiting list: the session is full."


def test_people_not_offered_are_left_out_and_a_refusal_adds_no_one(client, trainer, programme, people):
    session = schedule_one_day(trainer, programme, capacity=5)
    client.force_login(trainer)
    SessionParticipant.objects.create(session=session, user=people["lebap"], status="enrolled")
    chosen = [people["atayew1"].pk, people["outsider"].pk, people["lebap"].pk, "junk", "9" * 30]
    response = client.post(roster_url(session), {"action": "add", "user": chosen}, follow=True)
    added = set(session.participants.values_list("user_id", flat=True))
    assert added == {people["lebap"].pk, people["atayew1"].pk}
    message = " ".join(str(message) for message in response.context["messages"])
    assert message == (
        "1 person is enrolled. 2 chosen people are not added: they are on the roster already or not of the agency."
    )
    # only people not offered: nothing is added, the page says why
    response = client.post(roster_url(session), {"action": "add", "user": [people["outsider"].pk]})
    assert response.status_code == 400 and response.context["error"] == CHOOSE_PERSON
    response = client.post(roster_url(session), {"action": "add"})
    assert response.status_code == 400 and response.context["error"] == CHOOSE_PERSON


def test_adding_several_is_all_or_none(client, trainer, programme, people, monkeypatch):
    from lms.cascade import exceptions, services

    session = schedule_one_day(trainer, programme, capacity=5)
    client.force_login(trainer)
    original = services.participant_add

    def refuse_the_second(*, actor, session, user):
        if user == people["atayew2"]:
            raise exceptions.SessionRefused("refused")
        return original(actor=actor, session=session, user=user)

    monkeypatch.setattr(services, "participant_add", refuse_the_second)
    response = client.post(
        roster_url(session), {"action": "add", "user": [people["atayew1"].pk, people["atayew2"].pk]}
    )
    assert response.status_code == 400 and response.context["error"] == "refused"
    assert not session.participants.exists()
