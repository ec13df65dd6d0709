"""Remember where a URL leads, so serving a course page costs one query for the page instead of six.

Wagtail finds the site by host (a query), the root page and its translation for the active language
(three queries), then walks the path (two more in ``HomePage.route``) on every request. The answer
changes only when pages are published, moved or removed, or sites change, and each of those bumps the
navigation version (see ``signal_handlers``), so the answer is cached under that version. A cached
route is only a hint: the page is still loaded from the database and must still be live, and
Wagtail's view restrictions and ``before_serve_page`` hooks run as before.
"""

from django.apps import apps
from django.core.cache import cache
from django.utils import translation
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult
from wagtail.views import serve as wagtail_serve

from .selectors import NAV_TIMEOUT, nav_version

VIEW_RESTRICTIONS_KEY = "courses:view-restrictions"


def _route_key(request, path: str) -> str:
    host = request.get_host().lower()
    return f"courses:route:{nav_version()}:{host}:{translation.get_language()}:{path}"


def route_remember(request, path: str) -> None:
    """Set Wagtail's per-request site and route from the cache, or resolve them and cache the answer."""
    key = _route_key(request, path)
    cached = cache.get(key)
    if cached is not None:
        site, model_label, page_id, fallback = cached
        page = apps.get_model(model_label).objects.filter(pk=page_id, live=True).first()
        if page is not None:
            request._wagtail_site = site
            request._wagtail_route_for_request = RouteResult(page)
            if fallback:
                request.lms_language_fallback = True
            return
    result = Page.route_for_request(request, path)
    if result is None or result.args or result.kwargs:
        return
    site = Site.find_for_request(request)
    page = result.page
    cache.set(
        key,
        (site, page._meta.label, page.pk, getattr(request, "lms_language_fallback", False)),
        NAV_TIMEOUT,
    )


def view_restrictions_for(page):
    """Return the view restrictions that apply to a page, as a queryset already holding its rows.

    Same answer as ``Page.get_view_restrictions`` (the page's and its ancestors', through aliases),
    from one cached list of all restrictions instead of two queries per request. The queryset stays
    a real one: admin code that filters or orders it queries the database as before.
    """
    from wagtail.models import PageViewRestriction

    if page.alias_of_id:
        return None  # an alias takes its source's restrictions: let Wagtail ask
    key = f"{VIEW_RESTRICTIONS_KEY}:{nav_version()}"
    table = cache.get(key)
    if table is None:
        rows = list(PageViewRestriction.objects.order_by("pk"))
        page_paths = dict(Page.objects.filter(pk__in=[row.page_id for row in rows]).values_list("pk", "path"))
        table = {
            "restrictions": [(page_paths[row.page_id], row) for row in rows],
            "aliases": dict(Page.objects.filter(alias_of__isnull=False).values_list("path", "alias_of__path")),
        }
        cache.set(key, table, NAV_TIMEOUT)
    steplen = page.steplen
    paths = set()
    for depth in range(1, len(page.path) // steplen + 1):
        path = page.path[: depth * steplen]
        paths.add(table["aliases"].get(path, path))
    applicable = [restriction for path, restriction in table["restrictions"] if path in paths]
    queryset = PageViewRestriction.objects.filter(pk__in=[restriction.pk for restriction in applicable])
    queryset._result_cache = applicable
    queryset._prefetch_done = True
    return queryset


class CachedRouteMiddleware:
    """Give Wagtail's page view its site and route from the cache (GET and HEAD only)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is wagtail_serve and request.method in ("GET", "HEAD"):
            path = view_kwargs.get("path", view_args[0] if view_args else "")
            route_remember(request, path)
        return None
