"""Links that leave the site (calendar feeds, e-mails) use the public base URL and the language prefix of the
person they are for; the feeds define the time zone their events name (RFC 5545, 3.2.19)."""

from datetime import time, timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from icalendar import Calendar

from lms.cascade import calendar, services
from lms.cascade.services import Day
from tests.cascade.conftest import SOON
from tests.cascade.helpers import schedule_session

pytestmark = pytest.mark.django_db

BASE = "https://lms.example.tm"


def _feed(client, feed) -> Calendar:
    response = client.get(reverse("calendar_feed", args=[feed.token]))
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def _tzids_used(parsed: Calendar) -> set:
    used = set()
    for component in parsed.walk():
        if component.name == "VTIMEZONE":
            continue
        for value in component.values():
            for item in value if isinstance(value, list) else [value]:
                params = getattr(item, "params", {})
                if "TZID" in params:
                    used.add(params["TZID"])
    return used


def _submitted(trainer, programme):
    days = [Day(SOON, time(9), time(13)), Day(SOON + timedelta(days=1), time(9, 30), time(12))]
    session = schedule_session(trainer, programme, days=days)
    services.session_submit(actor=trainer, session=session)
    return session


@override_settings(WAGTAILADMIN_BASE_URL=BASE)
def test_the_feed_defines_every_time_zone_its_events_use(client, trainer, programme):
    _submitted(trainer, programme)
    parsed = _feed(client, calendar.feed_get(trainer=trainer))
    defined = {str(zone["TZID"]) for zone in parsed.walk("VTIMEZONE")}
    assert "Asia/Ashgabat" in defined
    used = _tzids_used(parsed)
    assert used == {"Asia/Ashgabat"} and used <= defined
    # the definition comes before the events
    assert [component.name for component in parsed.subcomponents][0] == "VTIMEZONE"
    assert len(parsed.walk("VEVENT")) == 2


@override_settings(WAGTAILADMIN_BASE_URL=BASE)
def test_the_feed_links_carry_the_owners_language(client, trainer, programme, coordinator_a):
    trainer.profile.language = "ru"
    trainer.profile.save()
    session = _submitted(trainer, programme)
    link = f"{BASE}/ru/training/sessions/{session.pk}/"
    events = _feed(client, calendar.feed_get(trainer=trainer)).walk("VEVENT")
    assert {str(event["url"]) for event in events} == {link}
    assert all(str(event["description"]).endswith(link) for event in events)
    # an agency has no language of its own: the site's default
    agency_events = _feed(client, calendar.feed_get(agency=trainer.profile.agency)).walk("VEVENT")
    assert {str(event["url"]) for event in agency_events} == {f"{BASE}/en/training/sessions/{session.pk}/"}


@override_settings(WAGTAILADMIN_BASE_URL=BASE)
def test_the_calendar_page_shows_the_feed_on_the_public_base_url(client, trainer):
    client.force_login(trainer)
    feeds = client.get(reverse("cascade:calendar_feeds")).context["feeds"]
    token = calendar.feed_get(trainer=trainer).token
    assert feeds[0]["url"] == f"{BASE}/calendar/{token}.ics"


@override_settings(WAGTAILADMIN_BASE_URL=BASE)
def test_a_state_mail_links_in_the_recipients_language(trainer, programme, coordinator_a):
    """The trainer reads English, the coordinator Turkmen: the coordinator's mail links to /tk/."""
    coordinator_a.email = "coord@example.org"
    coordinator_a.save()
    assert coordinator_a.profile.language == "tk"
    session = _submitted(trainer, programme)
    [message] = mail.outbox
    assert f"{BASE}/tk/training/sessions/{session.pk}/" in message.body
    services.session_return(actor=coordinator_a, session=session, comment="Add the module 4 materials")
    assert f"{BASE}/en/training/sessions/{session.pk}/" in mail.outbox[-1].body
