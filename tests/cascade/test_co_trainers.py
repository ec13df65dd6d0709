"""Co-trainers come from the session's agency: scheduling (service and web form) refuses anyone else, the
picker offers only the agency's certified trainers, and a co-trainer of another agency left on an older
row gets no rights over the host agency's people."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from assessments.models import Assessment, PaperForm
from lms.cascade import calendar, exceptions, selectors, services
from lms.cascade.models import CascadeSession, SessionEvent, SessionParticipant, TrainerSlot
from lms.cascade.services import Day
from lms.grading import selectors as grading_selectors
from lms.people.roles import Role
from lms.trainers.models import CertificationProgramme
from tests.cascade.conftest import SOON, TODAY, certified
from tests.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(curriculum):
    return CertificationProgramme.objects.create(
        code="tot", name_en="Certified trainer", course_key=curriculum["tot"].translation_key, modules=[1, 2, 3, 4]
    )


@pytest.fixture
def foreign(agency_b, programme):
    """A certified trainer of another agency."""
    user = person(username="batyr", roles=[Role.TRAINER], agency=agency_b, first_name="Batyr", last_name="Orazow")
    certified(user, programme)
    return user


def schedule(trainer, programme, **overrides):
    values = {
        "title": "Victim-sensitive interviewing", "course_key": programme.course_key, "modules": [1],
        "days": [Day(SOON, time(9), time(13))], "venue": "Daşoguz", "capacity": 5, "language": "tk",
    }
    values.update(overrides)
    return services.session_schedule(actor=trainer, **values)


def form_data(programme, **overrides):
    data = {
        "title": "Identifying victims", "course": str(programme.course_key), "modules": ["1"],
        "venue": "Balkan training centre", "unit": "", "language": "tk", "capacity": "12", "test_mode": "online",
        "pre_test": "", "post_test": "", "days-TOTAL_FORMS": "1", "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0", "days-MAX_NUM_FORMS": "1000",
        "days-0-date": str(SOON), "days-0-starts": "09:00", "days-0-ends": "13:00",
    }
    data.update(overrides)
    return data


# --- scheduling --------------------------------------------------------------------------------------------


def test_the_service_refuses_a_co_trainer_of_another_agency_and_creates_nothing(trainer, co_trainer, foreign,
                                                                                programme):
    with pytest.raises(exceptions.SessionRefused) as refused:
        schedule(trainer, programme, co_trainers=[co_trainer, foreign])
    assert refused.value.message == exceptions.CO_TRAINER_OTHER_AGENCY % {"name": "Batyr Orazow"}
    # someone without an agency is not of the session's agency either
    stateless = person(username="stateless", roles=[Role.TRAINER], agency=None)
    certified(stateless, programme)
    with pytest.raises(exceptions.SessionRefused, match="not in the session's agency"):
        schedule(trainer, programme, co_trainers=[stateless])
    assert not CascadeSession.objects.exists() and not TrainerSlot.objects.exists()


def test_a_change_of_the_draft_refuses_a_co_trainer_of_another_agency_too(trainer, co_trainer, foreign, programme):
    draft = schedule(trainer, programme, co_trainers=[co_trainer])
    slots = TrainerSlot.objects.filter(session=draft).count()
    with pytest.raises(exceptions.SessionRefused, match="not in the session's agency"):
        schedule(trainer, programme, session=draft, title="Changed", co_trainers=[foreign])
    draft.refresh_from_db()
    assert draft.title == "Victim-sensitive interviewing" and list(draft.co_trainers.all()) == [co_trainer]
    assert TrainerSlot.objects.filter(session=draft).count() == slots
    assert not TrainerSlot.objects.filter(trainer=foreign).exists()
    assert list(SessionEvent.objects.filter(session=draft).values_list("action", flat=True)) == ["scheduled"]


def test_the_picker_offers_only_certified_trainers_of_the_agency(client, trainer, co_trainer, foreign, agency_a,
                                                                 programme):
    person(username="uncertified", roles=[Role.TRAINER], agency=agency_a)
    expired = person(username="expired", roles=[Role.TRAINER], agency=agency_a)
    certified(expired, programme, valid_until=TODAY - timedelta(days=1))
    gone = person(username="gone", roles=[Role.TRAINER], agency=agency_a, is_active=False)
    certified(gone, programme)
    client.force_login(trainer)
    form = client.get(reverse("cascade:session_create")).context["form"]
    assert list(form.fields["co_trainers"].queryset) == [co_trainer]
    assert [str(value) for value, _label in form.fields["co_trainers"].choices] == [str(co_trainer.pk)]
    assert list(selectors.co_trainer_list(agency=agency_a)) == sorted(
        [trainer, co_trainer], key=lambda user: (user.last_name, user.first_name, user.username)
    )


def test_the_web_form_refuses_a_co_trainer_of_another_agency_in_the_users_language(client, trainer, foreign,
                                                                                  programme):
    client.force_login(trainer)
    with translation.override("tk"):
        response = client.post(reverse("cascade:session_create"), form_data(programme, co_trainers=[str(foreign.pk)]))
        message = str(exceptions.CO_TRAINER_NOT_OFFERED)
        assert response.context["form"].errors["co_trainers"] == [message]
    assert message != "Choose the co-trainers among the certified trainers of the session's agency."
    assert response.status_code == 400
    assert message in response.content.decode()  # shown next to the (empty) picker
    assert not CascadeSession.objects.exists() and not TrainerSlot.objects.exists()


# --- a co-trainer of another agency on an older row --------------------------------------------------------


@pytest.fixture
def hosted(trainer, co_trainer, foreign, agency_a, programme):
    """A paper-mode session of agency A with one participant, whose co-trainers include ``foreign`` (set with the
    ORM, as a row from before the rule), and a paper form of its pre-test."""
    session = schedule(trainer, programme, co_trainers=[co_trainer], test_mode=CascadeSession.TestMode.PAPER)
    session.co_trainers.add(foreign)
    services.session_submit(actor=trainer, session=session)
    learner = person(username="learner.a", agency=agency_a)
    services.participant_add(actor=trainer, session=session, user=learner)
    pre = Assessment.objects.create(slug="co-pre", title_en="Pre-test", purpose="pre")
    session.paper_forms.add(
        PaperForm.objects.create(assessment=pre, code="CO-PRE-1", language="tk", seed="s", created_by=trainer)
    )
    return session


def test_a_foreign_co_trainer_gets_no_rights_over_the_host_agencys_people(client, hosted, foreign, co_trainer,
                                                                          agency_a):
    candidate = person(username="candidate.a", agency=agency_a)
    learner = hosted.participants.get().user
    # what the selectors and services grant
    assert not selectors.session_list(user=foreign).exists()
    assert not services.may_run(user=foreign, session=hosted)
    assert not grading_selectors.gradable_learners(user=foreign).filter(pk__in=[learner.pk, candidate.pk]).exists()
    assert not calendar.feed_sessions(calendar.feed_get(trainer=foreign)).exists()
    with pytest.raises(exceptions.NotPermitted):
        services.participant_add(actor=foreign, session=hosted, user=candidate)
    # the pages: the session, its roster (and its candidates), kit and tests are not there for them
    client.force_login(foreign)
    for name in ("session_detail", "session_roster", "session_kit", "session_tests"):
        assert client.get(reverse(f"cascade:{name}", args=[hosted.pk])).status_code == 404, name
    added = client.post(reverse("cascade:session_roster", args=[hosted.pk]), {"action": "add", "user": candidate.pk})
    assert added.status_code == 404
    assert "CO-PRE-1" not in {form.code for form in client.get(reverse("grading:paper_forms")).context["forms"]}
    assert client.get(reverse("grading:paper_enter", args=["CO-PRE-1"])).status_code == 404
    assert list(hosted.participants.values_list("user__username", flat=True)) == ["learner.a"]

    # the co-trainer of the session's agency keeps theirs
    assert services.may_run(user=co_trainer, session=hosted)
    assert grading_selectors.gradable_learners(user=co_trainer).filter(pk=learner.pk).exists()
    client.force_login(co_trainer)
    roster = client.get(reverse("cascade:session_roster", args=[hosted.pk]))
    assert roster.status_code == 200
    assert candidate.pk in {profile.user_id for profile in roster.context["candidates"]}
    assert "CO-PRE-1" in {form.code for form in client.get(reverse("grading:paper_forms")).context["forms"]}


def test_roster_candidates_are_people_of_the_sessions_agency_whoever_asks(hosted, foreign, agency_a, agency_b):
    person(username="candidate.a", agency=agency_a)
    person(username="candidate.b", agency=agency_b)
    candidates = selectors.roster_candidate_list(session=hosted)
    assert {profile.agency_id for profile in candidates} == {agency_a.pk}
    assert "candidate.b" not in {profile.user.username for profile in candidates}
    # the roster service refuses a person of another agency, even to those who run the session
    with pytest.raises(exceptions.SessionRefused, match="not in the session's agency"):
        services.participant_add(actor=hosted.lead_trainer, session=hosted,
                                 user=person(username="outsider", agency=agency_b))
    assert not SessionParticipant.objects.filter(user__username="outsider").exists()
