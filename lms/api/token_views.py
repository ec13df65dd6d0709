"""The page where a person makes, replaces or removes their API token (under /<lang>/accounts/api-token/).

The token is shown once, in the answer to the POST that made it, and never again: the page otherwise says
only whether one exists and since when. The answer is not cached anywhere.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from content.urls import absolute_url

from . import services


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.token_revoke(user=request.user)
            messages.success(request, _("Your API token is removed; programs that used it are refused."))
            return redirect("api_token")
        new_key = services.token_reset(user=request.user).key
    context = {
        "token": services.token_get(user=request.user),
        "new_key": new_key,
        "schema_url": absolute_url(reverse("api:schema"), request=request),
        "api_url": absolute_url(reverse("api:session_list"), request=request),
    }
    return render(request, "api/token.html", context)
