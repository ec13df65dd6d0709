"""The session's tests page: who took the pre- and post-test (online or on paper) within the session's
windows, the knowledge gain, who sees what, a constant query count, and paper forms made for the session."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Assessment, AssessmentItem, Attempt, PaperForm, Question
from lms.cascade import exceptions, services
from lms.cascade.models import SessionParticipant
from lms.people.roles import Role
from lms.trainers.models import CertificationProgramme
from tests.assessments.bank import bank_load
from tests.cascade.conftest import TODAY
from tests.factories import CascadeSessionFactory, person

pytestmark = pytest.mark.django_db

KEYS = ["m1-single", "m1-multiple", "m1-truefalse", "m1-short", "m2-matching", "m2-ordering"]


@pytest.fixture
def programme(curriculum):
    return CertificationProgramme.objects.create(
        code="tot-tests", name_en="Certified trainer", course_key=curriculum["tot"].translation_key, modules=[1, 2]
    )


@pytest.fixture
def tests_pair():
    return (
        Assessment.objects.create(slug="s-pre", title_en="Session pre-test", purpose="pre"),
        Assessment.objects.create(slug="s-post", title_en="Session post-test", purpose="post"),
    )


def make_session(trainer, *, pre=None, post=None, mode="online", co_trainers=(), state="approved", first=None):
    """A two-day session of agency A that started yesterday (set up directly: scheduling is tested elsewhere)."""
    first = first or TODAY - timedelta(days=1)
    return CascadeSessionFactory(
        title="Identifying victims", course_key=CertificationProgramme.objects.get().course_key, lead_trainer=trainer,
        venue="Mary", capacity=30, test_mode=mode, pre_test=pre, post_test=post, state=state,
        first=first, length=2, co_trainers=co_trainers,
    )


def enrol(session, *usernames, status="enrolled"):
    users = [person(username=name, agency=session.agency, first_name=name.title(), last_name="") for name in usernames]
    for user in users:
        SessionParticipant.objects.create(session=session, user=user, status=status)
    return users


def finished(test, user, score, when, *, source="online", state="submitted"):
    return Attempt.objects.create(
        assessment=test, user=user, number=Attempt.objects.filter(assessment=test, user=user).count() + 1,
        state=state, source=source, language="ru", score=Decimal(score), max_score=Decimal(10),
        started_at=when, submitted_at=when,
    )


def url(session):
    return reverse("cascade:session_tests", args=[session.pk])


def cells(page):
    return {
        row["place"].user.username: [
            None if cell is None else (cell["finished"], cell["score"], cell["source"]) for cell in row["cells"]
        ]
        for row in page.context["rows"]
    }


# --- who took what, and the gain -----------------------------------------------------------------------


def test_the_trainer_sees_who_took_which_test_and_the_knowledge_gain(client, trainer, tests_pair):
    pre, post = tests_pair
    session = make_session(trainer, pre=pre, post=post)
    amy, bob, cem = enrol(session, "amy", "bob", "cem")
    enrol(session, "dan", status="waitlisted")
    start = session.starts_at
    finished(pre, amy, 4, start - timedelta(days=2))
    finished(post, amy, 8, start + timedelta(hours=30), source="paper")
    finished(pre, bob, 6, start - timedelta(days=40))  # long before the session: not its pre-test
    finished(pre, bob, 5, start + timedelta(hours=1))
    finished(post, bob, 3, start + timedelta(hours=20), state="grading")  # an open response waits for grading
    client.force_login(trainer)
    page = client.get(url(session))
    assert page.status_code == 200
    assert cells(page) == {
        "amy": [(True, Decimal("4.00"), "online"), (True, Decimal("8.00"), "paper")],
        "bob": [(True, Decimal("5.00"), "online"), (False, Decimal("3.00"), "online")],
        "cem": [None, None],
    }
    results = page.context["results"]
    assert (results.pre_taken, results.post_taken, results.n) == (2, 1, 1)
    assert (results.mean_pre, results.mean_post) == (40.0, 80.0)
    assert results.mean_normalised_gain == pytest.approx(40 / 60)
    text = page.content.decode()
    assert 'id="gain-n">1<' in text and 'id="gain-g">0.67<' in text
    row = text.split('data-user="amy"')[1].split("</tr>")[0]
    assert "4 / 10" in row and "(40%)" in row and "Online" in row and "Paper" in row
    assert "Awaiting grading" in text.split('data-user="bob"')[1].split("</tr>")[0]
    assert "Not taken" in text.split('data-user="cem"')[1].split("</tr>")[0]
    assert 'data-user="dan"' not in text  # the waiting list takes no tests here
    # the session page links here
    assert url(session) in client.get(reverse("cascade:session_detail", args=[session.pk])).content.decode()


def test_without_pairs_there_is_no_gain_yet(client, trainer, tests_pair):
    pre, post = tests_pair
    session = make_session(trainer, pre=pre, post=post)
    (amy,) = enrol(session, "amy")
    finished(pre, amy, 4, session.starts_at)
    client.force_login(trainer)
    page = client.get(url(session))
    assert page.context["results"].n == 0
    assert "No participant has taken both tests yet." in page.content.decode()


def test_a_participant_sees_their_own_row_and_makes_no_forms(client, trainer, tests_pair):
    pre, post = tests_pair
    session = make_session(trainer, pre=pre, post=post, mode="paper")
    amy, bob = enrol(session, "amy", "bob")
    finished(pre, amy, 4, session.starts_at)
    client.force_login(bob)
    page = client.get(url(session))
    assert page.status_code == 200
    assert list(cells(page)) == ["bob"]
    assert page.context["results"].pre_taken == 1  # the session's figures, not amy's row
    assert page.context["forms"] == [] and not page.context["may_make_forms"]
    assert client.post(url(session), {"phase": "pre"}).status_code == 403
    assert not PaperForm.objects.exists()


def test_the_agency_coordinator_sees_every_row(client, trainer, coordinator_a, tests_pair):
    session = make_session(trainer, pre=tests_pair[0], post=tests_pair[1])
    enrol(session, "amy", "bob")
    client.force_login(coordinator_a)
    assert sorted(cells(client.get(url(session)))) == ["amy", "bob"]


def test_people_who_cannot_see_the_session_get_404(client, trainer, agency_a, agency_b, tests_pair):
    session = make_session(trainer, pre=tests_pair[0], post=tests_pair[1])
    for outsider in (
        person(username="trainer.b", roles=[Role.TRAINER], agency=agency_b),
        person(username="colleague", roles=[Role.TRAINER], agency=agency_a),
    ):
        client.force_login(outsider)
        assert client.get(url(session)).status_code == 404
        assert client.post(url(session), {"phase": "pre"}).status_code == 404


@pytest.mark.parametrize("size", [2, 10])
def test_the_query_count_does_not_grow_with_participants(size, client, trainer, tests_pair, django_assert_num_queries):
    pre, post = tests_pair
    session = make_session(trainer, pre=pre, post=post, mode="paper")
    learners = enrol(session, *[f"learner{number}" for number in range(size)])
    for learner in learners:
        finished(pre, learner, 5, session.starts_at)
        finished(post, learner, 7, session.ends_at)
    form = PaperForm.objects.create(assessment=pre, code=f"PRE-{size}", language="ru", seed="s", keys=[])
    session.paper_forms.add(form)
    client.force_login(trainer)
    client.get(url(session))  # warm: the signed-in user and their roles come from the cache after one request
    with django_assert_num_queries(8):
        page = client.get(url(session))
    assert len(page.context["rows"]) == size and page.context["results"].n == size


# --- paper forms of the session ------------------------------------------------------------------------


@pytest.fixture
def paper_tests(site_home):
    bank_load()
    made = []
    for slug, purpose in (("paper-pre", "pre"), ("paper-post", "post")):
        test = Assessment.objects.create(slug=slug, title_en=slug, purpose=purpose, published=True, shuffle_items=False)
        for position, key in enumerate(KEYS, start=1):
            question = Question.objects.get(key=key, locale__language_code="en")
            AssessmentItem.objects.create(assessment=test, question_key=question.translation_key, position=position)
        made.append(test)
    return made


def test_the_trainer_makes_a_paper_form_that_the_co_trainer_prints_and_enters(client, trainer, co_trainer, paper_tests):
    pre, post = paper_tests
    session = make_session(trainer, pre=pre, post=post, mode="paper", co_trainers=[co_trainer])
    (amy,) = enrol(session, "amy")
    client.force_login(trainer)
    response = client.post(url(session), {"phase": "pre"})
    assert response.status_code == 302
    form = session.paper_forms.get()
    assert (form.assessment, form.language, form.created_by) == (pre, "ru", trainer)
    page = client.get(url(session))
    listed = page.content.decode().split('id="session-paper-forms"')[1]
    assert form.code in listed
    assert reverse("grading:paper_form_pdf", args=[form.code]) in listed
    assert reverse("grading:paper_enter", args=[form.code]) in listed

    # the co-trainer did not make it, yet runs the session: they print it and enter amy's sheet
    client.force_login(co_trainer)
    pdf = client.get(reverse("grading:paper_form_pdf", args=[form.code]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    enter = reverse("grading:paper_enter", args=[form.code])
    assert [learner.username for learner in client.get(enter).context["learners"]] == ["amy"]
    cells_of_amy = {f"cell-1-{position}": value for position, value in enumerate(["B", "AC", "F", "", "AB", "ABC"], 1)}
    assert client.post(enter, {"rows": "10", "username-1": "amy", **cells_of_amy}).status_code == 302
    attempt = Attempt.objects.get(user=amy)
    # typed in today, counted as written when the session began: inside the pre-test window
    assert (attempt.source, attempt.submitted_at) == ("paper", session.starts_at)
    assert cells(client.get(url(session)))["amy"] == [(True, Decimal("6.00"), "paper"), None]


def test_paper_forms_are_refused_with_a_reason(client, trainer, paper_tests):
    pre, _post = paper_tests
    online = make_session(trainer, pre=pre, post=None)
    client.force_login(trainer)
    response = client.post(url(online), {"phase": "pre"})
    assert response.status_code == 400
    assert response.context["error"] == exceptions.NOT_PAPER_MODE
    paper = make_session(trainer, pre=pre, post=None, mode="paper", first=TODAY + timedelta(days=20))
    response = client.post(url(paper), {"phase": "post"})
    assert (response.status_code, response.context["error"]) == (400, exceptions.NO_POST_TEST)
    cancelled = make_session(trainer, pre=pre, mode="paper", state="cancelled", first=TODAY + timedelta(days=40))
    with pytest.raises(exceptions.SessionRefused) as refused:
        services.session_paper_form_create(actor=trainer, session=cancelled, phase="pre")
    assert refused.value.message == exceptions.FORMS_CLOSED
    learner = enrol(paper, "amy")[0]
    with pytest.raises(exceptions.NotPermitted):
        services.session_paper_form_create(actor=learner, session=paper, phase="pre")
    assert not PaperForm.objects.exists()
