"""Month and week calendars: sessions on their days, filters, agency scoping, bad dates, a constant query count."""

import re
import uuid
from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lms.cascade import services
from lms.cascade.models import CascadeSession
from lms.cascade.services import Day
from lms.people.models import Region
from lms.people.roles import Role
from lms.trainers.models import CertificationProgramme
from tests.cascade.conftest import certified
from tests.factories import person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# a fixed month well in the future, so that its days are valid for the trainers' certifications
YEAR = TODAY.year + 1
MONDAY = date(YEAR, 3, 2) + timedelta(days=(7 - date(YEAR, 3, 2).weekday()) % 7)  # the first Monday after 1 March
WEDNESDAY = MONDAY + timedelta(days=2)
THURSDAY = MONDAY + timedelta(days=3)

MONTH = "/en/training/calendar/month/"
WEEK = "/en/training/calendar/week/"


@pytest.fixture
def programme(db):
    return CertificationProgramme.objects.create(
        code="tot-cal", name_en="Certified trainer", course_key=uuid.uuid4(), modules=[1, 2, 3, 4]
    )


def _schedule(trainer, programme, *, title, days, region=None, **overrides):
    values = {
        "title": title, "course_key": programme.course_key, "modules": [1], "days": days, "venue": "Ashgabat",
        "capacity": 5, "language": "en",
    }
    values.update(overrides)
    session = services.session_schedule(actor=trainer, **values)
    if region is not None:  # the service takes the region of the unit or the trainer's profile
        CascadeSession.objects.filter(pk=session.pk).update(region=region)
    return session


def _trainer_of(agency, programme, username):
    user = person(username=username, roles=[Role.TRAINER], agency=agency)
    certified(user, programme, number=f"TOT-{username}", valid_until=date(YEAR + 2, 1, 1))
    return user


@pytest.fixture
def trainer_a(agency_a, programme):
    return _trainer_of(agency_a, programme, "a.trainer")


@pytest.fixture
def trainer_b(agency_b, programme):
    return _trainer_of(agency_b, programme, "b.trainer")


def _shown(response) -> set[str]:
    """Titles of the sessions a calendar page shows."""
    assert response.status_code == 200
    return {
        title.strip()
        for title in re.findall(r'<li class="calendar-entry[^"]*" data-session="\d+">.*?<a href="[^"]+">([^<]+)</a>',
                                response.content.decode(), re.S)
    }


def test_a_session_shows_in_its_month_and_week_and_nowhere_else(client, trainer_a, programme):
    _schedule(trainer_a, programme, title="Interviewing victims", days=[Day(WEDNESDAY, time(9), time(13)), Day(THURSDAY, time(9), time(12))])
    client.force_login(trainer_a)
    month = client.get(MONTH, {"year": YEAR, "month": 3})
    assert _shown(month) == {"Interviewing victims"}
    cells = re.findall(rf'data-date="({YEAR}-03-\d\d)"[^>]*>\s*<span class="calendar__date">(?:<span[^>]*>[^<]*</span>|[^<])*</span>\s*<ul', month.content.decode())
    assert cells == [WEDNESDAY.isoformat(), THURSDAY.isoformat()]  # one entry per day, on the right days
    assert _shown(client.get(MONTH, {"year": YEAR, "month": 4})) == set()
    assert _shown(client.get(MONTH, {"year": YEAR, "month": 2})) == set()
    for day in (MONDAY, WEDNESDAY, MONDAY + timedelta(days=6)):
        assert _shown(client.get(WEEK, {"date": day.isoformat()})) == {"Interviewing victims"}
    assert _shown(client.get(WEEK, {"date": (MONDAY + timedelta(days=7)).isoformat()})) == set()
    assert _shown(client.get(WEEK, {"date": (MONDAY - timedelta(days=1)).isoformat()})) == set()
    # previous and next keep the filters and move by one month or week
    week = client.get(WEEK, {"date": WEDNESDAY.isoformat(), "cancelled": "1"})
    assert week.context["next_url"] == f"?date={(MONDAY + timedelta(days=7)).isoformat()}&cancelled=1"
    assert month.context["previous_url"] == f"?year={YEAR}&month=2"


def test_cancelled_sessions_show_only_when_asked(client, trainer_a, programme):
    session = _schedule(trainer_a, programme, title="Called off", days=[Day(WEDNESDAY, time(9), time(10))])
    services.session_cancel(actor=trainer_a, session=session, reason="The venue is closed.")
    client.force_login(trainer_a)
    assert _shown(client.get(MONTH, {"year": YEAR, "month": 3})) == set()
    page = client.get(MONTH, {"year": YEAR, "month": 3, "cancelled": "1"})
    assert _shown(page) == {"Called off"}
    assert "calendar-entry--cancelled" in page.content.decode()


def test_filters_by_region_and_trainer(client, agency_a, trainer_a, programme, coordinator_a):
    north, south = Region.objects.create(code="TM-D", name_en="Dashoguz"), Region.objects.create(code="TM-M", name_en="Mary")
    other = _trainer_of(agency_a, programme, "a.other")
    _schedule(trainer_a, programme, title="North session", days=[Day(WEDNESDAY, time(9), time(10))], region=north)
    _schedule(other, programme, title="South session", days=[Day(WEDNESDAY, time(11), time(12))], region=south,
              co_trainers=[trainer_a])
    client.force_login(coordinator_a)
    params = {"year": YEAR, "month": 3}
    assert _shown(client.get(MONTH, params)) == {"North session", "South session"}
    assert _shown(client.get(MONTH, {**params, "region": north.pk})) == {"North session"}
    assert _shown(client.get(MONTH, {**params, "trainer": other.pk})) == {"South session"}
    # a co-trainer is a trainer of the session too
    assert _shown(client.get(MONTH, {**params, "trainer": trainer_a.pk})) == {"North session", "South session"}
    page = client.get(WEEK, {"date": WEDNESDAY.isoformat(), "region": south.pk})
    assert _shown(page) == {"South session"}
    assert page.context["region"] == south
    assert {user.pk for user in page.context["trainers"]} == {trainer_a.pk, other.pk}


def test_another_agencys_sessions_never_show(client, agency_a, agency_b, trainer_a, trainer_b, programme, coordinator_a):
    _schedule(trainer_a, programme, title="Session of A", days=[Day(WEDNESDAY, time(9), time(10))])
    _schedule(trainer_b, programme, title="Session of B", days=[Day(WEDNESDAY, time(9), time(10))])
    b_region = Region.objects.create(code="TM-L", name_en="Lebap")
    CascadeSession.objects.filter(title="Session of B").update(region=b_region)
    assert reverse("cascade:calendar_month") == MONTH and reverse("cascade:calendar_week") == WEEK
    for user in (coordinator_a, trainer_a):
        client.force_login(user)
        for params in ({}, {"agency": agency_b.pk}, {"trainer": trainer_b.pk}, {"region": b_region.pk}):
            month = client.get(MONTH, {"year": YEAR, "month": 3, **params})
            week = client.get(WEEK, {"date": WEDNESDAY.isoformat(), **params})
            assert "Session of B" not in _shown(month) | _shown(week)
            assert _shown(month) == {"Session of A"}  # a filter outside the user's sessions is ignored
        # and the filter choices name nothing of agency B
        assert agency_b not in month.context["agencies"]
        assert trainer_b not in month.context["trainers"] and b_region not in month.context["regions"]
    client.force_login(trainer_b)
    assert _shown(client.get(MONTH, {"year": YEAR, "month": 3})) == {"Session of B"}


def test_a_participant_sees_their_session_and_a_stranger_none(client, agency_a, trainer_a, programme):
    session = _schedule(trainer_a, programme, title="On my roster", days=[Day(WEDNESDAY, time(9), time(10))])
    participant = person(username="learner", agency=agency_a)
    services.participant_add(actor=trainer_a, session=session, user=participant)
    client.force_login(participant)
    assert _shown(client.get(MONTH, {"year": YEAR, "month": 3})) == {"On my roster"}
    client.force_login(person(username="stranger", agency=agency_a))
    assert _shown(client.get(MONTH, {"year": YEAR, "month": 3})) == set()
    client.logout()
    assert client.get(MONTH).status_code == 302


@pytest.mark.parametrize(
    "url,params",
    [
        (MONTH, {"year": "2026", "month": "13"}),
        (MONTH, {"year": "abc", "month": "3"}),
        (MONTH, {"year": "99999999999999999999", "month": "1"}),
        (MONTH, {"year": "0", "month": "0"}),
        (MONTH, {"month": "5"}),
        (MONTH, {"year": "²⁰²⁶", "month": "３"}),
        (WEEK, {"date": "garbage"}),
        (WEEK, {"date": "2026-02-30"}),
        (WEEK, {"date": "0001-01-01"}),
        (WEEK, {"date": "9999-12-31"}),
    ],
)
def test_bad_dates_fall_back_to_today(client, trainer_a, url, params):
    client.force_login(trainer_a)
    response = client.get(url, {**params, "agency": "x", "region": "-1", "trainer": "9" * 30})
    assert response.status_code == 200
    assert 'id="bad-date"' in response.content.decode()
    assert 'aria-current="date"' in response.content.decode()  # today is on the page, highlighted
    assert f'data-date="{TODAY.isoformat()}"' in response.content.decode()


def test_this_month_and_week_by_default_with_today_highlighted(client, trainer_a):
    client.force_login(trainer_a)
    for url in (MONTH, WEEK):
        page = client.get(url).content.decode()
        assert 'id="bad-date"' not in page
        assert re.search(rf'class="[^"]*calendar__today[^"]*" data-date="{TODAY.isoformat()}"', page)
    month = client.get(MONTH)
    headers = re.findall(r'<th scope="col"><abbr title="([^"]+)">', month.content.decode())
    assert headers[0] == "Monday" and headers[-1] == "Sunday"
    assert month.context["caption"] == f"{TODAY:%B} {TODAY.year}"


def test_names_of_months_and_weekdays_are_translated(client, trainer_a):
    client.force_login(trainer_a)
    page = client.get(MONTH.replace("/en/", "/ru/"), {"year": YEAR, "month": 3}).content.decode()
    assert f"Март {YEAR}" in page and 'title="Понедельник"' in page
    page = client.get(MONTH.replace("/en/", "/tk/"), {"year": YEAR, "month": 3}).content.decode()
    assert f"Mart {YEAR}" in page


def test_the_session_list_links_the_calendar(client, trainer_a):
    client.force_login(trainer_a)
    assert MONTH in client.get(reverse("cascade:session_list")).content.decode()


@pytest.mark.parametrize("url", [MONTH, WEEK])
def test_a_constant_number_of_queries(client, agency_a, trainer_a, programme, coordinator_a, django_assert_num_queries, url):
    params = {"year": YEAR, "month": 3} if url == MONTH else {"date": MONDAY.isoformat()}
    regions = [Region.objects.create(code=f"TM-{number}", name_en=f"Region {number}") for number in range(10)]

    def add(count, offset):
        for number in range(offset, offset + count):
            trainer = _trainer_of(agency_a, programme, f"t{number}")
            _schedule(trainer, programme, title=f"Session {number}", region=regions[number],
                      days=[Day(MONDAY + timedelta(days=number % 7), time(8 + number), time(9 + number))],
                      co_trainers=[trainer_a])

    client.force_login(coordinator_a)
    add(2, 0)
    client.get(url, params)  # warm the session and the content types
    with CaptureQueriesContext(connection) as two:
        assert len(_shown(client.get(url, params))) == 2
    few = len(two.captured_queries)
    add(8, 2)
    client.get(url, params)  # new trainers' roles reset the cached permission sets: warm them again
    with django_assert_num_queries(few):
        assert len(_shown(client.get(url, params))) == 10


def test_on_a_phone_the_month_lists_its_days_with_sessions_by_weekday_and_date(client, trainer_a, programme):
    """calendar.css hides the days marked empty under 600 px and shows each day's weekday and month."""
    _schedule(trainer_a, programme, title="Interviewing victims", days=[Day(WEDNESDAY, time(9), time(13))])
    client.force_login(trainer_a)
    page = client.get(MONTH, {"year": YEAR, "month": 3}).content.decode()
    cells = dict(re.findall(r'<td class="([^"]*)" data-date="(\d{4}-\d\d-\d\d)"', page)[i][::-1] for i in range(35))
    assert "calendar__empty" not in cells[WEDNESDAY.isoformat()]
    assert "calendar__empty" in cells[THURSDAY.isoformat()]
    assert f'<span class="calendar__weekday">{WEDNESDAY:%A}, </span>{WEDNESDAY.day}<span class="calendar__month"> {WEDNESDAY:%B}</span>' in page
