"""The reach of the cascade through the API: the figures of lms.reports.reach, scoped as the report page."""

from urllib.parse import urlsplit

import pytest

from lms.cascade import services
from lms.reports.exceptions import NOT_ALLOWED, PERIOD_ORDER
from tests.api.conftest import api_url, schedule
from tests.cascade.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(trainer, trainer_b, coordinator_a, coordinator_b, programme, trainees):
    """One reported session in each agency; agency A's has two participants."""
    sessions = []
    for lead, coordinator, people in ((trainer, coordinator_a, trainees[:2]), (trainer_b, coordinator_b, [])):
        session = schedule(lead, programme, day=TODAY, capacity=5)
        for person in people:
            services.participant_add(actor=lead, session=session, user=person)
        services.session_submit(actor=lead, session=session)
        services.session_approve(actor=coordinator, session=session)
        services.session_deliver(actor=lead, session=session)
        services.session_report_submit(actor=lead, session=session, methods="Case studies")
        sessions.append(session)
    return sessions


def test_a_programme_manager_gets_the_national_view(api, manager, delivered):
    response = api(manager).get(api_url("reach"))
    assert response.status_code == 200
    body = response.json()
    assert (body["scope"], body["agency"]) == ("national", None)
    assert (body["totals"]["sessions"], body["totals"]["participants"]) == (2, 2)
    assert {row["session_id"] for row in body["sessions"]} == {session.pk for session in delivered}
    narrowed = api(manager).get(api_url("reach"), {"agency": "MIA"}).json()
    assert narrowed["filters"]["agency"] == "MIA" and narrowed["totals"]["sessions"] == 1


def test_a_coordinator_gets_their_agency_and_others_nothing(api, coordinator_a, trainer, delivered):
    body = api(coordinator_a).get(api_url("reach")).json()
    assert (body["scope"], body["agency"]) == ("agency", "GPO")
    assert [row["session_id"] for row in body["sessions"]] == [delivered[0].pk]
    response = api(trainer).get(api_url("reach"))
    assert response.status_code == 403 and response.json() == {"detail": str(NOT_ALLOWED)}


def test_bad_filters_are_refused_with_the_reports_message(api, manager):
    response = api(manager).get(api_url("reach"), {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert response.status_code == 400 and response.json()["detail"] == str(PERIOD_ORDER)
    assert api(manager).get(api_url("reach"), {"date_from": "someday"}).status_code == 400


def test_the_session_list_comes_a_page_at_a_time(api, manager, delivered):
    first = api(manager).get(api_url("reach"), {"page_size": 1}).json()
    assert first["sessions_count"] == 2 and len(first["sessions"]) == 1
    assert first["sessions_previous"] is None and "page=2" in first["sessions_next"]
    link = urlsplit(first["sessions_next"])
    second = api(manager).get(f"{link.path}?{link.query}").json()
    assert second["sessions_next"] is None and "page=1" in second["sessions_previous"]
    assert {first["sessions"][0]["session_id"], second["sessions"][0]["session_id"]} == {s.pk for s in delivered}
    assert second["totals"] == first["totals"]  # the figures are whole on every page
    assert api(manager).get(api_url("reach"), {"page": 9}).json()["sessions"] == []
    assert api(manager).get(api_url("reach"), {"page": 0}).status_code == 400
    assert api(manager).get(api_url("reach"), {"page_size": "many"}).status_code == 400
