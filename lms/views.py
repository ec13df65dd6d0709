from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from lms.dashboard import dashboard_sections
from lms.people import selectors as people_selectors
from lms.people import services as people_services
from lms.people.roles import Role
from lms.people.selectors import SUPPORTED_LANGUAGES


@never_cache
def root_redirect(request):
    """Send ``/`` to the home page in the person's language."""
    language = people_selectors.preferred_language_get(request=request)
    response = HttpResponseRedirect(f"/{language}/")
    response["Vary"] = "Cookie, Accept-Language"
    return response


@require_POST
def set_language(request):
    """Switch language (Django's view) and remember the choice for a signed-in person."""
    language = request.POST.get("language")
    next_url = request.POST.get("next", "/")
    if language in SUPPORTED_LANGUAGES and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        people_services.profile_language_set(user=request.user, language=language)
    return django_set_language(request)


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def dashboard(request):
    return render(
        request,
        "dashboard.html",
        {
            "sections": dashboard_sections(user=request.user),
            "roles": [
                Role(role).label for role in Role.values
                if role in people_selectors.user_roles(user=request.user)
            ],
        },
    )
