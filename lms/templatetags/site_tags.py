import hashlib
from pathlib import Path

from django import template
from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.urls import translate_url
from django.utils import translation
from django.utils.safestring import mark_safe
from wagtail.models import Page

from courses.selectors import nav_version, translation_urls
from lms.navigation import breadcrumb_trail
from lms.people import selectors as people_selectors
from lms.people.names import display_name as _display_name
from lms.people.roles import Role

register = template.Library()

HEADER_TEMPLATE = "components/site_header.html"
HEADER_TIMEOUT = 60 * 60
# stands for the CSRF token in a cached header; each request puts its own token in its place
CSRF_PLACEHOLDER = "lms-csrf-token-placeholder"
# whose menu follows from their roles alone (a coordinator's and a manager's also ask their agency's rights)
ROLE_ONLY_MENUS = {Role.TRAINEE, Role.TRAINER, Role.EDITOR}


def _build_id() -> str:
    """Changes with the header's templates and the translation catalogues: a deploy does not read the
    headers a previous version cached in a shared Redis."""
    base = Path(settings.BASE_DIR)
    files = [*sorted((base / "templates" / "components").glob("*.html")), base / "templates" / "base.html",
             *sorted((base / "locale").glob("*/LC_MESSAGES/django.mo"))]
    stamp = "|".join(f"{path}:{path.stat().st_mtime_ns}:{path.stat().st_size}" for path in files if path.exists())
    return hashlib.sha256(stamp.encode()).hexdigest()[:12]


BUILD_ID = _build_id()


def _header_key(context) -> str | None:
    """The cache key of this request's header, or None when it is not shared: it depends on the language,
    the page's address (the current menu item, the language switcher's links), the navigation (published
    pages) and the roles, never on the person. Rendered each time: the search page (it shows the query),
    an address with a query string, a preview, a view with parameters (so never one entry per made-up
    address) and people whose menu asks more than their roles."""
    request = context.get("request")
    if request is None or request.method != "GET" or request.META.get("QUERY_STRING"):
        return None
    if getattr(request, "is_preview", False):
        return None
    page = context.get("page")
    match = getattr(request, "resolver_match", None)
    if not isinstance(page, Page) and (match is None or match.args or match.kwargs or match.view_name == "courses:search"):
        return None
    user = getattr(request, "user", None)
    if user is None:
        return None
    if user.is_authenticated:
        roles = people_selectors.user_roles(user=user)
        if not roles <= ROLE_ONLY_MENUS:
            return None
        who = "+".join(sorted(roles)).replace(" ", "_") or "-"
    else:
        who = "anonymous"
    page_id = page.pk if isinstance(page, Page) else ""
    path = hashlib.sha256(request.path.encode()).hexdigest()[:24]
    return f"lms:header:{BUILD_ID}:{nav_version()}:{translation.get_language()}:{who}:{page_id}:{path}"


def _render_header(context):
    return context.template.engine.get_template(HEADER_TEMPLATE).render(context)


@register.simple_tag(takes_context=True)
def site_header(context):
    """The site's header (menu, search, account links, language switcher), kept in the cache per language,
    address and roles (see ``_header_key``); the CSRF token of its forms is the request's own."""
    request = context.get("request")
    key = _header_key(context)
    html = cache.get(key) if key else None
    if html is None:
        if key is None:
            return _render_header(context)
        with context.push(csrf_token=CSRF_PLACEHOLDER):
            html = str(_render_header(context))
        nonce = getattr(request, "_csp_nonce", None)  # django-csp's, once a template asked for it
        if isinstance(nonce, str) and nonce in html:
            return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))  # per request: not shared
        cache.set(key, html, HEADER_TIMEOUT)
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # rendered by the template engine, escaped there


@register.inclusion_tag("components/language_switcher.html", takes_context=True)
def language_switcher(context):
    """The same page in each language: its translation for a Wagtail page, else the same view."""
    request = context["request"]
    page = context.get("page")
    page_urls = translation_urls(page=page, request=request) if isinstance(page, Page) else {}
    current_path = request.get_full_path()
    current = translation.get_language()
    languages = []
    for code, name in settings.LANGUAGES:
        url = page_urls.get(code) or translate_url(current_path, code)
        if url == current_path and code != current:
            url = f"/{code}/"
        languages.append({"code": code, "name": name, "url": url, "current": code == current})
    return {"languages": languages, "request": request}


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template, or None."""
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def display_name(user) -> str:
    """``{{ user|display_name }}``: the name the site shows for a person (``lms.people.names``)."""
    return _display_name(user) if getattr(user, "is_authenticated", False) else ""


@register.inclusion_tag("components/breadcrumbs.html")
def breadcrumbs(*parts):
    """``{% breadcrumbs "sessions" session _("Roster") %}``: Dashboard › Cascade sessions › the session › Roster.

    Each part is a section key of ``lms.navigation.CRUMBS``, an object with a page (a session, a cohort) or
    the label of the current page; the last part is the current page.
    """
    return {"trail": breadcrumb_trail(*parts)}
