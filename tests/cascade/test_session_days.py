"""The session form's days: as many rows as needed (1 to ``MAX_DAYS``), a row removed, and "Add a day"
without the script (the form comes back as typed, with one more row)."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from lms.cascade import exceptions
from lms.cascade.forms import DAY_INCOMPLETE, MAX_DAYS, TOO_MANY_DAYS
from lms.cascade.models import CascadeSession
from lms.trainers.models import CertificationProgramme
from tests.cascade.conftest import SOON
from tests.cascade.helpers import form_data, schedule_one_day

pytestmark = pytest.mark.django_db

FOUR_DAYS = [(SOON + timedelta(days=offset), "09:00", "13:00") for offset in range(4)]


@pytest.fixture
def programme(curriculum):
    return CertificationProgramme.objects.create(
        code="tot", name_en="Certified trainer", course_key=curriculum["tot"].translation_key, modules=[1, 2, 3, 4]
    )


def days_data(days, *, initial=0, total=None, **extra):
    data = {"days-TOTAL_FORMS": str(total if total is not None else len(days)), "days-INITIAL_FORMS": str(initial),
            "days-MIN_NUM_FORMS": "0", "days-MAX_NUM_FORMS": str(MAX_DAYS)}
    for index, (date, starts, ends) in enumerate(days):
        data.update({f"days-{index}-date": str(date), f"days-{index}-starts": starts, f"days-{index}-ends": ends})
    data.update(extra)
    return data


def post_data(programme, days, **extra):
    data = form_data(programme, days=())
    data.update(days_data(days, **extra))
    return data


def test_a_new_session_starts_with_one_row_and_takes_four_days(client, trainer, programme):
    client.force_login(trainer)
    page = client.get(reverse("cascade:session_create"))
    assert len(page.context["days"].forms) == 1
    html = page.content.decode()
    assert 'id="day-row-template"' in html and "days-__prefix__-date" in html and 'name="add_day"' in html
    response = client.post(reverse("cascade:session_create"), post_data(programme, FOUR_DAYS))
    assert response.status_code == 302
    session = CascadeSession.objects.get()
    assert [(day.date, day.starts) for day in session.days.all()] == [(day, time(9)) for day, _s, _e in FOUR_DAYS]


def test_the_lead_trainer_edits_four_days_and_removes_one(client, trainer, programme):
    session = schedule_one_day(trainer, programme)
    client.force_login(trainer)
    edit = reverse("cascade:session_edit", args=[session.pk])
    response = client.post(edit, post_data(programme, FOUR_DAYS, initial=1))
    assert response.status_code == 302 and session.days.count() == 4
    page = client.get(edit)
    assert len(page.context["days"].forms) == 5  # the four days and an empty row
    # the second day is ticked for removal: three days remain
    response = client.post(edit, post_data(programme, FOUR_DAYS, initial=4, **{"days-1-DELETE": "on"}))
    assert response.status_code == 302
    assert [day.date for day in session.days.all()] == [FOUR_DAYS[index][0] for index in (0, 2, 3)]


def test_removing_every_day_is_refused_with_the_services_message(client, trainer, programme):
    session = schedule_one_day(trainer, programme)
    client.force_login(trainer)
    data = post_data(programme, FOUR_DAYS[:1], initial=1, **{"days-0-DELETE": "on"})
    response = client.post(reverse("cascade:session_edit", args=[session.pk]), data)
    assert response.status_code == 400
    assert list(response.context["form"].non_field_errors()) == [exceptions.NO_DAYS]
    assert session.days.count() == 1


def test_add_a_day_without_the_script_keeps_what_was_typed(client, trainer, programme):
    client.force_login(trainer)
    data = post_data(programme, FOUR_DAYS[:2], title="Typed title", add_day="1")
    data["days-1-ends"] = ""  # a half-typed row stays as typed, without an error yet
    response = client.post(reverse("cascade:session_create"), data)
    assert response.status_code == 200 and not CascadeSession.objects.exists()
    days = response.context["days"]
    assert len(days.forms) == 3 and not days.is_bound
    assert [form["date"].value() for form in days.forms] == [str(FOUR_DAYS[0][0]), str(FOUR_DAYS[1][0]), None]
    assert response.context["form"]["title"].value() == "Typed title"
    assert response.context["form"]["modules"].value() == ["1", "2"]
    html = response.content.decode()
    assert 'value="Typed title"' in html and "field__error" not in html
    # a row ticked for removal goes; at MAX_DAYS rows the button is off
    data = post_data(programme, FOUR_DAYS[:2], add_day="1", **{"days-0-DELETE": "on"})
    assert len(client.post(reverse("cascade:session_create"), data).context["days"].forms) == 2
    many = [(SOON + timedelta(days=offset), "09:00", "13:00") for offset in range(MAX_DAYS + 5)]
    response = client.post(reverse("cascade:session_create"), post_data(programme, many, add_day="1"))
    assert response.status_code == 200 and len(response.context["days"].forms) == MAX_DAYS
    assert 'id="add-day" formnovalidate disabled' in response.content.decode()


def test_errors_stay_on_their_row_in_the_users_language(client, trainer, programme):
    client.force_login(trainer)
    data = post_data(programme, FOUR_DAYS)
    data["days-2-ends"] = ""
    with translation.override("ru"):
        response = client.post(reverse("cascade:session_create"), data)
        message = str(DAY_INCOMPLETE)
    assert response.status_code == 400 and message.startswith("Укажите")
    assert [bool(form.non_field_errors()) for form in response.context["days"].forms] == [False, False, True, False]
    html = response.content.decode()
    assert html.count(message) == 1
    assert html.index('name="days-2-ends"') < html.index(message) < html.index('name="days-3-date"')


def test_more_than_the_maximum_of_days_is_refused(client, trainer, programme):
    client.force_login(trainer)
    many = [(SOON + timedelta(days=offset), "09:00", "13:00") for offset in range(MAX_DAYS + 1)]
    response = client.post(reverse("cascade:session_create"), post_data(programme, many))
    assert response.status_code == 400 and not CascadeSession.objects.exists()
    assert list(response.context["days"].non_form_errors()) == [TOO_MANY_DAYS % {"max": MAX_DAYS}]
    # a forged count of forms is refused, not served
    response = client.post(reverse("cascade:session_create"), post_data(programme, FOUR_DAYS, total=10_000))
    assert response.status_code == 400 and not CascadeSession.objects.exists()
