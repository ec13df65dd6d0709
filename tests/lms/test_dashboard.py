"""The dashboard shows sections by role, in the user's language, with a constant query count."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import AgencyFactory, person

pytestmark = pytest.mark.django_db

LEARNING = ["courses", "tests", "training", "certificates"]
EXPECTED_SECTIONS = {
    "trainee": LEARNING,
    "trainee.mia": LEARNING,
    "trainer": ["sessions", *LEARNING],
    "coordinator": ["approvals", "sessions", "agency", *LEARNING],
    "coordinator.mia": ["approvals", "sessions", "agency", *LEARNING],
    "editor": [*LEARNING, "content"],
    "manager": ["approvals", "national", "agency", *LEARNING, "content"],
    "admin": ["approvals", "sessions", "national", "agency", *LEARNING, "content"],
}


@pytest.fixture
def seeded(db):
    call_command("seed_demo", "--without-curriculum", verbosity=0)


@pytest.mark.parametrize(("username", "sections"), EXPECTED_SECTIONS.items())
def test_each_demo_account_sees_its_sections(client, seeded, username, sections):
    client.force_login(User.objects.get(username=username))
    response = client.get("/en/dashboard/")
    assert response.status_code == 200
    assert [section.key for section in response.context["sections"]] == sections


def test_coordinator_sees_own_agency_only(client, seeded):
    client.force_login(User.objects.get(username="coordinator.mia"))
    html = client.get("/ru/dashboard/").content.decode()
    assert "Министерство внутренних дел" in html
    assert "Генеральная прокуратура" not in html


def test_dashboard_query_count_does_not_grow_with_people(client, seeded, django_assert_max_num_queries):
    client.force_login(User.objects.get(username="manager"))
    client.get("/en/dashboard/")  # warms the caches (site, navigation)
    with CaptureQueriesContext(connection) as captured:
        client.get("/en/dashboard/")
    before = len(captured)
    for number in range(10):
        person(username=f"extra{number}", agency=AgencyFactory(code=f"X{number}"))
    client.get("/en/dashboard/")  # new people may have emptied a cache
    with django_assert_max_num_queries(before):
        assert client.get("/en/dashboard/").status_code == 200
    assert before <= 30


@pytest.mark.parametrize(
    ("username", "linked"), [("trainer", True), ("coordinator", True), ("manager", True), ("trainee", False)]
)
def test_the_api_token_page_is_linked_for_the_people_who_use_the_api(client, seeded, username, linked):
    client.force_login(User.objects.get(username=username))
    links = [url for section in client.get("/en/dashboard/").context["sections"] for url, _label in section.links]
    assert ("/en/accounts/api-token/" in links) is linked


# --- each role's next actions, with built sessions, tests and courses -------------------------------------

import itertools  # noqa: E402
from datetime import time, timedelta  # noqa: E402

from django.urls import reverse  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from assessments.models import Assessment, Attempt  # noqa: E402
from courses.learner_state import learners_changed  # noqa: E402
from courses.models import CourseCompletion, Enrolment  # noqa: E402
from lms.cascade import services as cascade_services  # noqa: E402
from lms.cascade.models import CascadeSession, SessionDay, SessionParticipant, SessionReport  # noqa: E402
from lms.cascade.services import Day  # noqa: E402
from lms import dashboard as dashboard_module  # noqa: E402
from lms.people.roles import Role  # noqa: E402
from lms.trainers.models import Certification, CertificationProgramme  # noqa: E402

TODAY = timezone.localdate()
SOON = TODAY + timedelta(days=10)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def programme(curriculum):
    return CertificationProgramme.objects.create(
        code="tot", name_en="Certified trainer", course_key=curriculum["tot"].translation_key, modules=[1, 2, 3, 4]
    )


def certify(user, programme, *, valid_until=None):
    return Certification.objects.create(
        user=user, programme=programme, status="certified", number=f"TOT-{user.pk}", code=f"code-{user.pk}",
        certified_on=TODAY - timedelta(days=100), valid_until=valid_until or TODAY + timedelta(days=400),
    )


@pytest.fixture
def trainer(agency_a, programme):
    user = person(username="aygul", first_name="Aýgül", last_name="Orazowa", roles=[Role.TRAINER], agency=agency_a)
    certify(user, programme)
    return user


@pytest.fixture
def learner(agency_a):
    return person(username="learner", roles=[Role.TRAINEE], agency=agency_a)


_days = itertools.count()


def schedule(trainer, programme, *, title="Victim-sensitive interviewing", day=None, venue="Daşoguz"):
    """A session on its own day (a trainer is not booked twice at a time)."""
    day = day or SOON + timedelta(days=next(_days))
    return cascade_services.session_schedule(
        actor=trainer, title=title, course_key=programme.course_key, modules=[1], days=[Day(day, time(9), time(13))],
        venue=venue, capacity=30, language="tk",
    )


def approved(trainer, coordinator, programme, **kwargs):
    session = schedule(trainer, programme, **kwargs)
    cascade_services.session_submit(actor=trainer, session=session)
    cascade_services.session_approve(actor=coordinator, session=session)
    return session


def section(response, key):
    return next(section for section in response.context["sections"] if section.key == key)


def queries(client, path="/en/dashboard/", *, learning_cached=False) -> int:
    """The queries of a dashboard once the caches (site, course navigation) are warm; the learning sections
    (kept in the cache per learner) computed anew unless ``learning_cached``."""
    client.get(path)
    if not learning_cached:
        learners_changed()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_trainer_sees_their_five_sessions_each_with_its_next_action(client, trainer, coordinator_a, programme):
    draft = schedule(trainer, programme, title="Draft one")
    today = approved(trainer, coordinator_a, programme, title="Today's one")
    SessionDay.objects.filter(session=today).update(date=TODAY)
    delivered = approved(trainer, coordinator_a, programme, title="Delivered one")
    SessionDay.objects.filter(session=delivered).update(date=TODAY - timedelta(days=3))
    CascadeSession.objects.filter(pk=delivered.pk).update(
        state=CascadeSession.State.DELIVERED, starts_at=timezone.now() - timedelta(days=3, hours=4),
        ends_at=timezone.now() - timedelta(days=3),
    )
    for number in range(2):
        approved(trainer, coordinator_a, programme, title=f"Later {number}")
    client.force_login(trainer)
    response = client.get("/en/dashboard/")
    upcoming = [item.title for item in section(response, "sessions").items]
    recent = [item.title for item in section(response, "recent_sessions").items]
    assert set(upcoming) == {"Draft one", "Today's one", "Later 0", "Later 1"} and recent == ["Delivered one"]
    assert [s.title for s in response.context["sections"]][:2] == ["Upcoming sessions", "Recent sessions"]
    items = {item.title: item for item in section(response, "sessions").items + section(response, "recent_sessions").items}
    day = SessionDay.objects.get(session=today)
    assert items["Today's one"].action_url == reverse("cascade:session_attendance", args=[today.pk, day.pk])
    assert items["Draft one"].action_label == "Submit for approval"
    assert items["Draft one"].action_url == reverse("cascade:session_detail", args=[draft.pk])
    assert items["Delivered one"].action_url == reverse("cascade:session_report", args=[delivered.pk])
    assert items["Later 0"].action_label == ""
    html = response.content.decode()
    assert "No cascade sessions are scheduled yet" not in html and "Daşoguz" in html
    # the sessions with something to do come first
    assert {item.title for item in section(response, "sessions").items[:2]} == {"Today's one", "Draft one"}
    SessionReport.objects.create(session=delivered, methods="Role play", submitted_at=timezone.now())
    items = {item.title: item for item in section(client.get("/en/dashboard/"), "recent_sessions").items}
    assert items["Delivered one"].action_label == ""


def test_a_co_trainer_is_not_asked_to_submit_the_lead_trainers_draft(client, trainer, agency_a, programme):
    colleague = person(username="merdan", roles=[Role.TRAINER], agency=agency_a)
    certify(colleague, programme)
    session = schedule(trainer, programme, title="Shared")
    session.co_trainers.add(colleague)
    client.force_login(colleague)
    items = section(client.get("/en/dashboard/"), "sessions").items
    assert [(item.title, item.action_label) for item in items] == [("Shared", "")]


def test_the_trainer_dashboard_takes_as_many_queries_for_ten_sessions_as_for_one(
    client, trainer, coordinator_a, programme, learner
):
    def add(number):
        session = approved(trainer, coordinator_a, programme, title=f"S{number}")
        cascade_services.participant_add(actor=trainer, session=session, user=learner)

    add(0)
    client.force_login(trainer)
    client.get("/en/dashboard/")
    one = queries(client)
    for number in range(1, 10):
        add(number)
    assert queries(client) == one
    assert len(section(client.get("/en/dashboard/"), "sessions").items) == 6


def test_a_trainer_is_warned_before_the_certification_ends(client, agency_a, programme):
    user = person(username="soon", roles=[Role.TRAINER], agency=agency_a)
    certify(user, programme, valid_until=TODAY + timedelta(days=30))
    client.force_login(user)
    item = section(client.get("/en/dashboard/"), "certificates").items[0]
    assert item.title == f"Trainer certificate TOT-{user.pk}"
    assert item.status_kind == "warn" and "30 days" in item.status
    assert item.dates == [("Valid until", TODAY + timedelta(days=30))]
    # saved as the app saves it (a recertification): the dashboard's cached copy is forgotten
    certification = Certification.objects.get(user=user)
    certification.valid_until = TODAY + timedelta(days=200)
    certification.save()
    item = section(client.get("/en/dashboard/"), "certificates").items[0]
    assert item.status == "Valid" and item.status_kind == "ok"


def test_the_trainee_sees_the_approved_session_they_are_on(client, trainer, coordinator_a, programme, learner):
    session = approved(trainer, coordinator_a, programme, title="Identifying victims", venue="Balkan centre")
    cascade_services.participant_add(actor=trainer, session=session, user=learner)
    other = approved(trainer, coordinator_a, programme, title="Cancelled one")
    cascade_services.participant_add(actor=trainer, session=other, user=learner)
    cascade_services.session_cancel(actor=coordinator_a, session=other, reason="No room")
    client.force_login(learner)
    response = client.get("/en/dashboard/")
    items = section(response, "training").items
    assert [(item.title, item.facts, item.dates) for item in items] == [
        ("Identifying victims", ["Balkan centre"], [("Next day", session.days.get().date)])
    ]
    assert items[0].url == reverse("cascade:session_detail", args=[session.pk])
    from django.utils.formats import date_format

    assert date_format(session.days.get().date, "DATE_FORMAT") in response.content.decode()


def test_a_trainee_on_no_session_is_told_so(client, learner):
    client.force_login(learner)
    response = client.get("/en/dashboard/")
    assert section(response, "training").items == []
    assert "You are not on the roster of a session" in response.content.decode()


def test_tests_are_listed_pre_before_post_with_window_and_status(client, learner):
    now = timezone.now()
    post = Assessment.objects.create(slug="post", title_en="Post-test", purpose="post", published=True,
                                     opens_at=now + timedelta(days=2), closes_at=now + timedelta(days=9))
    check = Assessment.objects.create(slug="check", title_en="Check", purpose="check", published=True)
    pre = Assessment.objects.create(slug="pre", title_en="Pre-test", purpose="pre", published=True)
    Assessment.objects.create(slug="hidden", title_en="Hidden", purpose="pre", published=False)
    Assessment.objects.create(slug="closed", title_en="Closed", purpose="pre", published=True,
                              opens_at=now - timedelta(days=9), closes_at=now - timedelta(days=2))
    Attempt.objects.create(assessment=pre, user=learner, state="graded", score=8, max_score=10, submitted_at=now)
    Attempt.objects.create(assessment=check, user=learner, state="open", language="en")
    client.force_login(learner)
    items = section(client.get("/en/dashboard/"), "tests").items
    assert [item.title for item in items] == ["Pre-test", "Post-test", "Check"]
    assert items[0].status == "Score: 8 of 10" and items[0].action_label == ""
    assert items[1].status == "Not started" and items[1].action_label == ""  # it opens in two days
    assert [label for label, _value in items[1].dates] == ["Opens", "Closes"]
    assert items[2].status == "In progress" and items[2].action_label == "Continue the test"
    assert post.pk < pre.pk  # the order is the purpose's, not the creation's


def test_the_trainee_dashboard_takes_as_many_queries_for_ten_tests_and_sessions_as_for_one(
    client, trainer, coordinator_a, programme, learner, curriculum
):
    def add(number):
        Assessment.objects.create(slug=f"t{number}", title_en=f"T{number}", purpose="pre", published=True)
        session = approved(trainer, coordinator_a, programme, title=f"S{number}")
        cascade_services.participant_add(actor=trainer, session=session, user=learner)

    Enrolment.objects.create(user=learner, course_key=curriculum["tot"].translation_key)
    add(0)
    client.force_login(learner)
    client.get("/en/dashboard/")
    one = queries(client)
    Enrolment.objects.create(user=learner, course_key=curriculum["refresher"].translation_key)
    for number in range(1, 10):
        add(number)
    assert queries(client) == one
    # from the cache the learning sections cost no query: what is left is the session's
    assert queries(client, learning_cached=True) <= one - 8
    assert [query["sql"] for query in _captured(client) if "django_session" not in query["sql"]] == []


def _captured(client, path="/en/dashboard/"):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return captured.captured_queries


def test_the_cached_learning_sections_follow_the_learners_changes(client, learner, curriculum):
    client.force_login(learner)
    assert section(client.get("/en/dashboard/"), "courses").items == []
    assert section(client.get("/en/dashboard/"), "tests").items == []
    # enrolled: the course is there at once
    Enrolment.objects.create(user=learner, course_key=curriculum["tot"].translation_key)
    assert [item.percent for item in section(client.get("/en/dashboard/"), "courses").items] == [0]
    # a test published for everyone, then the learner's attempt
    pre = Assessment.objects.create(slug="pre", title_en="Pre-test", purpose="pre", published=True)
    assert [item.status for item in section(client.get("/en/dashboard/"), "tests").items] == ["Not started"]
    attempt = Attempt.objects.create(assessment=pre, user=learner, state="open", language="en")
    assert [item.status for item in section(client.get("/en/dashboard/"), "tests").items] == ["In progress"]
    attempt.delete()
    assert [item.status for item in section(client.get("/en/dashboard/"), "tests").items] == ["Not started"]
    pre.published = False
    pre.save()
    assert section(client.get("/en/dashboard/"), "tests").items == []


def test_the_cached_learning_sections_follow_a_role_change(client, learner):
    client.force_login(learner)
    assert section(client.get("/en/dashboard/"), "certificates").lines == []
    learner.groups.add(Group.objects.get(name=Role.TRAINER))
    lines = section(client.get("/en/dashboard/"), "certificates").lines
    assert lines == ["You hold no trainer certificate yet."]


def test_two_languages_do_not_share_the_cached_sections(client, learner):
    client.force_login(learner)
    assert section(client.get("/en/dashboard/"), "courses").title == "My courses"
    with translation.override("ru"):
        ru = section(client.get("/ru/dashboard/"), "courses")
    assert ru.title != "My courses" and isinstance(ru.title, str)
    assert section(client.get("/en/dashboard/"), "courses").title == "My courses"


def test_the_cached_tests_section_lasts_until_a_listed_test_opens(client, learner, monkeypatch):
    Assessment.objects.create(slug="soon", title_en="Soon", purpose="pre", published=True,
                              opens_at=timezone.now() + timedelta(seconds=40))
    stored = {}
    real_set = dashboard_module.cache.set

    def spy(key, value, timeout=None, **kwargs):
        if key.startswith("lms:dashboard:"):
            stored[key] = timeout
        return real_set(key, value, timeout, **kwargs)

    monkeypatch.setattr(dashboard_module.cache, "set", spy)
    client.force_login(learner)
    assert section(client.get("/en/dashboard/"), "tests").items[0].action_label == ""
    assert len(stored) == 1 and 0 < next(iter(stored.values())) <= 41


def test_a_completed_course_says_completed_with_its_certificate(client, learner, curriculum):
    key = curriculum["tot"].translation_key
    Enrolment.objects.create(user=learner, course_key=key)
    Enrolment.objects.create(user=learner, course_key=curriculum["refresher"].translation_key)
    CourseCompletion.objects.create(user=learner, course_key=key)
    client.force_login(learner)
    response = client.get("/en/dashboard/")
    done, other = section(response, "courses").items
    assert done.status == "Completed" and done.action_label == "Certificate" and done.percent is None
    assert done.action_url == reverse("trainers:course_certificate_pdf", args=[key])
    assert other.action_label.startswith("Next lesson: ")
    assert "Continue where you left off" not in response.content.decode()


def test_the_coordinator_approves_in_one_click_and_sees_the_counts(
    client, trainer, coordinator_a, coordinator_b, programme
):
    waiting = schedule(trainer, programme, title="Waiting one")
    cascade_services.session_submit(actor=trainer, session=waiting)
    reported = approved(trainer, coordinator_a, programme, title="Reported one")
    SessionDay.objects.filter(session=reported).update(date=TODAY - timedelta(days=3))
    CascadeSession.objects.filter(pk=reported.pk).update(state=CascadeSession.State.REPORTED)
    SessionReport.objects.create(session=reported, methods="Role play", submitted_at=timezone.now())
    upcoming = approved(trainer, coordinator_a, programme, title="Upcoming one")
    client.force_login(coordinator_a)
    response = client.get("/en/dashboard/")
    approvals = section(response, "approvals")
    assert approvals.lines == ["1 session waiting for approval · 1 report to accept"]
    items = {item.title: item for item in approvals.items}
    assert items["Waiting one"].action_post == "approve"
    assert items["Waiting one"].secondary_label == "Return with comment"
    assert items["Reported one"].action_post == "accept_report"
    html = response.content.decode()
    assert f'action="{reverse("cascade:session_detail", args=[waiting.pk])}"' in html
    assert 'name="action" value="approve"' in html
    assert [item.title for item in section(response, "agency").items] == ["Upcoming one"]
    assert any(line.startswith("On-the-job training") for line in section(response, "agency").lines)
    # the one click approves (the existing endpoint)
    client.post(reverse("cascade:session_detail", args=[waiting.pk]), {"action": "approve"})
    waiting.refresh_from_db()
    assert waiting.state == CascadeSession.State.APPROVED
    # another agency's coordinator sees none of it
    client.force_login(coordinator_b)
    response = client.get("/en/dashboard/")
    assert section(response, "approvals").items == [] and section(response, "agency").items == []
    assert "Nothing is waiting for your approval" in response.content.decode()
    assert upcoming.pk


def test_the_coordinator_dashboard_takes_as_many_queries_for_ten_sessions_as_for_one(
    client, trainer, coordinator_a, programme
):
    def add(number):
        session = schedule(trainer, programme, title=f"S{number}")
        cascade_services.session_submit(actor=trainer, session=session)
        approved(trainer, coordinator_a, programme, title=f"A{number}")

    add(0)
    client.force_login(coordinator_a)
    client.get("/en/dashboard/")
    one = queries(client)
    for number in range(1, 10):
        add(number)
    assert queries(client) == one
    approvals = section(client.get("/en/dashboard/"), "approvals")
    assert len(approvals.items) == 5 and approvals.more == "and 5 more"


def test_the_manager_sees_national_figures(client, manager, trainer, coordinator_a, programme, learner):
    session = approved(trainer, coordinator_a, programme, title="Done")
    cascade_services.participant_add(actor=trainer, session=session, user=learner)
    CascadeSession.objects.filter(pk=session.pk).update(state=CascadeSession.State.DELIVERED)
    SessionDay.objects.filter(session=session).update(date=TODAY)
    pre = Assessment.objects.create(slug="pre", title_en="Pre", purpose="pre", published=True)
    post = Assessment.objects.create(slug="post", title_en="Post", purpose="post", published=True)
    Attempt.objects.create(assessment=pre, user=learner, state="graded", score=4, max_score=10)
    Attempt.objects.create(assessment=post, user=learner, state="graded", score=9, max_score=10)
    client.force_login(manager)
    client.get("/en/dashboard/")
    one = queries(client)
    national = section(client.get("/en/dashboard/"), "national")
    assert national.lines[:4] == [
        "Certified trainers: 1",
        "Sessions delivered this quarter: 1",
        "Participants this quarter: 1",
        "Mean gain (post-test minus pre-test): +50.0 points",
    ]
    assert "No candidate of an open cohort is ready to certify yet." in national.lines
    for number in range(9):
        extra = approved(trainer, coordinator_a, programme, title=f"More {number}")
        CascadeSession.objects.filter(pk=extra.pk).update(state=CascadeSession.State.DELIVERED)
        certify(person(username=f"t{number}", roles=[Role.TRAINER], agency=coordinator_a.profile.agency), programme)
    assert queries(client) == one
