"""The trainer kit of a session as a PDF, for the people who run the session."""

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse

from content.urls import base_url

from .. import kit, selectors, services
from ..models import CascadeSession


@login_required
def session_kit(request, pk):
    """The kit of a session the user sees (404 otherwise) and runs (403 otherwise).

    ``services.may_run`` admits the lead and co-trainers, the agency's coordinator and programme managers:
    a participant sees the session but gets no kit (it holds the trainer notes and the test forms).
    """
    try:
        session = selectors.session_get(user=request.user, pk=pk)
    except CascadeSession.DoesNotExist:
        raise Http404 from None
    if not services.may_run(user=request.user, session=session):
        raise PermissionDenied
    data = kit.session_kit_pdf(session=session, base_url=base_url(request))
    response = HttpResponse(data, content_type="application/pdf")
    slug = re.sub(r"[^A-Za-z0-9-]+", "-", session.title).strip("-")[:60] or "session"
    response["Content-Disposition"] = f'attachment; filename="kit-{session.pk}-{slug}-{session.language}.pdf"'
    return response
