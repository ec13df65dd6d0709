"""`manage.py seed_demo` builds the demo and is safe to run twice."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.management import call_command
from wagtail.models import Locale, Page, Revision, Site

from courses.models import HomePage, LessonPage, ModuleLessonLink, ModulePage
from lms.cascade.models import Attendance, CascadeSession, SessionEvent, SessionParticipant, SessionReport
from lms.ojt.models import OJTRecord, TrainingPlan
from lms.people.models import Agency, Profile, Region, TrainingUnit
from lms.people.roles import Role

pytestmark = pytest.mark.django_db

COUNTED = [
    User, Profile, Agency, Region, TrainingUnit, Group, Locale, Page, Revision, Site,
    CascadeSession, SessionParticipant, Attendance, SessionEvent, OJTRecord, TrainingPlan,
]


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_seed_twice_gives_the_same_counts(django_capture_on_commit_callbacks):
    """The whole demo, curriculum included, twice (the slowest test: about a minute)."""
    output = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0, stdout=output)
    first = counts()
    # the demo's events (submissions, approvals, reports) send no mail, and the output says so in one line
    assert mail.outbox == []
    assert "notices that the demo's events would have e-mailed were not sent" in output.getvalue()
    assert "Subject:" not in output.getvalue()
    # session titles are in the session's language; a database seeded with the English titles is renamed
    import json

    from lms.cascade.seed import DATA_FILE

    rows = json.loads(DATA_FILE.read_text(encoding="utf-8"))["sessions"]
    titles = dict(CascadeSession.objects.values_list("title", "language"))
    assert all(titles.get(row["title"]) == row["language"] for row in rows)
    assert not any(row["title_en"] in titles for row in rows)
    # ... and so are their venues
    venues = dict(CascadeSession.objects.values_list("title", "venue"))
    assert all(venues[row["title"]] == row["venue"] for row in rows)
    # a database seeded with English titles and venues, or a title in another language, is put right
    older, renamed = rows[0], next(row for row in rows if row.get("former_titles"))
    CascadeSession.objects.filter(title=older["title"]).update(title=older["title_en"], venue=older["venue_en"])
    SessionReport.objects.filter(session__title=older["title_en"]).update(**older["report_en"])
    CascadeSession.objects.filter(title=renamed["title"]).update(title=renamed["former_titles"][0])
    # the ToT cohorts in their language, the OJT records in the GPO coordinator's (Turkmen); an older
    # database's English cohort title and OJT topic are replaced on the next run
    from lms.ojt.seed import DATA_FILE as OJT_FILE
    from lms.trainers.models import ToTCohort
    from tests.cascade.test_seed_data import written_in

    cohorts = list(ToTCohort.objects.all())
    assert cohorts and all(written_in(c.title) == written_in(c.venue) == c.language for c in cohorts)
    ojt = json.loads(OJT_FILE.read_text(encoding="utf-8"))["records"][0]
    assert OJTRecord.objects.exists() and not OJTRecord.objects.filter(topic=ojt["topic_en"]).exists()
    assert all(written_in(topic) == "tk" for topic in OJTRecord.objects.values_list("topic", flat=True))
    ToTCohort.objects.filter(pk=cohorts[0].pk).update(title="ToT for prosecutors and police", venue="Training hall")
    OJTRecord.objects.filter(topic=ojt["topic"], staff__username=ojt["staff"]).update(topic=ojt["topic_en"])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)
    assert counts() == first
    assert ToTCohort.objects.get(pk=cohorts[0].pk).title == cohorts[0].title
    assert not OJTRecord.objects.filter(topic__in=["ToT for prosecutors and police", ojt["topic_en"]]).exists()
    assert CascadeSession.objects.get(title=older["title"]).venue == older["venue"]
    assert SessionReport.objects.get(session__title=older["title"]).methods == older["report"]["methods"]
    assert CascadeSession.objects.filter(title=renamed["title"]).count() == 1
    assert not CascadeSession.objects.filter(title__in=[older["title_en"], renamed["former_titles"][0]]).exists()
    assert first["Agency"] == 12
    assert first["Region"] == 6
    assert first["Locale"] == 3
    # the curriculum: 8 modules with their lessons in three languages, and the refresher course
    assert ModulePage.objects.filter(locale__language_code="en", depth=5).count() >= 12
    for language in ("ru", "tk"):
        assert LessonPage.objects.filter(locale__language_code=language, live=True).count() == (
            LessonPage.objects.filter(locale__language_code="en").count()
        )
    assert ModuleLessonLink.objects.count() >= 8
    # a season of cascade sessions in every state, and what the demo trainers delivered reaches the trainers app
    states = set(CascadeSession.objects.values_list("state", flat=True))
    assert states == {"draft", "submitted", "approved", "delivered", "reported", "cancelled"}
    from lms.trainers import delivery

    found = delivery.deliveries(user_ids=[User.objects.get(username="trainer").pk])
    only = next(iter(found.values()))
    assert only.sessions_led == 1 and only.participants >= 5 and only.mean_gain is not None
    seeded_checks_ask_their_module_questions()


def seeded_checks_ask_their_module_questions():
    """Every module's knowledge check asks 3-5 of its module's questions, in en, ru and tk, on the page."""
    from django.test import Client

    from assessments.knowledge_checks import knowledge_check_find, knowledge_check_items

    client = Client()
    client.force_login(User.objects.get(username="trainee"))
    modules = set()
    for language in ("en", "ru", "tk"):
        lessons = LessonPage.objects.filter(locale__language_code=language, live=True)
        # (the small test curriculum of tests/conftest.py is there too, with checks that ask nothing)
        checked = [
            lesson for lesson in lessons
            if any(item["type"] == "knowledge_check" and item["value"].get("questions") for item in lesson.body.raw_data)
        ]
        assert len(checked) >= 8
        for lesson in checked:
            block_id = next(
                item["id"] for item in lesson.body.raw_data if item["type"] == "knowledge_check" and item["value"].get("questions")
            )
            check, _raw = knowledge_check_find(lesson=lesson, block_id=block_id)
            items = knowledge_check_items(check=check, block_id=block_id, language=language)
            module = lesson.get_parent().specific.number
            modules.add(module)
            assert 3 <= len(items) <= 5, (lesson.url, len(items))
            assert {item.question.module for item in items} == {module}
            assert {item.question.locale.language_code for item in items} == {language}
        html = client.get(checked[0].url).content.decode()
        assert "will appear here" not in html
        assert html.count('class="card test-item') >= 3
    assert modules == set(range(1, 9))


def seed(*args):
    call_command("seed_demo", "--without-curriculum", *args, verbosity=0)


def test_seed_creates_the_site_home_pages_and_no_welcome_page():
    seed()
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    assert home.locale.language_code == "en"
    languages = {page.locale.language_code for page in home.get_translations(inclusive=True).live()}
    assert languages == {"en", "ru", "tk"}
    assert not Page.objects.filter(title__startswith="Welcome to your new Wagtail site").exists()


@pytest.mark.parametrize(
    ("username", "role", "agency"),
    [
        ("manager", Role.MANAGER, None),
        ("editor", Role.EDITOR, None),
        ("coordinator", Role.COORDINATOR, "GPO"),
        ("trainer", Role.TRAINER, "GPO"),
        ("trainee", Role.TRAINEE, "GPO"),
        ("coordinator.mia", Role.COORDINATOR, "MIA"),
        ("trainer.mia", Role.TRAINER, "MIA"),
        ("trainee.mia", Role.TRAINEE, "MIA"),
    ],
)
def test_demo_accounts_have_their_role_agency_and_password(username, role, agency, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-pass")
    seed()
    user = User.objects.get(username=username)
    assert list(user.groups.values_list("name", flat=True)) == [role]
    assert (user.profile.agency.code if user.profile.agency else None) == agency
    assert user.check_password("another-demo-pass")
    assert not user.is_superuser


def test_admin_is_a_superuser_and_staff_have_no_password():
    seed()
    assert User.objects.get(username="admin").is_superuser
    staff = User.objects.get(username="gpo.amanowa")
    assert not staff.has_usable_password()
    assert staff.profile.unit.agency.code == "GPO"


def test_seed_prints_the_demo_accounts(capsys):
    call_command("seed_demo", "--without-curriculum")
    output = capsys.readouterr().out
    for username in ("admin", "manager", "editor", "coordinator", "trainer", "trainee", "trainee.mia"):
        assert f"  {username} " in output
    assert "tot-demo-2026" in output
