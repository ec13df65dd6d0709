"""Roster import, people search and certificates of a cascade session: the import page with its template,
the roster picker's type-ahead (JSON), and the buttons that issue the certificates of completion and
revoke one. Every rule is in ``roster_import``, ``selectors.roster_candidate_list`` and ``completion``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lms.trainers.models import CompletionCertificate

from .. import completion
from .. import exceptions as errors
from .. import roster_import as importer
from ..forms import RosterImportForm
from ..models import CascadeSession
from .sessions import _running, _session, candidate_search

State = CascadeSession.State
NOTHING_TO_ISSUE = gettext_lazy("Every participant who completed the session has a certificate already.")


@login_required
@require_http_methods(["GET", "POST"])
def roster_import(request, pk):
    """Upload a roster file; the result page lists every bad row, or what was imported."""
    session = _running(request, pk)
    form = RosterImportForm(request.POST or None, request.FILES or None)
    context = {
        "session": session,
        "form": form,
        "closed": session.state in {State.CANCELLED, State.REPORTED},
        "max_rows": importer.MAX_ROWS,
        "max_megabytes": importer.MAX_BYTES // (1024 * 1024),
        "columns": [label for label, _aliases in importer.COLUMNS.values()],
        "required": [importer.COLUMNS[name][0] for name in importer.REQUIRED_COLUMNS],
        "problems": [],
    }
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                result = importer.roster_import(actor=request.user, session=session, upload=form.cleaned_data["file"])
            except errors.RosterRowsRefused as refused:
                form.add_error(None, refused.message)
                context["problems"] = refused.problems
            except errors.NotPermitted as refused:
                form.add_error(None, refused.message)
                status = 403
            except errors.CascadeError as refused:
                form.add_error(None, refused.message)
            else:
                return render(request, "cascade/roster_import_result.html", {"session": session, "result": result})
    return render(request, "cascade/roster_import.html", context, status=status)


@never_cache
@login_required
@require_GET
def roster_candidates(request, pk):
    """The roster page's type-ahead: the session's candidates matching ``q`` as JSON, for those who run
    the roster (the page's own permission). The page works without it (its search form, ``?q=``)."""
    session = _running(request, pk)
    if session.state in {State.CANCELLED, State.REPORTED}:
        closed = _("The roster of a cancelled or reported session cannot change.")
        return JsonResponse({"count": 0, "results": [], "status": closed})
    found = candidate_search(session, request.GET.get("q", ""))
    return JsonResponse({key: found[key] for key in ("count", "results", "status")})


@login_required
def roster_template(request, pk):
    """The XLSX template of a roster, its header in the user's language."""
    session = _running(request, pk)
    language = (get_language() or "en")[:2]
    response = HttpResponse(
        importer.roster_template(session=session, language=language), content_type=importer.XLSX_MIME
    )
    response["Content-Disposition"] = f'attachment; filename="roster-{session.pk}-{language}.xlsx"'
    return response


@login_required
@require_POST
def certificates_issue(request, pk):
    """Issue the certificates of completion of the session's participants who completed it."""
    session = _session(request, pk)
    try:
        count = completion.session_certificates_issue(actor=request.user, session=session)
    except errors.NotPermitted:
        raise PermissionDenied from None
    except errors.CascadeError as refused:
        messages.error(request, refused.message)
    else:
        if count:
            messages.success(
                request,
                ngettext(
                    "%(count)s certificate of completion is issued.",
                    "%(count)s certificates of completion are issued.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(request, NOTHING_TO_ISSUE)
    return redirect("cascade:session_roster", pk=session.pk)


@login_required
@require_POST
def certificate_revoke(request, pk, certificate_pk):
    """The coordinator revokes one certificate of completion of the session, with a reason."""
    session = _session(request, pk)
    try:
        certificate = completion.session_certificate_revoke(
            actor=request.user, session=session, certificate_id=certificate_pk, reason=request.POST.get("reason", "")
        )
    except errors.NotPermitted:
        raise PermissionDenied from None
    except CompletionCertificate.DoesNotExist:
        raise Http404 from None
    except errors.CascadeError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Certificate %(number)s is revoked.") % {"number": certificate.number})
    return redirect("cascade:session_roster", pk=session.pk)
