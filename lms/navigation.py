"""The header menu and the breadcrumbs: which sections a user sees, from their roles, in one place.

``menu_items`` is what the header shows (``base.html`` reads it through the ``navigation`` context
processor, computed once per request); ``breadcrumb_trail`` turns a short description of a staff page
(``"sessions", session, _("Roster")``) into the links of its breadcrumbs.

Role checks use only ``user_roles`` (one query, kept on the user object), so the menu costs no query per
item. A role's items link only pages that role may open: where a view asks more than the role (a coordinator
without an agency has no OJT and no reports), the menu asks the view's own permission function.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from courses.selectors import course_catalogue_url
from lms.ojt.selectors import ojt_allowed
from lms.people import selectors as people_selectors
from lms.people.roles import Role
from lms.reports.selectors import reports_allowed

LEARNERS = {Role.TRAINEE, Role.TRAINER, Role.COORDINATOR}


@dataclass(frozen=True)
class MenuItem:
    key: str
    label: str
    url: str
    # the paths of the section: the item is marked current on any page under one of them
    sections: tuple[str, ...] = ()
    current: bool = False


def _items_for(roles: set[str], user) -> list[MenuItem]:
    """The menu of ``user``, holding ``roles`` (an account without any role is a learner), in display order;
    sections whose views ask more than the role are left out when the user may not open them."""
    learner = bool(roles & LEARNERS) or not roles
    dashboard = reverse("dashboard")
    items = [MenuItem("dashboard", _("Dashboard"), dashboard, (dashboard,))]
    catalogue = course_catalogue_url()
    items.append(MenuItem("courses", _("Courses"), catalogue, (catalogue, reverse("courses:search"))))
    if learner:
        # the tests open to a learner are listed on the dashboard; a test's own pages are under /tests/
        tests = reverse("assessments:detail", kwargs={"slug": "x"}).rsplit("x/", 1)[0]
        items.append(MenuItem("tests", _("Tests"), f"{dashboard}#section-tests", (tests,)))
        certificates = reverse("trainers:my_certificates")
        items.append(MenuItem("certificates", _("Certificates"), certificates, (certificates,)))
        glossary = reverse("courses:glossary")
        items.append(MenuItem("glossary", _("Glossary"), glossary, (glossary,)))
    if roles & {Role.TRAINER, Role.COORDINATOR}:
        sessions = reverse("cascade:session_list")
        items.append(MenuItem("sessions", _("Sessions"), sessions, (sessions,)))
    if Role.COORDINATOR in roles:
        approvals = reverse("cascade:approval_queue")
        items.append(MenuItem("approvals", _("Approvals"), approvals, (approvals,)))
    if roles & {Role.TRAINER, Role.COORDINATOR}:
        calendar = reverse("cascade:calendar_month").rsplit("month/", 1)[0]
        items.append(MenuItem("calendar", _("Calendar"), reverse("cascade:calendar_month"), (calendar,)))
    if Role.TRAINER in roles:
        grading = reverse("grading:grading_queue")
        items.append(MenuItem("grading", _("Grading"), grading, (grading, reverse("grading:paper_forms"))))
    if Role.COORDINATOR in roles and ojt_allowed(user=user):
        ojt = reverse("ojt:ojt_dashboard")
        items.append(MenuItem("ojt", _("OJT"), ojt, (ojt,)))
    if roles & {Role.COORDINATOR, Role.MANAGER} and reports_allowed(user=user):
        gain = reverse("reports:knowledge_gain")
        items.append(MenuItem("reports", _("Reports"), gain, (gain,)))
    if Role.MANAGER in roles:
        reach = reverse("reports:reach")
        items.append(MenuItem("reach", _("Reach"), reach, (reach,)))
        registry = reverse("trainers:registry")
        cohorts = reverse("trainers:cohort_list")
        certifications = reverse("trainers:certification_detail", kwargs={"pk": 1}).rsplit("1/", 1)[0]
        # the registry's own address is the prefix of every /trainers/ path: only its exact address marks it
        items.append(MenuItem("registry", _("Trainers"), registry, (f"{registry}trainer/",)))
        items.append(MenuItem("cohorts", _("Cohorts"), cohorts, (cohorts, certifications)))
    if roles & {Role.EDITOR, Role.MANAGER}:
        admin = reverse("wagtailadmin_home")
        items.append(MenuItem("admin", _("Admin"), admin, (admin,)))
    return items


def _is_current(item: MenuItem, path: str) -> bool:
    return path == item.url or any(path.startswith(section) for section in item.sections)


def menu_items(*, user, path: str) -> list[MenuItem]:
    """The header menu of ``user`` on the page at ``path``, the current section marked."""
    if not user.is_authenticated:
        return []
    items = _items_for(people_selectors.user_roles(user=user), user=user)
    # the longest matching section wins (the dashboard's tests anchor, /trainers/ inside /trainers/cohorts/)
    matches = [item for item in items if _is_current(item, path)]
    current = max(matches, key=lambda item: max(len(s) for s in (item.url, *item.sections)), default=None)
    return [
        MenuItem(item.key, item.label, item.url, item.sections, current=item is current) for item in items
    ]


def navigation(request):
    """Context processor: ``menu_items`` for the header, computed at most once per request."""

    def build():
        cached = getattr(request, "_lms_menu_items", None)
        if cached is None:
            cached = menu_items(user=request.user, path=request.path)
            request._lms_menu_items = cached
        return cached

    return {"menu_items": SimpleLazyObject(build)}


# --- breadcrumbs -----------------------------------------------------------------------------------------

# the sections a breadcrumb trail may name by key: (label, URL name)
CRUMBS = {
    "sessions": (_("Cascade sessions"), "cascade:session_list"),
    "approvals": (_("Sessions to approve"), "cascade:approval_queue"),
    "calendar": (_("Calendar"), "cascade:calendar_month"),
    "grading": (_("Answers to grade"), "grading:grading_queue"),
    "paper": (_("Tests on paper"), "grading:paper_forms"),
    "ojt": (_("On-the-job training"), "ojt:ojt_dashboard"),
    "ojt_records": (_("OJT records"), "ojt:ojt_records"),
    "reports": (_("Knowledge gain"), "reports:knowledge_gain"),
    "reach": (_("Reach of the cascade"), "reports:reach"),
    "registry": (_("Trainer registry"), "trainers:registry"),
    "cohorts": (_("ToT cohorts"), "trainers:cohort_list"),
}


def _crumb(part) -> tuple[str, str]:
    """(label, url) of one part of a trail: a key of CRUMBS, a model object with a page, or a plain label."""
    if isinstance(part, str) and part in CRUMBS:
        label, name = CRUMBS[part]
        return str(label), reverse(name)
    url = getattr(part, "get_absolute_url", None)
    if url is None:
        url = _object_url(part)
    else:
        url = url()
    return str(part), url or ""


def _object_url(obj) -> str:
    label = getattr(getattr(obj, "_meta", None), "label", "")
    if label == "cascade.CascadeSession":
        return reverse("cascade:session_detail", kwargs={"pk": obj.pk})
    if label == "trainers.Cohort":
        return reverse("trainers:cohort_detail", kwargs={"code": obj.code})
    if label == "trainers.Certification":
        return reverse("trainers:certification_detail", kwargs={"pk": obj.pk})
    return ""


def breadcrumb_trail(*parts) -> list[dict]:
    """The breadcrumbs of a staff page: the dashboard, then ``parts``; the last is the current page."""
    parts = [part for part in parts if part not in (None, "")]
    trail = [{"label": str(_("Dashboard")), "url": reverse("dashboard")}]
    trail += [dict(zip(("label", "url"), _crumb(part))) for part in parts]
    trail[-1]["current"] = True
    return trail
