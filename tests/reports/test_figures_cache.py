"""The precomputed knowledge-gain figures: kept per scope and filters, stale after a change of the results
(the page says when they were computed and a recompute is queued), rebuilt by a command."""

import io

import openpyxl
import pandas as pd
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation

from assessments import results_generation
from lms.people.roles import Role
from lms.reports import figures_cache, gain, selectors
from lms.reports.selectors import Filters
from tests.factories import person
from tests.reports.helpers import take

pytestmark = pytest.mark.django_db

URL = reverse("reports:knowledge_gain")


def key(scope="all", output="page", **filters):
    return figures_cache.entry_key(report="knowledge_gain", output=output, scope=scope, filters=Filters(**filters))


def counted(client, **query):
    """The page and the number of queries it took (the log is emptied first: it keeps 9000 entries and
    the datasets fill it)."""
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, query)
    return response, len(captured)


def same(first, second):
    """Two figure dicts are equal frame by frame."""
    assert set(first) == set(second)
    for name, value in first.items():
        if isinstance(value, dict):
            same(value, second[name])
        else:
            pd.testing.assert_frame_equal(value, second[name])


def test_a_second_request_reads_the_cache_in_a_constant_number_of_queries(client, results, manager, agency_b,
                                                                           django_capture_on_commit_callbacks):
    pre, post = results
    client.force_login(manager)
    first, computed = counted(client)
    assert first.context["computed_at"] is None  # computed now: nothing to say
    second, cached = counted(client)
    assert cached < computed
    assert second.context["overall"] == first.context["overall"]
    assert "Figures as of" in second.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(4):
            learner = person(username=f"more{number}", roles=[Role.TRAINEE], agency=agency_b)
            take(learner, pre, right=0, days_ago=6)
            take(learner, post, right=2, days_ago=2)
    client.get(URL)  # stale: shown, and recomputed (the task runs at once in tests)
    third, again = counted(client)
    assert third.context["overall"]["n"] == 7
    assert again == cached


def test_a_submitted_attempt_makes_the_figures_stale_then_fresh_after_the_task(
        client, results, manager, agency_b, django_capture_on_commit_callbacks, monkeypatch):
    pre, post = results
    client.force_login(manager)
    assert client.get(URL).context["overall"]["n"] == 3
    generation = results_generation.current()
    learner = person(username="late", roles=[Role.TRAINEE], agency=agency_b)
    with django_capture_on_commit_callbacks(execute=True):
        take(learner, pre, right=0, days_ago=6)
    assert results_generation.current() > generation
    with django_capture_on_commit_callbacks(execute=True):
        take(learner, post, right=2, days_ago=1)
    # a recompute already running for this key: the reader gets the older figures, no second recompute
    cache.add(figures_cache.lock_key(key()), 1)
    stale = client.get(URL)
    assert stale.context["overall"]["n"] == 3
    assert stale.context["computed_at"] is not None
    assert "Figures as of" in stale.content.decode()
    assert client.get(URL).context["overall"]["n"] == 3
    # the lock gone: the next reader still gets the older figures and queues the recompute (run at once here)
    cache.delete(figures_cache.lock_key(key()))
    assert client.get(URL).context["overall"]["n"] == 3
    fresh = client.get(URL)
    assert fresh.context["overall"]["n"] == 4
    assert cache.get(key())[1] == results_generation.current()
    assert cache.get(figures_cache.lock_key(key())) is None  # the task freed it


def test_a_change_rolled_back_leaves_the_figures_fresh(results, django_capture_on_commit_callbacks):
    generation = results_generation.current()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        results_generation.bump()
    assert callbacks and results_generation.current() == generation  # only on commit


def test_scopes_never_share_an_entry(client, results, manager, coordinator_a):
    client.force_login(manager)
    assert client.get(URL).context["overall"]["n"] == 3
    client.force_login(coordinator_a)
    assert client.get(URL).context["overall"]["n"] == 2  # not the manager's figures
    assert client.get(URL).context["overall"]["n"] == 2  # its own, from the cache
    client.force_login(manager)
    assert client.get(URL).context["overall"]["n"] == 3
    assert key("all") != key(f"agency-{coordinator_a.profile.agency_id}")
    assert cache.get(key(f"agency-{coordinator_a.profile.agency_id}")) is not None


def test_a_coordinator_first_does_not_give_the_manager_their_figures(client, results, manager, coordinator_a):
    client.force_login(coordinator_a)
    assert client.get(URL).context["overall"]["n"] == 2
    client.force_login(manager)
    assert client.get(URL).context["overall"]["n"] == 3


def test_filters_never_share_an_entry(client, results, manager):
    client.force_login(manager)
    assert client.get(URL).context["overall"]["n"] == 3
    assert client.get(URL, {"agency": "MIA"}).context["overall"]["n"] == 1
    assert client.get(URL, {"agency": "MIA"}).context["overall"]["n"] == 1
    assert client.get(URL).context["overall"]["n"] == 3
    # one canonical form: spaces and parameters that are not filters change nothing
    assert key(agency="MIA") == figures_cache.entry_key(
        report="knowledge_gain", output="page", scope="all",
        filters=Filters.from_query({"agency": " MIA ", "sort": "n"}))
    assert key(agency="MIA") != key(region="MIA") != key()


def test_figures_from_the_cache_equal_computed_ones(client, cascade, manager, coordinator_a):
    for reader in (manager, coordinator_a):
        client.force_login(reader)
        client.get(URL)
        client.get(URL, {"download": "xlsx"})
        scope = figures_cache.scope_token(selectors.people_selectors.agency_scope(user=reader))
        for output in ("page", "xlsx"):
            stored = cache.get(key(scope, output=output))[2]
            attempts = selectors.scoped_attempts(user=reader, filters=Filters())
            same(stored, gain.figures(attempts=attempts, filters=Filters(), output=output))


def test_the_workbook_says_when_its_figures_were_computed(client, results, manager):
    client.force_login(manager)
    for _time in range(2):  # computed, then from the cache
        response = client.get(URL, {"download": "xlsx"})
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        cells = [cell for row in workbook["Read me"].iter_rows(values_only=True) for cell in row if cell]
        assert any(str(cell).startswith("Figures computed on ") for cell in cells)
        assert len(list(workbook["Learners"].iter_rows())) == 1 + 3
    # the CSV is read live: nothing kept for it
    client.get(URL, {"download": "csv"})
    assert cache.get(key(output="csv")) is None


def test_the_command_stores_national_and_agency_figures_idempotently(results, agency_a, agency_b):
    out = io.StringIO()
    call_command("rebuild_report_figures", stdout=out)
    assert "stored for 3 scopes (national and 2 agencies)" in out.getvalue()
    scopes = ["all", f"agency-{agency_a.pk}", f"agency-{agency_b.pk}"]
    first = {scope: cache.get(key(scope)) for scope in scopes}
    assert all(first.values())
    assert first["all"][2]["overall"]["n"].iloc[0] == 3
    assert first[f"agency-{agency_a.pk}"][2]["overall"]["n"].iloc[0] == 2
    assert first[f"agency-{agency_b.pk}"][2]["overall"]["n"].iloc[0] == 1
    again = io.StringIO()
    call_command("rebuild_report_figures", stdout=again)
    assert again.getvalue().split(" in ")[0] == out.getvalue().split(" in ")[0]
    for scope in scopes:
        same(cache.get(key(scope))[2], first[scope][2])
        assert cache.get(key(scope))[1] == first[scope][1]


def test_the_services_bump_the_generation(results, agency_a, coordinator_a,
                                          django_capture_on_commit_callbacks):
    from lms.cascade import services as cascade_services
    from lms.cascade.exceptions import SessionRefused
    from tests.factories import CascadeSessionFactory

    session = CascadeSessionFactory(agency=agency_a, state="approved")
    learner = person(username="roster", roles=[Role.TRAINEE], agency=agency_a)
    generation = results_generation.current()
    with django_capture_on_commit_callbacks(execute=True):
        place = cascade_services.participant_add(actor=coordinator_a, session=session, user=learner)
    assert results_generation.current() == generation + 1
    with django_capture_on_commit_callbacks(execute=True):
        cascade_services.attendance_record(
            actor=coordinator_a, session=session, day=session.days.get(), statuses={place.pk: "present"})
    assert results_generation.current() == generation + 2
    with django_capture_on_commit_callbacks(execute=True):
        cascade_services.participant_remove(actor=coordinator_a, session=session, user=learner)
    assert results_generation.current() == generation + 3
    with django_capture_on_commit_callbacks(execute=True):
        cascade_services.session_cancel(actor=coordinator_a, session=session, reason="Flooded")
    assert results_generation.current() == generation + 4
    # a refused change bumps nothing
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(SessionRefused):
        cascade_services.participant_add(actor=coordinator_a, session=session, user=learner)
    assert results_generation.current() == generation + 4


@pytest.mark.parametrize("language, words", [("en", "Figures as of "), ("ru", "Данные на "),
                                             ("tk", "Maglumatlar ")])
def test_the_time_of_the_figures_is_said_in_the_readers_language(client, results, manager, language, words):
    client.force_login(manager)
    with translation.override(language):
        url = reverse("reports:knowledge_gain")
    client.get(url)
    cached = client.get(url)
    computed_at = timezone.localtime(cached.context["computed_at"])
    with translation.override(language):
        when = formats.time_format(computed_at, "TIME_FORMAT")
    assert f'<p class="muted">{words}' in cached.content.decode()
    assert when in cached.content.decode().split('<p class="muted">')[1].split("</p>")[0]


def test_a_lost_generation_never_comes_back_to_an_old_value():
    """The counter's key evicted from the cache: the restarted counter differs from every value it had, so
    an entry computed before (even under the very first generation) stays stale."""
    cache.delete(results_generation.GENERATION_KEY)
    first = results_generation.current()
    results_generation._incr()
    cache.delete(results_generation.GENERATION_KEY)
    assert results_generation.current() not in (first, first + 1)
    cache.delete(results_generation.GENERATION_KEY)
    results_generation._incr()  # a bump while the key is missing
    assert results_generation.current() not in (first, first + 1)
