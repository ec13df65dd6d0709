"""Private iCalendar feeds: parsed by icalendar, scoped by owner, dead after a reset."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from lms.cascade import calendar, services
from lms.cascade.models import CalendarFeed
from lms.cascade.services import Day
from lms.people.roles import Role
from tests.cascade.conftest import SOON, certified
from tests.cascade.helpers import schedule_session
from tests.factories import person

pytestmark = pytest.mark.django_db


def _events(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return [component for component in Calendar.from_ical(response.content).walk("VEVENT")]


def test_a_trainers_feed_lists_each_day_of_their_sessions(client, trainer, programme, coordinator_a, agency_a):
    days = [Day(SOON, time(9), time(13)), Day(SOON + timedelta(days=1), time(9, 30), time(12))]
    session = schedule_session(trainer, programme, days=days)
    draft = schedule_session(trainer, programme, title="Still a draft", days=[Day(SOON + timedelta(days=5), time(9), time(10))])
    services.session_submit(actor=trainer, session=session)
    other = person(username="other", roles=[Role.TRAINER], agency=agency_a)
    certified(other, programme, number="TOT-OTHER")
    schedule_session(other, programme, title="Someone else's", days=[Day(SOON, time(9), time(10))])

    client.force_login(trainer)
    page = client.get(reverse("cascade:calendar_feeds"))
    url = page.context["feeds"][0]["url"]
    client.logout()  # calendar programs have no session: the token is the key
    events = _events(client, url)
    assert [str(e["summary"]) for e in events] == ["Victim-sensitive interviewing"] * 2
    assert [e.decoded("dtstart").hour for e in events] == [9, 9]
    assert events[1].decoded("dtstart").minute == 30
    assert {str(e["status"]) for e in events} == {"TENTATIVE"}
    assert len({str(e["uid"]) for e in events}) == 2
    assert draft.title not in {str(e["summary"]) for e in events}


def test_a_reset_kills_the_old_address(client, trainer, programme):
    feed = calendar.feed_get(trainer=trainer)
    old = reverse("calendar_feed", args=[feed.token])
    client.force_login(trainer)
    assert client.post(reverse("cascade:calendar_feeds"), {"feed": "trainer"}).status_code == 302
    client.logout()
    assert client.get(old).status_code == 404
    feed.refresh_from_db()
    assert client.get(reverse("calendar_feed", args=[feed.token])).status_code == 200
    assert len(feed.token) >= 40


def test_a_coordinator_gets_the_agency_feed_and_a_trainee_none(client, trainer, programme, coordinator_a, agency_a):
    session = schedule_session(trainer, programme)
    services.session_submit(actor=trainer, session=session)
    services.session_approve(actor=coordinator_a, session=session)
    client.force_login(coordinator_a)
    feeds = client.get(reverse("cascade:calendar_feeds")).context["feeds"]
    assert [f["owner"] for f in feeds] == ["agency"]
    client.logout()
    events = _events(client, feeds[0]["url"])
    assert [str(e["status"]) for e in events] == ["CONFIRMED"]
    client.force_login(person(username="t", agency=agency_a))
    assert client.get(reverse("cascade:calendar_feeds")).status_code == 403
    assert CalendarFeed.objects.count() == 1
