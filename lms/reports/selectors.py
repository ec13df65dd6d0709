"""Frames for the knowledge-gain dashboard, scoped to the agencies the person may see.

Programme managers see every agency; a training coordinator sees the learners of their own agency;
anyone else sees nothing here. The scoping is a filter of the query, so it holds for the downloads
too. The maths is in ``assessments.analytics`` and ``lineage``; this module only reads.

Besides agency, region, gender and language, an attempt has two groups of the cascade: its ToT cohort
(an attempt on the cohort's pre- or post-test by a candidate of the cohort) and its cascade session
(an attempt of an enrolled participant on the session's tests within the windows of
``lms.cascade.delivery``; see ``lineage.attempt_session`` when it fits two sessions).
"""

import io
import time
from dataclasses import dataclass
from itertools import islice

import pandas as pd
from django.db import connection
from django.db.models import F, FloatField, Q
from django.db.models.functions import Cast
from django.utils import formats, timezone

from assessments.models import Answer, Assessment, Attempt, Question
from content.bounds import id_or_none
from lms.cascade import delivery
from lms.cascade.models import CascadeSession, SessionParticipant
from lms.people import selectors as people_selectors
from lms.people.models import Profile
from lms.trainers.models import Certification, ToTCohort

from . import lineage

PHASES = {Assessment.Purpose.PRE: "pre", Assessment.Purpose.POST: "post"}
FILTERS = ("pairing", "agency", "region", "gender", "language", "cohort", "session")
# sessions whose tests may have results
SESSION_STATES = (
    CascadeSession.State.APPROVED, CascadeSession.State.DELIVERED, CascadeSession.State.REPORTED,
)


@dataclass
class Filters:
    pairing: str = ""
    agency: str = ""
    region: str = ""
    gender: str = ""
    language: str = ""
    cohort: str = ""  # a ToT cohort's code
    session: str = ""  # a cascade session's id

    @classmethod
    def from_query(cls, query) -> "Filters":
        # NUL cannot be in a PostgreSQL string: such a value matches nothing anyway
        return cls(**{name: (query.get(name) or "").replace("\x00", "").strip()[:40] for name in FILTERS})


def reports_allowed(*, user) -> bool:
    """Programme managers, and coordinators with an agency."""
    return not people_selectors.agency_scope(user=user).none


def scoped_attempts(*, user=None, filters: Filters, scope: people_selectors.AgencyScope | None = None):
    """Submitted pre/post attempts of learners in the agencies ``user`` may see (or of ``scope``: the
    precomputed figures are rebuilt without a reader), filtered."""
    scope = scope if scope is not None else people_selectors.agency_scope(user=user)
    learners = Profile.objects.filter(agency__in=scope.agencies()).values("user_id")
    attempts = Attempt.objects.filter(
        user__in=learners,
        assessment__purpose__in=list(PHASES),
        submitted_at__isnull=False,
        # an attempt awaiting a trainer's grade has no score yet: it counts once graded
        score__isnull=False,
    ).exclude(state=Attempt.State.IN_PROGRESS)
    if filters.pairing:
        attempts = attempts.filter(assessment__blueprint_id=id_or_none(filters.pairing) or -1)
    if filters.agency:
        attempts = attempts.filter(user__profile__agency__code=filters.agency)
    if filters.region:
        attempts = attempts.filter(user__profile__region__code=filters.region)
    if filters.gender:
        attempts = attempts.filter(user__profile__gender=filters.gender)
    if filters.language:
        attempts = attempts.filter(language=filters.language)
    if filters.cohort:
        # narrows the query; the exact rule (``lineage.attempt_cohorts``) is applied by ``filter_groups``
        cohort = ToTCohort.objects.filter(code=filters.cohort)
        attempts = attempts.filter(
            Q(assessment_id__in=cohort.values("pre_test_id")) | Q(assessment_id__in=cohort.values("post_test_id")),
            user_id__in=Certification.objects.filter(cohort__code=filters.cohort).values("user_id"),
        )
    if filters.session:
        session = CascadeSession.objects.filter(pk=id_or_none(filters.session) or -1)
        attempts = attempts.filter(
            Q(assessment_id__in=session.values("pre_test_id")) | Q(assessment_id__in=session.values("post_test_id")),
            user_id__in=SessionParticipant.objects.filter(
                session__in=session, status=SessionParticipant.Status.ENROLLED
            ).values("user_id"),
        )
    return attempts


def attempt_frame(*, attempts) -> pd.DataFrame:
    """One row per attempt, in the shape ``assessments.analytics`` documents (two columns more: names)."""
    rows = attempts.values(
        "score",
        "max_score",
        "submitted_at",
        "form_code",
        "language",
        "assessment_id",
        attempt_id=F("pk"),
        learner_id=F("user_id"),
        purpose=F("assessment__purpose"),
        pairing=F("assessment__blueprint_id"),
        form=F("assessment__form"),
        course=F("assessment__course_key"),
        agency=F("user__profile__agency__code"),
        region=F("user__profile__region__code"),
        gender=F("user__profile__gender"),
    )
    frame = pd.DataFrame.from_records(list(rows))
    if frame.empty:
        return pd.DataFrame(
            columns=["attempt_id", "learner_id", "assessment_id", "phase", "pairing", "form", "score", "max_score",
                     "submitted_at", "course", "agency", "region", "gender", "language", "cohort", "session"]
        )
    frame["phase"] = frame.pop("purpose").map(PHASES)
    frame["pairing"] = frame["pairing"].fillna(0).astype(int).astype(str)
    frame["course"] = frame["course"].astype(str)
    frame["score"] = frame["score"].astype(float)
    frame["max_score"] = frame["max_score"].astype(float)
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True)
    for column in ("agency", "region", "gender", "language"):
        frame[column] = frame[column].fillna("").astype(str)
    return cascade_groups(frame.drop(columns=["form_code"]))


def cascade_groups(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the columns ``cohort`` (the ToT cohort's code) and ``session`` (the cascade session's id, as
    text) of each attempt, "" when it belongs to none; four queries whatever the number of attempts.

    An attempt of a candidate on tests that two cohorts share goes to the cohort that started last.
    """
    frame = frame.assign(cohort="", session="")
    if frame.empty:
        return frame
    assessments = set(frame["assessment_id"].astype(int))
    cohorts = pd.DataFrame.from_records(
        list(ToTCohort.objects.filter(Q(pre_test_id__in=assessments) | Q(post_test_id__in=assessments)).values(
            "code", "starts_on", "pre_test_id", "post_test_id", cohort_id=F("pk"))),
        columns=["code", "starts_on", "pre_test_id", "post_test_id", "cohort_id"],
    )
    candidates = pd.DataFrame.from_records(
        list(Certification.objects.filter(cohort_id__in=cohorts["cohort_id"].tolist()).values(
            "user_id", "cohort_id")),
        columns=["user_id", "cohort_id"],
    )
    attempts = frame[["attempt_id", "learner_id", "assessment_id", "submitted_at"]]
    memberships = lineage.attempt_cohorts(attempts, cohorts, candidates)
    if not memberships.empty:
        latest = memberships.merge(cohorts[["cohort_id", "code", "starts_on"]], on="cohort_id")
        latest = latest.sort_values(["attempt_id", "starts_on", "cohort_id"], ascending=[True, False, False])
        codes = latest.drop_duplicates("attempt_id").set_index("attempt_id")["code"]
        frame["cohort"] = frame["attempt_id"].map(codes).fillna("")
    sessions = pd.DataFrame.from_records(
        list(CascadeSession.objects.filter(state__in=SESSION_STATES).filter(
            Q(pre_test_id__in=assessments) | Q(post_test_id__in=assessments)
        ).values("pre_test_id", "post_test_id", "starts_at", "ends_at", session_id=F("pk"))),
        columns=["pre_test_id", "post_test_id", "starts_at", "ends_at", "session_id"],
    )
    participants = pd.DataFrame.from_records(
        list(SessionParticipant.objects.filter(
            session_id__in=sessions["session_id"].tolist(), status=SessionParticipant.Status.ENROLLED,
        ).values("session_id", "user_id")),
        columns=["session_id", "user_id"],
    )
    sessions["starts_at"] = pd.to_datetime(sessions["starts_at"], utc=True)
    sessions["ends_at"] = pd.to_datetime(sessions["ends_at"], utc=True)
    memberships = lineage.attempt_sessions(
        attempts, sessions, participants, pre_window=delivery.PRE_WINDOW, post_window=delivery.POST_WINDOW
    )
    chosen = lineage.attempt_session(memberships, sessions)
    if not chosen.empty:
        frame["session"] = frame["attempt_id"].map(chosen.astype("int64").astype(str)).fillna("")
    return frame


def filter_groups(frame: pd.DataFrame, *, filters: Filters) -> pd.DataFrame:
    """Keep the attempts of the cohort and the session asked for (the exact rule of ``cascade_groups``)."""
    if filters.cohort:
        frame = frame[frame["cohort"] == filters.cohort]
    if filters.session:
        frame = frame[frame["session"] == filters.session]
    return frame


ANSWER_COLUMNS = ["attempt_id", "question_key", "language", "score", "max_score", "response_key", "objective", "module",
                  "title"]
FETCH_ROWS = 50_000  # answers turned into a frame at a time (a million answers never sit in Python objects)


def answer_rows(*, attempts):
    """The query of ``answer_frame``: per answer its attempt, question, score, maximum and chosen option,
    as plain numbers and text from the answers' table alone (no join, no JSON)."""
    return (
        Answer.objects.filter(attempt__in=attempts)
        .order_by()
        .values_list(
            "attempt_id", "question_id", Cast("score", FloatField()), Cast("max_score", FloatField()), "response_key"
        )
    )


_ROW_COLUMNS = ["attempt_id", "question_id", "score", "max_score", "response_key"]


def _read_rows(query) -> pd.DataFrame:
    """The rows of ``query`` as a frame: on PostgreSQL through COPY into pandas' CSV reader (no Python object
    per value), elsewhere in chunks of ``FETCH_ROWS`` rows."""
    if connection.vendor == "postgresql":
        sql, params = query.query.sql_with_params()
        statement = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
        buffer, started = io.BytesIO(), time.perf_counter()
        with connection.cursor() as cursor, cursor.cursor.copy(statement, params) as copy:
            for block in copy:
                buffer.write(block)
        if connection.queries_logged:  # counted like any other query (COPY goes past Django's cursor)
            connection.queries_log.append({"sql": statement, "time": f"{time.perf_counter() - started:.3f}"})
        buffer.seek(0)
        if not buffer.getbuffer().nbytes:
            return pd.DataFrame(columns=_ROW_COLUMNS)
        # an empty unquoted field is NULL (a score not graded yet); the chosen option "" stays text
        return pd.read_csv(
            buffer, header=None, names=_ROW_COLUMNS, keep_default_na=False, na_values={"score": [""]},
            dtype={"attempt_id": "int64", "question_id": "int64", "score": "float64", "max_score": "float64",
                   "response_key": object},
        )
    rows = query.iterator(chunk_size=FETCH_ROWS)
    chunks = []
    while chunk := list(islice(rows, FETCH_ROWS)):
        chunks.append(pd.DataFrame.from_records(chunk, columns=_ROW_COLUMNS))
    if not chunks:
        return pd.DataFrame(columns=_ROW_COLUMNS)
    return pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]


def answer_frame(*, attempts) -> pd.DataFrame:
    """One row per answer of ``attempts``: item identity, language, score, chosen key, objective.

    Two queries: the answers as plain numbers (``answer_rows``: the chosen option is the column
    ``response_key``, no response is decoded), then the few questions they name.
    """
    frame = _read_rows(answer_rows(attempts=attempts))
    if frame.empty:
        return pd.DataFrame(columns=ANSWER_COLUMNS)
    questions = pd.DataFrame.from_records(
        list(Question.objects.filter(pk__in=frame["question_id"].unique().tolist()).values_list(
            "pk", "key", "locale__language_code", "objective", "module", "title")),
        columns=["question_id", "question_key", "language", "objective", "module", "title"],
    ).set_index("question_id")
    questions["objective"] = questions["objective"].replace("", None)
    codes = questions.index.get_indexer(frame["question_id"])
    for column in ("question_key", "language", "objective", "module", "title"):
        frame[column] = questions[column].to_numpy()[codes]
    frame["score"] = frame["score"].astype(float)
    frame["max_score"] = frame["max_score"].astype(float)
    # only single-choice and true/false answers have a chosen option ("" elsewhere): None as before
    keys = frame["response_key"].to_numpy(dtype=object, copy=True)
    keys[keys == ""] = None
    frame["response_key"] = pd.Series(keys, index=frame.index, dtype=object)
    return frame[ANSWER_COLUMNS]


SESSION_CHOICES = 100  # more sessions than this: the session filter is a number field, not a list


def filter_choices(*, user, filters: Filters | None = None) -> dict:
    """The values the filters offer: the pairings with results, the agencies the user may see, the ToT
    cohorts with tests (a coordinator's: those with a candidate of their agency) and the sessions with
    tests of the agencies the user may see (within the chosen agency and region, if any).

    At national scale there are thousands of sessions: a list of them all would be most of the page. When
    more than ``SESSION_CHOICES`` are left, ``sessions`` is empty and ``many_sessions`` True: the page asks
    for the session's number instead (the same query either way)."""
    filters = filters or Filters()
    agencies = people_selectors.managed_agency_list(actor=user).order_by("code")
    cohorts = ToTCohort.objects.filter(pre_test__isnull=False, post_test__isnull=False).order_by("-starts_on", "code")
    if not people_selectors.agency_scope(user=user).all:
        cohorts = cohorts.filter(candidates__user__profile__agency__in=agencies).distinct()
    sessions = CascadeSession.objects.filter(
        agency__in=agencies, state__in=SESSION_STATES, pre_test__isnull=False, post_test__isnull=False
    ).order_by("-starts_at", "-pk")
    if filters.agency:
        sessions = sessions.filter(agency__code=filters.agency)
    if filters.region:
        sessions = sessions.filter(region__code=filters.region)
    sessions = list(sessions[: SESSION_CHOICES + 1])
    many_sessions = len(sessions) > SESSION_CHOICES
    pairings = (
        Assessment.objects.filter(blueprint__isnull=False, purpose__in=list(PHASES))
        .values_list("blueprint_id", "blueprint__name")
        .distinct()
        .order_by("blueprint__name")
    )
    return {
        "agencies": list(agencies),
        "pairings": [(str(pk), name) for pk, name in pairings],
        "cohorts": [(cohort.code, cohort.title) for cohort in cohorts],
        "sessions": [] if many_sessions else [(str(session.pk), session_label(session)) for session in sessions],
        "many_sessions": many_sessions,
    }


def session_label(session) -> str:
    """A session as people recognise it: its title and first day."""
    return f"{session.title}, {formats.date_format(timezone.localtime(session.starts_at).date(), 'SHORT_DATE_FORMAT')}"


def group_labels(*, cohorts, sessions) -> dict:
    """Names of the cohort codes and session ids shown in the group tables (two queries)."""
    return {
        "cohort": dict(ToTCohort.objects.filter(code__in=list(cohorts)).values_list("code", "title")),
        "session": {
            str(session.pk): session_label(session)
            for session in CascadeSession.objects.filter(pk__in=[int(pk) for pk in sessions if str(pk).isdigit()])
        },
    }


# --- the programme manager's dashboard --------------------------------------------------------------------


@dataclass
class NationalFigures:
    certified_trainers: int
    sessions_quarter: int
    participants_quarter: int
    mean_gain: float | None  # percentage points, post-test minus pre-test, of the learners who took both
    quarter_start: object
    quarter_end: object


def _quarter(today):
    from datetime import date

    first_month = 3 * ((today.month - 1) // 3) + 1
    start = date(today.year, first_month, 1)
    end = date(today.year + 1, 1, 1) if first_month == 10 else date(today.year, first_month + 3, 1)
    return start, end


def national_figures(*, user, today=None) -> NationalFigures | None:
    """The national figures of the dashboard, for who sees all agencies (``None`` for anyone else): certified
    trainers valid today, the sessions of this quarter (delivered or reported, first day in the quarter)
    and their enrolled participants, and the mean gain. Four aggregate queries, no rows.

    The mean gain here is the mean percentage of the learners' scored post-test attempts minus that of their
    pre-test attempts, over the learners with both; the knowledge-gain report pairs them per session."""
    from datetime import timedelta

    from django.db.models import Avg, Count, ExpressionWrapper, FloatField, Min

    if not people_selectors.agency_scope(user=user).all:
        return None
    today = today or timezone.localdate()
    start, end = _quarter(today)
    certified = Certification.objects.filter(status=Certification.Status.CERTIFIED, valid_until__gte=today).count()
    quarter = (
        CascadeSession.objects.filter(state__in=[CascadeSession.State.DELIVERED, CascadeSession.State.REPORTED])
        .annotate(first_day=Min("days__date"))
        .filter(first_day__gte=start, first_day__lt=end)
    )
    sessions = quarter.count()
    participants = SessionParticipant.objects.filter(
        session__in=quarter.values("pk"), status=SessionParticipant.Status.ENROLLED
    ).aggregate(people=Count("user", distinct=True))["people"]
    scored = Attempt.objects.filter(score__isnull=False, max_score__gt=0).exclude(
        state__in=[Attempt.State.IN_PROGRESS, Attempt.State.AWAITING_GRADING]
    )
    pre = scored.filter(assessment__purpose=Assessment.Purpose.PRE)
    post = scored.filter(assessment__purpose=Assessment.Purpose.POST)
    both = pre.filter(user__in=post.values("user_id")).values("user_id")
    share = ExpressionWrapper(100.0 * F("score") / F("max_score"), output_field=FloatField())
    means = scored.filter(user__in=both).aggregate(
        pre=Avg(share, filter=Q(assessment__purpose=Assessment.Purpose.PRE)),
        post=Avg(share, filter=Q(assessment__purpose=Assessment.Purpose.POST)),
    )
    gain = None if means["pre"] is None or means["post"] is None else means["post"] - means["pre"]
    return NationalFigures(
        certified_trainers=certified, sessions_quarter=sessions, participants_quarter=participants,
        mean_gain=gain, quarter_start=start, quarter_end=end - timedelta(days=1),
    )
