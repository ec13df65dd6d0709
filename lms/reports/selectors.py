"""Frames for the knowledge-gain dashboard, scoped to the agencies the person may see.

Programme managers see every agency; a training coordinator sees the learners of their own agency;
anyone else sees nothing here. The scoping is a filter of the query, so it holds for the downloads
too. The maths is in ``assessments.analytics``; this module only reads.
"""

from dataclasses import dataclass

import pandas as pd
from django.db.models import F

from assessments.models import Answer, Assessment, Attempt
from lms.people import selectors as people_selectors
from lms.people.models import Profile

PHASES = {Assessment.Purpose.PRE: "pre", Assessment.Purpose.POST: "post"}
FILTERS = ("pairing", "agency", "region", "gender", "language")


@dataclass
class Filters:
    pairing: str = ""
    agency: str = ""
    region: str = ""
    gender: str = ""
    language: str = ""

    @classmethod
    def from_query(cls, query) -> "Filters":
        return cls(**{name: (query.get(name) or "").strip()[:40] for name in FILTERS})


def reports_allowed(*, user) -> bool:
    """Programme managers, and coordinators with an agency."""
    return people_selectors.user_sees_all_agencies(user=user) or people_selectors.managed_agency_list(actor=user).exists()


def scoped_attempts(*, user, filters: Filters):
    """Submitted pre/post attempts of learners in the agencies ``user`` may see, filtered."""
    learners = Profile.objects.filter(agency__in=people_selectors.managed_agency_list(actor=user)).values("user_id")
    attempts = Attempt.objects.filter(
        user__in=learners,
        assessment__purpose__in=list(PHASES),
        submitted_at__isnull=False,
        # an attempt awaiting a trainer's grade has no score yet: it counts once graded
        score__isnull=False,
    ).exclude(state=Attempt.State.IN_PROGRESS)
    if filters.pairing:
        attempts = attempts.filter(assessment__blueprint_id=filters.pairing if filters.pairing.isdigit() else -1)
    if filters.agency:
        attempts = attempts.filter(user__profile__agency__code=filters.agency)
    if filters.region:
        attempts = attempts.filter(user__profile__region__code=filters.region)
    if filters.gender:
        attempts = attempts.filter(user__profile__gender=filters.gender)
    if filters.language:
        attempts = attempts.filter(language=filters.language)
    return attempts


def attempt_frame(*, attempts) -> pd.DataFrame:
    """One row per attempt, in the shape ``assessments.analytics`` documents (two columns more: names)."""
    rows = attempts.values(
        "score",
        "max_score",
        "submitted_at",
        "form_code",
        "language",
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
            columns=["attempt_id", "learner_id", "phase", "pairing", "form", "score", "max_score", "submitted_at",
                     "course", "agency", "region", "gender", "language"]
        )
    frame["phase"] = frame.pop("purpose").map(PHASES)
    frame["pairing"] = frame["pairing"].fillna(0).astype(int).astype(str)
    frame["course"] = frame["course"].astype(str)
    frame["score"] = frame["score"].astype(float)
    frame["max_score"] = frame["max_score"].astype(float)
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True)
    for column in ("agency", "region", "gender", "language"):
        frame[column] = frame[column].fillna("").astype(str)
    return frame.drop(columns=["form_code"])


def answer_frame(*, attempts) -> pd.DataFrame:
    """One row per answer of ``attempts``: item identity, language, score, chosen key, objective."""
    rows = Answer.objects.filter(attempt__in=attempts).values(
        "attempt_id",
        "score",
        "max_score",
        "response",
        kind=F("question__kind"),
        key=F("question__key"),
        question_key_uuid=F("question_key"),
        language=F("question__locale__language_code"),
        objective=F("question__objective"),
        module=F("question__module"),
        title=F("question__title"),
    )
    frame = pd.DataFrame.from_records(list(rows))
    if frame.empty:
        return pd.DataFrame(
            columns=["attempt_id", "question_key", "language", "score", "max_score", "response_key", "objective", "module"]
        )
    frame["question_key"] = frame.pop("key")
    frame["score"] = pd.to_numeric(frame["score"], errors="coerce").astype(float)
    frame["max_score"] = frame["max_score"].astype(float)
    chosen = frame["kind"].isin(["single", "truefalse"]) & frame["response"].notna()
    frame["response_key"] = None
    frame.loc[chosen, "response_key"] = frame.loc[chosen, "response"].map(lambda value: str(value).lower())
    frame["objective"] = frame["objective"].replace("", None)
    return frame.drop(columns=["response", "kind", "question_key_uuid"])


def filter_choices(*, user) -> dict:
    """The values the filters offer: the pairings with results and the agencies the user may see."""
    agencies = people_selectors.managed_agency_list(actor=user).order_by("code")
    pairings = (
        Assessment.objects.filter(blueprint__isnull=False, purpose__in=list(PHASES))
        .values_list("blueprint_id", "blueprint__name")
        .distinct()
        .order_by("blueprint__name")
    )
    return {"agencies": list(agencies), "pairings": [(str(pk), name) for pk, name in pairings]}
