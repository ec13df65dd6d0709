"""Reach of the cascade: ToT cohort → certified trainers → sessions → participants, scoped.

Programme managers see every agency (the national view); a training coordinator sees the sessions of
their agency and the trainers of their agency (the agency view); anyone else sees nothing
(``ReachNotAllowed``, a ``PermissionDenied``). The scope is a filter of the queries, so it holds for the
page, the downloads and the API alike. ``reach_frames`` reads everything in a constant number of
queries; the maths is in ``lineage`` (pure functions); ``reach_tables`` puts the two together and
``reach_summary`` gives the same figures as plain JSON values.

What the filters narrow: the cohort and the agency narrow the trainers (and so the sessions they led);
the agency, the region (where a session was held) and the period (a session's first day) narrow the
sessions; the gender narrows the participants counted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta

import pandas as pd
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Attempt
from lms.cascade import delivery
from lms.cascade.models import CascadeSession, SessionDay, SessionParticipant
from lms.people import selectors as people_selectors
from lms.people.models import Agency, Profile, Region
from lms.trainers.models import Certification, ToTCohort

from . import lineage
from .exceptions import NOT_ALLOWED, PERIOD_ORDER, ReachNotAllowed

COUNTED_STATES = (CascadeSession.State.DELIVERED, CascadeSession.State.REPORTED)
INTERVAL_CHOICES = (("month", _("by month")), ("quarter", _("by quarter")))


@dataclass(frozen=True)
class ReachFilters:
    cohort: str = ""  # cohort code
    agency: str = ""  # agency code; programme managers only
    region: str = ""  # region code: where the session was held
    gender: str = ""  # "female" / "male": the participants counted
    date_from: date | None = None  # a session's first day, inclusive
    date_to: date | None = None
    interval: str = "month"

    def as_query(self) -> dict:
        """The filters as JSON/query values (dates in ISO form, empty ones left out)."""
        values = {key: (value.isoformat() if isinstance(value, date) else value) for key, value in asdict(self).items()}
        return {key: value for key, value in values.items() if value}


class ReachFilterForm(forms.Form):
    """Reads and checks the filters of a query string; a bad value gets a message and is not applied."""

    cohort = forms.SlugField(required=False, max_length=40, label=_("ToT cohort"))
    agency = forms.CharField(required=False, max_length=40, label=_("Agency"))
    region = forms.CharField(required=False, max_length=6, label=_("Region"))
    gender = forms.ChoiceField(required=False, choices=[("", "")] + list(Profile.Gender.choices), label=_("Gender"))
    date_from = forms.DateField(required=False, label=_("Period from"))
    date_to = forms.DateField(required=False, label=_("Period to"))
    interval = forms.ChoiceField(required=False, choices=INTERVAL_CHOICES, label=_("Over time"))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError(PERIOD_ORDER)
        return data


def reach_filters_parse(*, query: Mapping) -> tuple[ReachFilters, list[str]]:
    """Filters from a query string, and the messages about the values that were not understood (those
    values are left out, the others apply)."""
    form = ReachFilterForm(data={key: query.get(key, "") for key in ReachFilterForm.base_fields})
    valid = form.is_valid()
    data = form.cleaned_data
    errors = [
        f"{form.fields[name].label}: {message}" if name in form.fields else str(message)
        for name, messages in form.errors.items()
        for message in messages
    ]
    period_ok = valid or "__all__" not in form.errors
    filters = ReachFilters(
        cohort=data.get("cohort") or "",
        agency=(data.get("agency") or "").strip(),
        region=(data.get("region") or "").strip(),
        gender=data.get("gender") or "",
        date_from=data.get("date_from") if period_ok else None,
        date_to=data.get("date_to") if period_ok else None,
        interval=data.get("interval") or "month",
    )
    return filters, errors


# --- scope ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReachScope:
    """What the person may see: everything (``agency_id`` None, national) or one agency."""

    national: bool
    agency_id: int | None = None
    agency_code: str = ""


def reach_scope(*, user) -> ReachScope | None:
    """The national view for programme managers, their agency's for a coordinator, else None."""
    agencies = people_selectors.agency_scope(user=user)
    if agencies.all:
        return ReachScope(national=True)
    if agencies.own is None:
        return None
    return ReachScope(national=False, agency_id=agencies.own.pk, agency_code=agencies.own.code)


def reach_allowed(*, user) -> bool:
    return reach_scope(user=user) is not None


# --- frames ---------------------------------------------------------------------------------------------


@dataclass
class ReachFrames:
    """The rows of the lineage in the selection, as frames (columns in ``lineage``'s docstring)."""

    scope: ReachScope
    filters: ReachFilters
    today: date
    sessions: pd.DataFrame
    participation: pd.DataFrame
    certifications: pd.DataFrame  # the pool: trainers of the scope (and cohort), every status
    cohorts: pd.DataFrame
    participant_gains: pd.DataFrame
    cohort_gains: pd.DataFrame
    trainers: pd.DataFrame  # trainer_id, trainer (name), agency
    names: dict = field(default_factory=dict)  # {"agency": {code: name}, "region": {...}}


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _person(first: str, last: str, username: str) -> str:
    return f"{first or ''} {last or ''}".strip() or username


def reach_frames(*, user, filters: ReachFilters | None = None, today: date | None = None) -> ReachFrames:
    """Read the lineage rows ``user`` may see under ``filters`` (a constant number of queries)."""
    scope = reach_scope(user=user)
    if scope is None:
        raise ReachNotAllowed(NOT_ALLOWED)
    filters = filters or ReachFilters()
    if not scope.national and filters.agency:
        # the agency filter is the managers'; a coordinator's view is their agency whatever they ask
        filters = ReachFilters(**{**asdict(filters), "agency": ""})
    today = today or timezone.localdate()

    sessions_qs = CascadeSession.objects.filter(state__in=COUNTED_STATES)
    if not scope.national:
        sessions_qs = sessions_qs.filter(agency_id=scope.agency_id)
    if filters.agency:
        sessions_qs = sessions_qs.filter(agency__code=filters.agency)
    if filters.region:
        sessions_qs = sessions_qs.filter(region__code=filters.region)
    if filters.date_from:
        sessions_qs = sessions_qs.filter(starts_at__gte=_midnight(filters.date_from))
    if filters.date_to:
        sessions_qs = sessions_qs.filter(starts_at__lt=_midnight(filters.date_to + timedelta(days=1)))
    session_rows = list(sessions_qs.values(
        "title", "state", "lead_trainer_id", "course_key", "pre_test_id", "post_test_id", "starts_at", "ends_at",
        session_id=F("pk"), agency_code=F("agency__code"), region_code=F("region__code"),
        trainer_first=F("lead_trainer__first_name"), trainer_last=F("lead_trainer__last_name"),
        trainer_username=F("lead_trainer__username"), trainer_agency=F("lead_trainer__profile__agency__code"),
    ).order_by("starts_at", "pk"))
    day_rows = list(SessionDay.objects.filter(session__in=sessions_qs).values("session_id", "date", "starts", "ends"))
    participants_qs = SessionParticipant.objects.filter(session__in=sessions_qs, status=SessionParticipant.Status.ENROLLED)
    if filters.gender:
        participants_qs = participants_qs.filter(user__profile__gender=filters.gender)
    participant_rows = list(participants_qs.values(
        "session_id", "user_id", gender=F("user__profile__gender"), agency=F("user__profile__agency__code"),
        region=F("user__profile__region__code"),
    ))

    certifications_qs = Certification.objects.annotate(
        trainer_agency_id=Coalesce("user__profile__agency_id", "agency_id"),
    )
    if not scope.national:
        certifications_qs = certifications_qs.filter(
            Q(trainer_agency_id=scope.agency_id) | Q(user_id__in=sessions_qs.values("lead_trainer_id"))
        )
    certification_rows = list(certifications_qs.values(
        "user_id", "cohort_id", "status", "certified_on", "valid_until", "trainer_agency_id",
        course_key=F("programme__course_key"), first=F("user__first_name"), last=F("user__last_name"),
        username=F("user__username"),
    ))
    cohort_rows = list(ToTCohort.objects.values(
        "code", "title", "starts_on", "ends_on", "pre_test_id", "post_test_id", cohort_id=F("pk"),
    ))
    cohort_tests = Q(assessment_id__in=ToTCohort.objects.values("pre_test_id")) | Q(
        assessment_id__in=ToTCohort.objects.values("post_test_id"))
    session_tests = Q(assessment_id__in=sessions_qs.values("pre_test_id")) | Q(
        assessment_id__in=sessions_qs.values("post_test_id"))
    attempt_rows = list(Attempt.objects.filter(state__in=delivery.FINISHED, submitted_at__isnull=False).filter(
        (Q(user_id__in=participants_qs.values("user_id")) & session_tests)
        | (Q(user_id__in=certifications_qs.values("user_id")) & cohort_tests)
    ).values("score", "max_score", "submitted_at", "assessment_id", attempt_id=F("pk"), learner_id=F("user_id")))
    agencies = {agency.pk: agency for agency in Agency.objects.all()}
    regions = {region.code: region.name for region in Region.objects.all()}

    return _frames(
        scope=scope, filters=filters, today=today, session_rows=session_rows, day_rows=day_rows,
        participant_rows=participant_rows, certification_rows=certification_rows, cohort_rows=cohort_rows,
        attempt_rows=attempt_rows, agencies=agencies, regions=regions,
    )


def _frames(*, scope, filters, today, session_rows, day_rows, participant_rows, certification_rows, cohort_rows,
            attempt_rows, agencies, regions) -> ReachFrames:
    """Turn the rows into the frames of ``lineage`` and apply what only pandas can (cohort, lineage)."""
    agency_codes = {pk: agency.code for pk, agency in agencies.items()}
    names = {"agency": {agency.code: agency.name for agency in agencies.values()}, "region": regions}

    certifications = pd.DataFrame.from_records(certification_rows, columns=[
        "user_id", "cohort_id", "status", "certified_on", "valid_until", "trainer_agency_id", "course_key",
        "first", "last", "username"])
    certifications["cohort_id"] = certifications["cohort_id"].fillna(lineage.NO_COHORT).astype("int64")
    certifications["course_key"] = certifications["course_key"].astype(str)
    certifications["agency"] = certifications["trainer_agency_id"].map(agency_codes).astype(object).fillna("")

    cohorts = pd.DataFrame.from_records(cohort_rows, columns=[
        "code", "title", "starts_on", "ends_on", "pre_test_id", "post_test_id", "cohort_id"])

    sessions = pd.DataFrame.from_records(session_rows, columns=[
        "title", "state", "lead_trainer_id", "course_key", "pre_test_id", "post_test_id", "starts_at", "ends_at",
        "session_id", "agency_code", "region_code", "trainer_first", "trainer_last", "trainer_username",
        "trainer_agency"])
    sessions = sessions.rename(columns={"agency_code": "agency", "region_code": "region"})
    sessions["agency"] = sessions["agency"].fillna("")
    sessions["region"] = sessions["region"].fillna("")
    sessions["course_key"] = sessions["course_key"].astype(str)
    sessions["starts_at"] = pd.to_datetime(sessions["starts_at"], utc=True)
    sessions["ends_at"] = pd.to_datetime(sessions["ends_at"], utc=True)
    days = pd.DataFrame.from_records(day_rows, columns=["session_id", "date", "starts", "ends"])
    hours = lineage.session_hours(days)
    first_day = days.groupby("session_id")["date"].min() if not days.empty else pd.Series(dtype=object)
    last_day = days.groupby("session_id")["date"].max() if not days.empty else pd.Series(dtype=object)
    local = [timezone.localtime(value.to_pydatetime()).date() for value in sessions["starts_at"]]
    local_end = [timezone.localtime(value.to_pydatetime()).date() for value in sessions["ends_at"]]
    sessions["first_day"] = [first_day.get(pk, fallback) for pk, fallback in zip(sessions["session_id"], local)]
    sessions["last_day"] = [last_day.get(pk, fallback) for pk, fallback in zip(sessions["session_id"], local_end)]
    sessions["hours"] = sessions["session_id"].map(hours).fillna(0.0).astype(float)
    sessions["cohort_id"] = lineage.session_cohorts(sessions, certifications).to_numpy() if not sessions.empty else []
    sessions["cohort_id"] = sessions["cohort_id"].astype("int64")

    # the pool of trainers: those of the scope (and of the agency asked for); the others were read for the
    # lineage of the sessions only
    pool = certifications
    if not scope.national:
        pool = pool[pool["trainer_agency_id"] == scope.agency_id]
    if filters.agency:
        pool = pool[pool["agency"] == filters.agency]
    cohort_ids = set(cohorts.loc[cohorts["code"] == filters.cohort, "cohort_id"]) if filters.cohort else None
    if cohort_ids is not None:
        pool = pool[pool["cohort_id"].isin(cohort_ids)]
        sessions = sessions[sessions["cohort_id"].isin(cohort_ids)]
    if filters.agency:
        # trainers of the agency asked for, and the sessions they led
        sessions = sessions[sessions["agency"] == filters.agency]
    if not scope.national:
        shown = set(pool["cohort_id"]) | set(sessions["cohort_id"])
        cohorts = cohorts[cohorts["cohort_id"].isin(shown)]
    if cohort_ids is not None:
        cohorts = cohorts[cohorts["cohort_id"].isin(cohort_ids)]
    sessions = sessions.reset_index(drop=True)

    participants = pd.DataFrame.from_records(participant_rows, columns=["session_id", "user_id", "gender", "agency", "region"])
    participants = participants[participants["session_id"].isin(sessions["session_id"])]
    for column in ("gender", "agency", "region"):
        participants[column] = participants[column].fillna("")
    participation = lineage.participations(sessions, participants)

    attempts = pd.DataFrame.from_records(attempt_rows, columns=[
        "score", "max_score", "submitted_at", "assessment_id", "attempt_id", "learner_id"])
    attempts["submitted_at"] = pd.to_datetime(attempts["submitted_at"], utc=True)
    attempts["score"] = attempts["score"].astype(float)
    attempts["max_score"] = attempts["max_score"].astype(float)
    memberships = lineage.attempt_sessions(
        attempts, sessions, participants, pre_window=delivery.PRE_WINDOW, post_window=delivery.POST_WINDOW)
    participant_gains = lineage.participant_gains(attempts, memberships)
    participant_gains = participant_gains.merge(
        sessions[["session_id", "cohort_id", "lead_trainer_id"]], on="session_id", how="left")
    candidates = pool[["user_id", "cohort_id"]]
    cohort_memberships = lineage.attempt_cohorts(attempts, cohorts, candidates)
    cohort_gains = lineage.cohort_gains(attempts, cohort_memberships)

    trainers = pd.concat([
        pd.DataFrame({
            "trainer_id": pool["user_id"],
            "trainer": [_person(*names_) for names_ in zip(pool["first"], pool["last"], pool["username"])],
            "agency": pool["agency"],
        }),
        pd.DataFrame({
            "trainer_id": sessions["lead_trainer_id"],
            "trainer": [_person(*names_) for names_ in zip(
                sessions["trainer_first"], sessions["trainer_last"], sessions["trainer_username"])],
            "agency": sessions["trainer_agency"].fillna(sessions["agency"]),
        }),
    ]).drop_duplicates("trainer_id").reset_index(drop=True)

    return ReachFrames(
        scope=scope, filters=filters, today=today, sessions=sessions, participation=participation,
        certifications=pool.reset_index(drop=True), cohorts=cohorts.reset_index(drop=True),
        participant_gains=participant_gains, cohort_gains=cohort_gains, trainers=trainers, names=names,
    )


# --- tables ---------------------------------------------------------------------------------------------


def _named(frame: pd.DataFrame, column: str, names: dict) -> pd.DataFrame:
    """Add ``<column>_name`` after ``column`` (a code)."""
    frame = frame.copy()
    frame.insert(frame.columns.get_loc(column) + 1, f"{column}_name", frame[column].map(names).astype(object).fillna(""))
    return frame


def reach_tables(frames: ReachFrames) -> dict:
    """The tables of the report (frames) and the totals (plain numbers) of a selection."""
    sessions, participation, pool = frames.sessions, frames.participation, frames.certifications
    cohort_info = frames.cohorts.set_index("cohort_id")
    codes = cohort_info["code"].to_dict()
    titles = cohort_info["title"].to_dict()

    # per cohort: the lineage figures, the cohort's own gain and its trainers' participants' gain
    cohorts = lineage.cohort_table(sessions, participation, pool, today=frames.today)
    listed = pd.DataFrame({"cohort_id": frames.cohorts["cohort_id"].astype("int64")})
    cohorts = listed.merge(cohorts, on="cohort_id", how="outer") if not listed.empty else cohorts
    for column in ("trainers_certified", "trainers_active", "trainers_delivering", "sessions", "participants"):
        cohorts[column] = cohorts[column].fillna(0).astype("int64")
    cohorts["hours"] = cohorts["hours"].fillna(0.0).astype(float)
    cohorts["multiplier"] = lineage.multiplier(cohorts["participants"], cohorts["trainers_certified"])
    starts = cohort_info["starts_on"].to_dict()
    cohorts = cohorts.assign(
        _last=cohorts["cohort_id"] == lineage.NO_COHORT,
        _start=cohorts["cohort_id"].map(starts),
    ).sort_values(["_last", "_start", "cohort_id"], kind="stable", na_position="last").drop(columns=["_last", "_start"])
    cohorts.insert(1, "cohort", cohorts["cohort_id"].map(codes).astype(object).fillna(""))
    cohorts.insert(2, "cohort_title", cohorts["cohort_id"].map(titles).astype(object).fillna(""))
    own = lineage.gain_by(frames.cohort_gains, "cohort_id").set_index("cohort_id")
    theirs = lineage.gain_by(frames.participant_gains, "cohort_id").set_index("cohort_id")
    cohorts["tot_n"] = cohorts["cohort_id"].map(own["n"]).fillna(0).astype("int64")
    cohorts["tot_mean_pre"] = cohorts["cohort_id"].map(own["mean_pre"])
    cohorts["tot_mean_post"] = cohorts["cohort_id"].map(own["mean_post"])
    cohorts["tot_mean_normalised_gain"] = cohorts["cohort_id"].map(own["mean_normalised_gain"])
    cohorts["participants_n"] = cohorts["cohort_id"].map(theirs["n"]).fillna(0).astype("int64")
    cohorts["participants_mean_pre"] = cohorts["cohort_id"].map(theirs["mean_pre"])
    cohorts["participants_mean_post"] = cohorts["cohort_id"].map(theirs["mean_post"])
    cohorts["participants_mean_normalised_gain"] = cohorts["cohort_id"].map(theirs["mean_normalised_gain"])
    cohorts = cohorts.reset_index(drop=True)

    # knowledge gain at each level of the cascade
    levels = pd.concat([
        lineage.gain_by(frames.cohort_gains.assign(level="tot"), "level"),
        lineage.gain_by(frames.participant_gains.assign(level="participants"), "level"),
    ], ignore_index=True)
    levels = pd.DataFrame({"level": ["tot", "participants"]}).merge(levels, on="level", how="left")
    levels["n"] = levels["n"].fillna(0).astype("int64")

    coverage = {
        "agency": _named(lineage.coverage(participation, by="agency"), "agency", frames.names["agency"]),
        "region": _named(lineage.coverage(participation, by="region"), "region", frames.names["region"]),
        "gender": lineage.coverage(participation, by="gender"),
    }
    over_time = lineage.over_time(sessions, participation, interval=frames.filters.interval)

    trainer_gain = lineage.gain_by(
        frames.participant_gains.rename(columns={"lead_trainer_id": "trainer_id"}), "trainer_id"
    ).set_index("trainer_id")
    trainers = lineage.trainer_table(sessions, participation, pool)
    info = frames.trainers.set_index("trainer_id")
    trainers.insert(1, "trainer", trainers["trainer_id"].map(info["trainer"]).astype(object).fillna(""))
    trainers.insert(2, "agency", trainers["trainer_id"].map(info["agency"]).astype(object).fillna(""))
    trainers.insert(3, "cohort", trainers["cohort_id"].map(codes).astype(object).fillna(""))
    trainers["pairs"] = trainers["trainer_id"].map(trainer_gain["n"]).fillna(0).astype("int64")
    trainers["mean_normalised_gain"] = trainers["trainer_id"].map(trainer_gain["mean_normalised_gain"])

    session_gain = lineage.gain_by(frames.participant_gains, "session_id").set_index("session_id")
    counts = lineage.session_table(sessions, participation).set_index("session_id")
    trainer_names = info["trainer"]
    rows = pd.DataFrame({
        "session_id": sessions["session_id"].astype("int64"),
        "title": sessions["title"],
        "first_day": sessions["first_day"],
        "last_day": sessions["last_day"],
        "state": sessions["state"],
        "agency": sessions["agency"],
        "region": sessions["region"],
        "trainer_id": sessions["lead_trainer_id"].astype("int64"),
        "trainer": sessions["lead_trainer_id"].map(trainer_names).astype(object).fillna(""),
        "cohort": sessions["cohort_id"].map(codes).astype(object).fillna(""),
        "hours": sessions["hours"].astype(float),
    })
    rows = _named(_named(rows, "agency", frames.names["agency"]), "region", frames.names["region"])
    for column in ("participants", "women", "men", "gender_not_recorded"):
        rows[column] = rows["session_id"].map(counts[column]).fillna(0).astype("int64") if not rows.empty else []
    rows["pairs"] = rows["session_id"].map(session_gain["n"]).fillna(0).astype("int64")
    for column in ("mean_pre", "mean_post", "mean_normalised_gain"):
        rows[column] = rows["session_id"].map(session_gain[column]).astype(float)

    return {
        "totals": lineage.totals(sessions, participation, pool, today=frames.today),
        "cohorts": cohorts,
        "levels": levels,
        "coverage": coverage,
        "over_time": over_time,
        "trainers": trainers,
        "sessions": rows,
    }


# --- JSON -----------------------------------------------------------------------------------------------


def _plain(value):
    """A JSON value: NaN and NaT become None, numpy numbers Python ones, dates ISO strings."""
    if value is None or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, (date, pd.Timestamp)):
        return value.isoformat()
    return value


def frame_records(frame: pd.DataFrame) -> list[dict]:
    """The rows of a frame as JSON-serialisable dicts."""
    return [{key: _plain(value) for key, value in row.items()} for row in frame.to_dict("records")]


def reach_summary(*, user, filters: ReachFilters | Mapping | None = None, sessions: slice | None = None) -> dict:
    """The figures of the reach report as plain JSON values (for the REST API).

    ``filters``: ``ReachFilters``, or a query mapping (``cohort``, ``agency``, ``region``, ``gender``,
    ``date_from``, ``date_to`` in ISO form, ``interval``) whose bad values raise ``ValidationError``.
    ``sessions``: the rows of the session list to give (a slice; all by default); ``sessions_count`` is
    the number of sessions in all.
    ``ReachNotAllowed`` (a ``PermissionDenied``) for anyone who is neither a programme manager nor a
    coordinator with an agency.
    """
    if not isinstance(filters, ReachFilters):
        filters, errors = reach_filters_parse(query=filters or {})
        if errors:
            raise ValidationError(errors)
    frames = reach_frames(user=user, filters=filters)
    tables = reach_tables(frames)
    return {
        "scope": "national" if frames.scope.national else "agency",
        "agency": frames.scope.agency_code or None,
        "filters": frames.filters.as_query(),
        "totals": {key: _plain(value) for key, value in tables["totals"].items()},
        "cohorts": frame_records(tables["cohorts"]),
        "knowledge_gain": frame_records(tables["levels"]),
        "coverage": {name: frame_records(frame) for name, frame in tables["coverage"].items()},
        "over_time": frame_records(tables["over_time"]),
        "trainers": frame_records(tables["trainers"]),
        "sessions_count": len(tables["sessions"]),
        "sessions": frame_records(tables["sessions"].iloc[sessions] if sessions is not None else tables["sessions"]),
    }


def reach_filter_choices(*, user) -> dict:
    """What the filters offer: cohorts, agencies (managers only) and regions."""
    scope = reach_scope(user=user)
    cohorts = ToTCohort.objects.order_by("-starts_on", "code")
    if scope is not None and not scope.national:
        cohorts = cohorts.filter(
            Q(candidates__user__profile__agency_id=scope.agency_id) | Q(candidates__agency_id=scope.agency_id)
        ).distinct()
    return {
        "cohorts": [(cohort.code, cohort.title) for cohort in cohorts],
        "agencies": list(Agency.objects.order_by("code")) if scope is not None and scope.national else [],
        "regions": people_selectors.region_list(),
    }
