"""iCalendar (.ics) feeds of cascade sessions: one event per session day, for a trainer or an agency."""

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar, Event

from lms.people.mail import user_language

from .models import CalendarFeed, CascadeSession, _new_token
from .selectors import trained_by

State = CascadeSession.State
SHOWN = (State.SUBMITTED, State.RETURNED, State.APPROVED, State.DELIVERED, State.REPORTED, State.CANCELLED)
ICS_STATUS = {State.SUBMITTED: "TENTATIVE", State.RETURNED: "TENTATIVE", State.CANCELLED: "CANCELLED"}


def feed_get(*, trainer=None, agency=None) -> CalendarFeed:
    """The feed of a trainer or an agency, made on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(trainer=trainer, agency=agency)
    return feed


def feed_reset(*, feed: CalendarFeed) -> CalendarFeed:
    """Give the feed a new token: the old address stops working."""
    feed.token = _new_token()
    feed.save(update_fields=["token", "created_at"])
    return feed


def feed_sessions(feed: CalendarFeed):
    sessions = CascadeSession.objects.filter(state__in=SHOWN).prefetch_related("days").select_related("lead_trainer")
    if feed.trainer_id:
        # the sessions they lead or co-lead inside the session's agency (``selectors.trained_by``)
        sessions = sessions.filter(trained_by(feed.trainer_id))
    else:
        sessions = sessions.filter(agency_id=feed.agency_id)
    return sessions.distinct().order_by("starts_at")


def feed_language(feed: CalendarFeed) -> str:
    """The language of the feed's links: its trainer's; the site's default for an agency (it has none)."""
    return user_language(feed.trainer) if feed.trainer_id else settings.LANGUAGE_CODE


def feed_ics(feed: CalendarFeed, *, base_url: str, name: str) -> bytes:
    """The feed as an RFC 5545 calendar: one VEVENT per day, with a stable UID, in the site's time zone.

    The time zone the events name (``TZID=Asia/Ashgabat``) is defined in the feed by its VTIMEZONE, as
    RFC 5545 (3.2.19) asks; the links to the sessions carry the language prefix of the feed's owner.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//Anti-trafficking training LMS//cascade sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    host = base_url.split("//")[-1].split("/")[0] or "lms"
    stamp = timezone.now()
    with translation.override(feed_language(feed)):
        for session in feed_sessions(feed):
            link = base_url.rstrip("/") + reverse("cascade:session_detail", args=[session.pk])
            for day in session.days.all():
                event = Event()
                event.add("uid", f"session-{session.pk}-{day.date.isoformat()}@{host}")
                event.add("dtstamp", stamp)
                event.add("dtstart", timezone.make_aware(datetime.combine(day.date, day.starts)))
                event.add("dtend", timezone.make_aware(datetime.combine(day.date, day.ends)))
                event.add("summary", session.title)
                event.add("location", session.venue)
                event.add("status", ICS_STATUS.get(session.state, "CONFIRMED"))
                event.add("url", link)
                event.add("description", f"{session.lead_trainer.get_full_name()} · {link}")
                calendar.add_component(event)
    calendar.add_missing_timezones()
    # the VTIMEZONE before the events that use it (some calendar programs read the file in one pass)
    calendar.subcomponents.sort(key=lambda component: component.name != "VTIMEZONE")
    return calendar.to_ical()
