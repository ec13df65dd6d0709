"""The private iCalendar feeds: the page that shows (and resets) their addresses, and the feeds."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lms.people import selectors as people_selectors
from lms.people.roles import Role

from .. import calendar
from ..models import CalendarFeed


def _feeds(user) -> list:
    """The feeds this user may hold: their own as a trainer, their agency's as its coordinator."""
    feeds = []
    if people_selectors.user_has_role(user=user, role=Role.TRAINER):
        feeds.append(("trainer", calendar.feed_get(trainer=user)))
    agency = people_selectors.user_agency(user=user)
    if agency is not None and people_selectors.user_has_role(user=user, role=Role.COORDINATOR):
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
            "url": request.build_absolute_uri(reverse("calendar_feed", args=[feed.token])),
        }
        for owner, feed in feeds
    ]
    return render(request, "cascade/calendar_feeds.html", {"feeds": rows})


def calendar_feed(request, token):
    """The feed itself, for calendar programs: the token is the only key."""
    feed = CalendarFeed.objects.select_related("trainer", "agency").filter(token=token).first()
    if feed is None:
        raise Http404
    name = feed.trainer.get_full_name() if feed.trainer_id else feed.agency.name_en
    body = calendar.feed_ics(feed, base_url=settings.WAGTAILADMIN_BASE_URL, name=f"{name} — cascade sessions")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="sessions.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
