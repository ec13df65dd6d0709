"""What the dashboard shows, by role: for each section a handful of items, each with its next action.

The data comes from selectors of the apps (courses, assessments, lms.cascade, lms.trainers, lms.reports),
which scope it to the user in the query; this module only composes them into sections, and the number of
queries does not grow with the user's courses, tests or sessions.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import get_language, ngettext

from assessments.selectors import learner_test_list
from courses.learner_state import learner_changed, learner_version, learners_changed
from courses.selectors import course_catalogue_url, enrolled_courses, nav_version
from lms.cascade import selectors as cascade_selectors
from lms.cascade.models import CascadeSession
from lms.grading import selectors as grading_selectors
from lms.ojt import progress as ojt_progress
from lms.ojt import selectors as ojt_selectors
from lms.people import selectors as people_selectors
from lms.people.models import Profile
from lms.people.names import display_name
from lms.people.roles import Role
from lms.reports.selectors import national_figures
from lms.trainers import certificates as trainer_certificates
from lms.trainers import selectors as trainer_selectors
from lms.trainers.models import Certification

State = CascadeSession.State


@dataclass
class Item:
    """One line of a section: what it is, a few facts and dates, a status, and the next action.

    ``action_url`` is a link; with ``action_post`` the action is a one-button form posting
    ``action_post`` (the ``action`` field) to ``action_url``."""

    title: str
    url: str = ""
    facts: list[str] = field(default_factory=list)
    dates: list[tuple[str, object]] = field(default_factory=list)
    status: str = ""
    status_kind: str = ""  # "ok", "warn" or "" (neutral)
    percent: int | None = None
    action_label: str = ""
    action_url: str = ""
    action_post: str = ""
    secondary_label: str = ""
    secondary_url: str = ""
    test_slug: str = ""  # a test's slug, as data-test on its line (browser tests find the pre-test by it)


@dataclass
class Section:
    key: str
    title: str
    lines: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    empty_text: str = ""
    more: str = ""  # "and 7 more" under the items


def _more(total: int, shown: int) -> str:
    hidden = total - shown
    return ngettext("and %(count)s more", "and %(count)s more", hidden) % {"count": hidden} if hidden > 0 else ""


# --- everyone: courses, tests, the sessions one is on, certificates ---------------------------------------


def _courses_section(user) -> Section:
    items = []
    for course in enrolled_courses(user=user):
        nav = course["nav"]
        item = Item(title=nav.title, url=nav.url, percent=course["percent"])
        if course["completed"]:
            item.status, item.status_kind, item.percent = _("Completed"), "ok", None
            item.dates = [(_("Completed on"), course["completed_at"])]
            item.action_label = _("Certificate")
            item.action_url = reverse("trainers:course_certificate_pdf", args=[nav.key])
        elif course["next_lesson"] is not None:
            item.action_label = _("Next lesson: %(title)s") % {"title": course["next_lesson"].title}
            item.action_url = course["continue_url"]
        else:
            item.action_label = _("Open the course")
            item.action_url = course["continue_url"]
        items.append(item)
    return Section(
        key="courses",
        title=_("My courses"),
        items=items[:5],
        more=_more(len(items), 5),
        empty_text=_("You are not enrolled in a course yet: choose one in the course list."),
        links=[(course_catalogue_url(), _("All courses"))],
    )


TEST_STATUS = {
    "not_started": (_("Not started"), ""),
    "in_progress": (_("In progress"), "warn"),
    "submitted": (_("Submitted, waiting for the grade"), ""),
    "scored": (_("Score"), "ok"),
}


def _tests_section(user, now=None) -> Section:
    now = now or timezone.now()
    items = []
    for entry in learner_test_list(user=user, now=now, limit=5):
        test = entry.assessment
        label, kind = TEST_STATUS[entry.status]
        item = Item(
            title=test.title, url=reverse("assessments:detail", args=[test.slug]), status=label, status_kind=kind,
            test_slug=test.slug,
        )
        item.facts = [test.get_purpose_display()]
        if entry.status == "scored":
            item.status = _("Score: %(score)s of %(max)s") % {
                "score": f"{entry.attempt.score.normalize():f}", "max": f"{entry.attempt.max_score.normalize():f}"
            }
        if test.opens_at:
            item.dates.append((_("Opens"), timezone.localtime(test.opens_at)))
        if test.closes_at:
            item.dates.append((_("Closes"), timezone.localtime(test.closes_at)))
        upcoming = test.opens_at is not None and test.opens_at > now
        closed = test.closes_at is not None and test.closes_at <= now
        if entry.status == "not_started" and not upcoming and not closed:
            item.action_label, item.action_url = _("Start the test"), item.url
        elif entry.status == "in_progress" and not closed:
            item.action_label, item.action_url = _("Continue the test"), item.url
        items.append(item)
    return Section(
        key="tests",
        title=_("My tests"),
        items=items,
        empty_text=_("No test is open to you now. Your trainer tells you when one opens."),
    )


def _training_section(user, today) -> Section:
    items = []
    for session in cascade_selectors.participant_session_list(user=user, today=today):
        item = Item(title=session.title, url=reverse("cascade:session_detail", args=[session.pk]))
        if session.next_day:
            item.dates.append((_("Next day"), session.next_day))
        elif session.last_day:
            item.dates.append((_("Last day"), session.last_day))
        item.facts = [session.venue]
        if session.state != State.APPROVED:
            item.status = session.get_state_display()
        items.append(item)
    return Section(
        key="training",
        title=_("Sessions I take part in"),
        items=items,
        empty_text=_("You are not on the roster of a session. Your training coordinator enrols you."),
    )


def _certificates_section(user, today, *, trainer: bool) -> Section:
    section = Section(
        key="certificates",
        title=_("My certificates"),
        empty_text=_("No certificate yet: complete a course to receive one."),
        links=[(reverse("trainers:my_certificates"), _("All my certificates"))],
    )
    validity = trainer_selectors.certification_validity(user=user, today=today)
    if validity is not None:
        certification = validity.certification
        item = Item(title=_("Trainer certificate %(number)s") % {"number": certification.number},
                    facts=[certification.programme.name])
        if certification.status in {Certification.Status.CERTIFIED, Certification.Status.EXPIRED,
                                    Certification.Status.SUSPENDED} and certification.pk:
            item.url = reverse("trainers:certification_pdf", args=[certification.pk])
        if certification.valid_until:
            item.dates.append((_("Valid until"), certification.valid_until))
        if validity.expiring:
            item.status, item.status_kind = (
                ngettext("Ends in %(days)s day: plan your recertification",
                         "Ends in %(days)s days: plan your recertification", validity.days_left)
                % {"days": validity.days_left},
                "warn",
            )
        elif validity.valid:
            item.status, item.status_kind = _("Valid"), "ok"
        else:
            item.status, item.status_kind = (
                certification.get_status_display() if certification.status != Certification.Status.CERTIFIED
                else _("Expired"), "warn",
            )
        section.items.append(item)
    elif trainer:
        section.lines.append(_("You hold no trainer certificate yet."))
    mine = trainer_certificates.my_certificate_list(user=user, language=get_language())
    for certificate in mine["completions"][:3]:
        if certificate.revoked:
            continue
        section.items.append(Item(
            title=getattr(certificate, f"title_{get_language()}", "") or certificate.title_en,
            url=reverse("trainers:completion_certificate_pdf", args=[certificate.pk]),
            facts=[certificate.number], dates=[(_("Issued on"), certificate.issued_on)],
        ))
    for pending in mine["pending"][:2]:
        section.items.append(Item(
            title=pending["title"], status=_("Completed"), status_kind="ok",
            action_label=_("Get the certificate"),
            action_url=reverse("trainers:course_certificate_pdf", args=[pending["course_key"]]),
        ))
    return section


# --- trainers ---------------------------------------------------------------------------------------------

SESSION_ACTIONS = {
    "attendance": _("Take today's attendance"),
    "submit": _("Submit for approval"),
    "deliver": _("Mark as delivered"),
    "report": _("Write the report"),
}


def _session_action_url(session) -> str:
    if session.next_action == "attendance":
        return reverse("cascade:session_attendance", args=[session.pk, session.today_day])
    if session.next_action == "report":
        return reverse("cascade:session_report", args=[session.pk])
    return reverse("cascade:session_detail", args=[session.pk])


def _session_item(session) -> Item:
    item = Item(title=session.title, url=reverse("cascade:session_detail", args=[session.pk]),
                status=session.get_state_display(), facts=[session.venue])
    if session.next_day:
        item.dates.append((_("Next day"), session.next_day))
    elif session.last_day:
        item.dates.append((_("Last day"), session.last_day))
    if session.next_action:
        item.action_label = SESSION_ACTIONS[session.next_action]
        item.action_url = _session_action_url(session)
        item.status_kind = "warn"
    return item


def _ended(session, today) -> bool:
    """A session whose last day is over (a draft or returned one is still being prepared, whatever its dates)."""
    return session.ends_at is not None and timezone.localdate(session.ends_at) < today and session.state not in (
        State.DRAFT, State.RETURNED,
    )


UPCOMING_SHOWN = 6
RECENT_SHOWN = 5


def _sessions_sections(user, today) -> list[Section]:
    """The trainer's sessions in two sections: upcoming (and being prepared), and recently ended (the report
    to write first, then the latest); each with its next action."""
    sessions, _total = cascade_selectors.trainer_session_list(user=user, today=today, limit=None)
    upcoming = [session for session in sessions if not _ended(session, today)]
    recent = [session for session in sessions if _ended(session, today)]
    recent.sort(key=lambda session: (not session.next_action, -session.ends_at.timestamp(), -session.pk))
    section = Section(
        key="sessions",
        title=_("Upcoming sessions"),
        items=[_session_item(session) for session in upcoming[:UPCOMING_SHOWN]],
        more=_more(len(upcoming), min(len(upcoming), UPCOMING_SHOWN)),
        empty_text=_("You lead no upcoming session. Schedule one from the list of sessions."),
        links=[(reverse("cascade:session_list"), _("All sessions"))],
    )
    sections = [section]
    if recent:
        sections.append(Section(
            key="recent_sessions",
            title=_("Recent sessions"),
            items=[_session_item(session) for session in recent[:RECENT_SHOWN]],
            more=_more(len(recent), min(len(recent), RECENT_SHOWN)),
        ))
    if grading_selectors.may_grade(user=user):
        waiting = grading_selectors.grading_waiting_count(user=user)
        if waiting:
            section.items.insert(0, Item(
                title=ngettext("%(count)s answer is waiting for your grade", "%(count)s answers are waiting for your grade",
                               waiting) % {"count": waiting},
                status_kind="warn",
                action_label=_("Grade the answers"),
                action_url=reverse("grading:grading_queue"),
            ))
        else:
            section.lines.append(_("No answer is waiting for your grade."))
        section.links += [(reverse("grading:paper_forms"), _("Tests on paper")), (reverse("api_token"), _("API token"))]
    return sections


# --- coordinators -----------------------------------------------------------------------------------------


def _approvals_section(user) -> Section:
    queue = cascade_selectors.approval_queue(user=user)
    waiting = list(queue.order_by("starts_at", "pk")[:5])
    counts = cascade_selectors.approval_counts(user=user)
    section = Section(
        key="approvals",
        title=_("Waiting for your decision"),
        empty_text=_("Nothing is waiting for your approval. Submitted sessions and reports appear here."),
        links=[(reverse("cascade:approval_queue"), _("Approvals"))],
    )
    if counts["sessions"] or counts["reports"]:
        section.lines.append(
            ngettext("%(count)s session waiting for approval", "%(count)s sessions waiting for approval",
                     counts["sessions"]) % {"count": counts["sessions"]}
            + " · "
            + ngettext("%(count)s report to accept", "%(count)s reports to accept", counts["reports"])
            % {"count": counts["reports"]}
        )
    for session in waiting:
        url = reverse("cascade:session_detail", args=[session.pk])
        item = Item(title=session.title, url=url, facts=[display_name(session.lead_trainer)],
                    dates=[(_("Starts"), timezone.localtime(session.starts_at))], status=session.get_state_display())
        if session.state == State.SUBMITTED:
            item.action_label, item.action_url, item.action_post = _("Approve"), url, "approve"
            item.secondary_label, item.secondary_url = _("Return with comment"), f"{url}#session-actions"
        else:
            item.action_label, item.action_url, item.action_post = _("Accept the report"), url, "accept_report"
            item.secondary_label, item.secondary_url = _("Read the report"), reverse("cascade:session_report",
                                                                                     args=[session.pk])
        section.items.append(item)
    section.more = _more(counts["sessions"] + counts["reports"], len(waiting))
    return section


def _ojt_line(user, today) -> str:
    agency = ojt_selectors.own_agency(user=user)
    if agency is None:
        return ""
    plan = ojt_progress.plan_for(agency=agency, year=today.year)
    figures = ojt_progress.progress_get(agency=agency, year=today.year, plan=plan)
    parts = []
    names = {"sessions": _("sessions"), "staff": _("staff trained"), "hours": _("training hours")}
    for measure in figures.measures:
        if measure.key not in names:
            continue
        if measure.target:
            parts.append(f"{names[measure.key]} {measure.actual:n}/{measure.target}")
        else:
            parts.append(f"{names[measure.key]} {measure.actual:n}")
    if not parts:
        return ""
    label = _("On-the-job training %(year)s:") if plan else _("On-the-job training %(year)s (no plan yet):")
    return f"{label % {'year': today.year}} {', '.join(parts)}"


def _agency_section(user, today, roles) -> Section:
    scope = people_selectors.agency_scope(user=user)
    agencies, sees_all = scope.agencies(), scope.all
    section = Section(key="agency", title=_("Agencies") if sees_all else _("My agency"))
    if not sees_all:
        section.lines = [agency.name for agency in agencies[:3]]
        people_count = Profile.objects.filter(agency__in=agencies).count()
        section.lines.append(_("People on record: %(count)s") % {"count": people_count})
    if Role.COORDINATOR in roles and not sees_all:
        ojt = _ojt_line(user, today)
        if ojt:
            section.lines.append(ojt)
    upcoming, total = cascade_selectors.agency_upcoming_session_list(user=user, today=today)
    for session in upcoming:
        item = Item(title=session.title, url=reverse("cascade:session_detail", args=[session.pk]),
                    facts=[session.venue, ngettext("%(count)s participant", "%(count)s participants", session.enrolled)
                           % {"count": session.enrolled}])
        if session.next_day:
            item.dates.append((_("Next day"), session.next_day))
        section.items.append(item)
    section.more = _more(total, len(upcoming))
    if not upcoming:
        section.lines.append(_("No approved session is coming up."))
    if user.has_perm("people.view_profile"):
        section.links.append((reverse("people:list"), _("People")))
    section.links += [
        (reverse("reports:knowledge_gain"), _("Knowledge gain")),
        (reverse("reports:reach"), _("Reach of the cascade")),
        (reverse("trainers:registry"), _("Trainer registry")),
        (reverse("trainers:cohort_list"), _("ToT cohorts")),
        (reverse("ojt:ojt_dashboard"), _("On-the-job training")),
    ]
    if not roles & {Role.TRAINER, Role.COORDINATOR}:
        # a programme manager has no sessions section: their way to the sessions (and their token) is here
        section.links += [(reverse("cascade:session_list"), _("Cascade sessions")), (reverse("api_token"), _("API token"))]
    return section


# --- programme managers -----------------------------------------------------------------------------------


def _national_section(user, today) -> Section | None:
    figures = national_figures(user=user, today=today)
    if figures is None:
        return None
    section = Section(key="national", title=_("National figures"))
    section.lines = [
        _("Certified trainers: %(count)s") % {"count": figures.certified_trainers},
        _("Sessions delivered this quarter: %(count)s") % {"count": figures.sessions_quarter},
        _("Participants this quarter: %(count)s") % {"count": figures.participants_quarter},
        _("Mean gain (post-test minus pre-test): %(gain)s points") % {"gain": f"{figures.mean_gain:+.1f}"}
        if figures.mean_gain is not None else _("Mean gain: no learner has taken both tests yet."),
    ]
    ready, count = trainer_selectors.ready_candidate_list(actor=user, today=today, limit=5)
    for certification in ready:
        section.items.append(Item(
            title=display_name(certification.user),
            url=reverse("trainers:certification_detail", args=[certification.pk]),
            facts=[certification.cohort.title if certification.cohort_id else ""],
            status=_("Ready to certify"), status_kind="ok",
            action_label=_("Decide"), action_url=reverse("trainers:certification_detail", args=[certification.pk]),
        ))
    section.more = _more(count, len(ready))
    if not ready:
        section.lines.append(_("No candidate of an open cohort is ready to certify yet."))
    return section


# --- the learning sections, kept in the cache per learner ------------------------------------------------

LEARNING_TIMEOUT = 10 * 60


def _plain(section: Section) -> None:
    """Turn the section's lazy translations into plain strings: a cached lazy string is rebuilt (a class
    made anew) each time it is read back from the cache, which costs more than the whole section."""
    section.title, section.empty_text, section.more = str(section.title), str(section.empty_text), str(section.more)
    section.lines = [str(line) for line in section.lines]
    section.links = [(url, str(label)) for url, label in section.links]
    for item in section.items:
        item.title, item.status = str(item.title), str(item.status)
        item.action_label, item.secondary_label = str(item.action_label), str(item.secondary_label)
        item.facts = [str(fact) for fact in item.facts]
        item.dates = [(str(label), value) for label, value in item.dates]


def _learning_sections(user, today, *, trainer: bool) -> list[Section]:
    """Courses, tests, sessions one takes part in, certificates: the same for every role, and kept in the
    cache per learner, language and day until one of their sources changes (``courses.learner_state``;
    the signals are in ``register_dashboard_signals``) or a listed test opens or closes."""
    key = (f"lms:dashboard:{nav_version()}:{learner_version(user.pk)}:{user.pk}:{get_language()}:{today.isoformat()}"
           f":{int(trainer)}")
    sections = cache.get(key)
    if sections is not None:
        return sections
    now = timezone.now()
    sections = [
        _courses_section(user),
        _tests_section(user, now),
        _training_section(user, today),
        _certificates_section(user, today, trainer=trainer),
    ]
    for section in sections:
        _plain(section)
    timeout = LEARNING_TIMEOUT
    for item in sections[1].items:
        test_dates = [value for _label, value in item.dates if value > now]
        timeout = min([timeout, *(int((value - now).total_seconds()) + 1 for value in test_dates)])
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    timeout = max(1, min(timeout, int((midnight - now).total_seconds()) + 1))
    cache.set(key, sections, timeout)
    return sections


def _user_changed(sender, instance, **kwargs) -> None:
    learner_changed(getattr(instance, "user_id", None))


def register_dashboard_signals() -> None:
    """Forget a learner's cached learning sections when one of their sources is saved or deleted."""
    from django.db.models.signals import post_delete, post_save

    from assessments.models import Assessment, Attempt
    from courses.models import CourseCompletion, Enrolment, LastVisit, LessonProgress
    from lms.cascade.models import SessionDay, SessionParticipant
    from lms.trainers.models import CertificationProgramme, CompletionCertificate

    own = (Enrolment, LessonProgress, LastVisit, CourseCompletion, Attempt, SessionParticipant, Certification,
           CompletionCertificate)
    shared = (Assessment, CascadeSession, SessionDay, CertificationProgramme)
    for signal, name in ((post_save, "save"), (post_delete, "delete")):
        for model in own:
            signal.connect(_user_changed, sender=model, dispatch_uid=f"lms_dashboard_{name}_{model.__name__}")
        for model in shared:
            signal.connect(learners_changed, sender=model, dispatch_uid=f"lms_dashboard_{name}_{model.__name__}")


def dashboard_sections(*, user) -> list[Section]:
    """Return the sections of ``user``'s dashboard in display order: their work first, then their learning."""
    roles = people_selectors.user_roles(user=user)
    today = timezone.localdate()
    sections = []
    if people_selectors.agency_scope(user=user).all or Role.COORDINATOR in roles:
        sections.append(_approvals_section(user))
    if roles & {Role.TRAINER, Role.COORDINATOR}:
        sections += _sessions_sections(user, today)
    national = _national_section(user, today)
    if national is not None:
        sections.append(national)
    if roles & {Role.COORDINATOR, Role.MANAGER}:
        sections.append(_agency_section(user, today, roles))
    sections += _learning_sections(user, today, trainer=Role.TRAINER in roles)
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
