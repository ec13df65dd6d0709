"""What the dashboard shows, by role. Later apps add their own content to these sections."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assessments.selectors import assessments_for_learner
from courses.selectors import course_catalogue_url, enrolled_courses
from lms.people import selectors as people_selectors
from lms.people.models import Profile
from lms.people.roles import Role


@dataclass
class Section:
    key: str
    title: str
    lines: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    empty_text: str = ""
    courses: list[dict] = field(default_factory=list)
    tests: list = field(default_factory=list)


def dashboard_sections(*, user) -> list[Section]:
    """Return the sections of ``user``'s dashboard in display order."""
    roles = people_selectors.user_roles(user=user)
    sections = [
        Section(
            key="courses",
            title=_("My courses"),
            empty_text=_("You are not enrolled in a course yet."),
            courses=enrolled_courses(user=user),
            links=[
                (course_catalogue_url(), _("All courses")),
                (reverse("trainers:my_certificates"), _("My certificates")),
            ],
        ),
        Section(
            key="tests",
            title=_("My tests"),
            empty_text=_("No test is open to you now."),
            tests=list(assessments_for_learner(user=user)),
        ),
    ]
    session_links = [(reverse("cascade:session_list"), _("Cascade sessions"))]
    if roles & {Role.COORDINATOR, Role.MANAGER}:
        session_links.append((reverse("cascade:approval_queue"), _("Sessions to approve")))
    if roles & {Role.TRAINER, Role.COORDINATOR}:
        sections.append(
            Section(
                key="sessions",
                title=_("My sessions"),
                empty_text=_("No cascade sessions are scheduled yet."),
                links=[
                    *session_links,
                    (reverse("cascade:grading_queue"), _("Answers to grade")),
                    (reverse("cascade:paper_forms"), _("Tests on paper")),
                    (reverse("api_token"), _("API token")),
                ],
            )
        )
        session_links = []
    agencies = people_selectors.managed_agency_list(actor=user)
    if roles & {Role.COORDINATOR, Role.MANAGER}:
        section = Section(key="agency", title=_("My agency"))
        if people_selectors.user_sees_all_agencies(user=user):
            section.title = _("Agencies")
        people_count = Profile.objects.filter(agency__in=agencies).count()
        section.lines = [agency.name for agency in agencies[:12]]
        section.lines.append(_("People on record: %(count)s") % {"count": people_count})
        if user.has_perm("people.view_profile"):
            section.links.append((reverse("people:list"), _("People")))
        section.links.append((reverse("reports:knowledge_gain"), _("Knowledge gain")))
        section.links.append((reverse("reports:reach"), _("Reach of the cascade")))
        section.links.append((reverse("trainers:registry"), _("Trainer registry")))
        section.links.append((reverse("trainers:cohort_list"), _("ToT cohorts")))
        section.links.append((reverse("cascade:ojt_dashboard"), _("On-the-job training")))
        # a programme manager has no sessions section: their way to the sessions (and their token) is here
        if session_links:
            session_links.append((reverse("api_token"), _("API token")))
        section.links.extend(session_links)
        sections.append(section)
    if roles & {Role.EDITOR, Role.MANAGER}:
        sections.append(
            Section(
                key="content",
                title=_("Content"),
                lines=[_("Course modules, questions and legal provisions are edited in the admin.")],
                links=[(reverse("wagtailadmin_home"), _("Open the content admin"))],
            )
        )
    return sections
