"""The calendars of cascade sessions: month and week pages, and the private iCalendar feeds (the page that
shows and resets their addresses, and the feeds themselves).

The month and week pages are plain HTML tables (Monday first, names of months and weekdays from Django's
translations), filtered by agency, region and trainer among what the user may see: the sessions come from
``selectors.session_day_list``, which goes through ``selectors.session_list``, so a filter never widens it.
"""

import calendar as calendar_grid
from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from content.i18n import sort_key_for
from content.urls import absolute_url, base_url
from lms.people import selectors as people_selectors
from lms.people.models import Agency, Region
from lms.people.names import display_name
from lms.people.roles import Role

from .. import calendar, selectors
from ..models import CalendarFeed, CascadeSession


def _feeds(user) -> list:
    """The feeds this user may hold: their own as a trainer, their agency's as its coordinator."""
    feeds = []
    if people_selectors.user_has_role(user=user, role=Role.TRAINER):
        feeds.append(("trainer", calendar.feed_get(trainer=user)))
    agency = people_selectors.agency_scope(user=user).own
    if agency is not None:
        feeds.append(("agency", calendar.feed_get(agency=agency)))
    return feeds


@login_required
@require_http_methods(["GET", "POST"])
def calendar_feeds(request):
    feeds = _feeds(request.user)
    if not feeds:
        raise PermissionDenied
    if request.method == "POST":
        kind = request.POST.get("feed")
        for owner, feed in feeds:
            if owner == kind:
                calendar.feed_reset(feed=feed)
                messages.success(request, _("The old address no longer works; use the new one."))
                return redirect("cascade:calendar_feeds")
        raise Http404
    rows = [
        {
            "owner": owner,
            "label": _("My sessions") if owner == "trainer" else _("Sessions of my agency"),
            "url": absolute_url(reverse("calendar_feed", args=[feed.token]), request=request),
        }
        for owner, feed in feeds
    ]
    return render(request, "cascade/calendar_feeds.html", {"feeds": rows})


def calendar_feed(request, token):
    """The feed itself, for calendar programs: the token is the only key."""
    feed = CalendarFeed.objects.select_related("trainer__profile", "agency").filter(token=token).first()
    if feed is None:
        raise Http404
    name = feed.trainer.get_full_name() if feed.trainer_id else feed.agency.name_en
    body = calendar.feed_ics(feed, base_url=base_url(request), name=f"{name} — cascade sessions")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="sessions.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- month and week pages --------------------------------------------------------------------------------

BAD_DATE = gettext_lazy("The date asked for was not understood: the calendar shows today.")
# the years the calendar pages go to (a date outside them is "not understood", and next/previous stay valid)
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _number(value) -> int | None:
    """A positive whole number written in ASCII digits, else None (``"²".isdigit()`` is true too)."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else None


def _filters(request) -> dict:
    """The filter choices (only agencies, regions and trainers of sessions the user sees) and the choices made.

    A value that is not among the choices (another agency's id, a typo) is ignored.
    """
    User = get_user_model()
    visible = selectors.session_list(user=request.user)
    co_trainers = CascadeSession.co_trainers.through.objects.filter(cascadesession_id__in=visible.values("pk"))
    agencies = {agency.pk: agency for agency in Agency.objects.filter(pk__in=visible.values("agency_id"))}
    regions = {region.pk: region for region in Region.objects.filter(pk__in=visible.values("region_id"))}
    trainers = {
        user.pk: user
        for user in User.objects.filter(
            Q(pk__in=visible.values("lead_trainer_id")) | Q(pk__in=co_trainers.values("user_id"))
        )
    }
    key = sort_key_for()

    name = display_name
    chosen = {
        "agency": agencies.get(_number(request.GET.get("agency"))),
        "region": regions.get(_number(request.GET.get("region"))),
        "trainer": trainers.get(_number(request.GET.get("trainer"))),
    }
    return {
        "agencies": sorted(agencies.values(), key=lambda agency: key(agency.name)),
        "regions": sorted(regions.values(), key=lambda region: key(region.name)),
        "trainers": sorted(trainers.values(), key=lambda user: key(name(user))),
        **chosen,
        "cancelled": request.GET.get("cancelled") == "1",
    }


def _query(filters: dict, **where) -> str:
    """The query string of a calendar page: the filters kept, with ``where`` (month or week)."""
    params = {name: filters[name].pk for name in ("agency", "region", "trainer") if filters[name] is not None}
    if filters["cancelled"]:
        params["cancelled"] = 1
    return "?" + urlencode({**where, **params})


def _days_by_date(request, filters: dict, start: date, end: date) -> dict:
    days = selectors.session_day_list(
        user=request.user, start=start, end=end,
        agency=filters["agency"], region=filters["region"], trainer=filters["trainer"],
    )
    if not filters["cancelled"]:
        days = days.exclude(session__state=CascadeSession.State.CANCELLED)
    by_date = {}
    for day in days:
        by_date.setdefault(day.date, []).append(day)
    return by_date


def _common(request, filters: dict, *, today: date) -> dict:
    may_feeds = bool(people_selectors.user_roles(user=request.user) & {Role.TRAINER, Role.COORDINATOR})
    return {
        **filters,
        "today": today,
        "weekdays": [{"name": WEEKDAYS[index], "abbr": WEEKDAYS_ABBR[index]} for index in range(7)],
        "may_feeds": may_feeds,
        "bad_date_message": BAD_DATE,
    }


@login_required
def calendar_month(request):
    """A month of sessions, Monday first; ``?year=&month=`` (today's month when absent or not understood)."""
    today = timezone.localdate()
    year, month = _number(request.GET.get("year")), _number(request.GET.get("month"))
    asked = "year" in request.GET or "month" in request.GET
    bad = asked and not (year and month and FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12)
    if bad or not asked:
        year, month = today.year, today.month
    filters = _filters(request)
    weeks = calendar_grid.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first = date(year, month, 1)
    last = date(year, month, calendar_grid.monthrange(year, month)[1])
    by_date = _days_by_date(request, filters, first, last)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = last + timedelta(days=1)
    context = {
        **_common(request, filters, today=today),
        "bad_date": bad,
        "caption": f"{MONTHS[month]} {year}",
        # the days of the neighbouring months that fill the first and last weeks are shown empty
        "weeks": [
            [{"date": day, "in_month": day.month == month, "entries": by_date.get(day, [])} for day in week]
            for week in weeks
        ],
        "previous_url": (
            _query(filters, year=previous.year, month=previous.month) if previous.year >= FIRST_YEAR else ""
        ),
        "next_url": _query(filters, year=following.year, month=following.month) if following.year <= LAST_YEAR else "",
        "today_url": _query(filters, year=today.year, month=today.month),
        "week_url": reverse("cascade:calendar_week")
        + _query(filters, date=(today if (today.year, today.month) == (year, month) else first).isoformat()),
        "filter_where": {"year": year, "month": month},
    }
    return render(request, "cascade/calendar_month.html", context)


@login_required
def calendar_week(request):
    """A week of sessions, Monday to Sunday, around ``?date=YYYY-MM-DD`` (today when absent or not understood)."""
    today = timezone.localdate()
    asked = request.GET.get("date")
    moment, bad = today, False
    if asked is not None:
        try:
            moment = date.fromisoformat(asked.strip())
        except ValueError:
            moment, bad = today, True
        else:
            if not FIRST_YEAR <= moment.year <= LAST_YEAR:
                moment, bad = today, True
    monday = moment - timedelta(days=moment.weekday())
    sunday = monday + timedelta(days=6)
    filters = _filters(request)
    by_date = _days_by_date(request, filters, monday, sunday)
    days = [monday + timedelta(days=offset) for offset in range(7)]
    previous, following = monday - timedelta(days=7), monday + timedelta(days=7)
    context = {
        **_common(request, filters, today=today),
        "bad_date": bad,
        "start": monday,
        "end": sunday,
        "days": [
            {"date": day, "entries": by_date.get(day, []), "name": WEEKDAYS[index], "abbr": WEEKDAYS_ABBR[index]}
            for index, day in enumerate(days)
        ],
        "previous_url": _query(filters, date=previous.isoformat()) if previous.year >= FIRST_YEAR else "",
        "next_url": _query(filters, date=following.isoformat()) if following.year <= LAST_YEAR else "",
        "today_url": _query(filters, date=today.isoformat()),
        "month_url": reverse("cascade:calendar_month") + _query(filters, year=moment.year, month=moment.month),
        "filter_where": {"date": moment.isoformat()},
    }
    return render(request, "cascade/calendar_week.html", context)
