"""Reads of training plans and OJT records, scoped to the agencies the acting user keeps.

A programme manager sees every agency; an agency's training coordinator their own agency only; anyone
else nothing. Every list and every ``*_get`` goes through these querysets, so a record of another agency
is not found (404) rather than hidden in a template.
"""

from dataclasses import dataclass

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import get_language

from content.bounds import INT_MAX, IdField, query_values
from courses.models import CoursePage
from courses.selectors import SOURCE_LANGUAGE, course_nav
from lms.people import selectors as people_selectors
from lms.people.models import Agency, Profile, TrainingUnit
from lms.trainers.models import CertificationProgramme

from .models import OJTRecord, TrainingPlan


def own_agency(*, user) -> Agency | None:
    """The user's agency, read once per request (kept on the user object like their roles)."""
    if not hasattr(user, "_ojt_own_agency"):
        user._ojt_own_agency = people_selectors.user_agency(user=user)
    return user._ojt_own_agency


def ojt_agencies(*, user) -> QuerySet[Agency]:
    """The agencies whose plans and records ``user`` keeps: all for a manager, their own for a coordinator
    (``people.selectors.agency_scope``)."""
    return people_selectors.agency_scope(user=user).agencies()


def ojt_allowed(*, user) -> bool:
    """Whether the user may open the OJT pages at all (managers, and coordinators who have an agency)."""
    return not people_selectors.agency_scope(user=user).none


def may_keep(*, user, agency) -> bool:
    """Whether ``user`` may write the plans and records of ``agency``."""
    return agency is not None and ojt_agencies(user=user).filter(pk=agency.pk).exists()


# --- the national course -------------------------------------------------------------------------------


def national_course_key():
    """The translation key of the national course: the course of the trainers' certification programme.

    Cascade sessions teach that course (the training-of-trainers course built on the national manual),
    and plans and records name its module numbers. Without a programme, the first live course of the
    course index stands in.
    """
    key = CertificationProgramme.objects.order_by("pk").values_list("course_key", flat=True).first()
    if key is not None:
        return key
    return (
        CoursePage.objects.live()
        .filter(locale__language_code=SOURCE_LANGUAGE)
        .order_by("path")
        .values_list("translation_key", flat=True)
        .first()
    )


def national_modules(*, language: str | None = None) -> list[tuple[int, str]] | None:
    """The national course's modules as ``(number, title)`` in the language; None when there is no course."""
    key = national_course_key()
    if key is None:
        return None
    nav = course_nav(course_key=key, language=language or get_language())
    if nav is None:
        return None
    return sorted(((module.number, module.title) for module in nav.modules), key=lambda pair: pair[0])


# --- plans and records -----------------------------------------------------------------------------------


def plan_list(*, user, agency=None, year: int | None = None) -> QuerySet[TrainingPlan]:
    """The plans of the agencies ``user`` keeps, optionally of one agency and year."""
    plans = TrainingPlan.objects.filter(agency__in=ojt_agencies(user=user)).select_related("agency", "unit")
    if agency is not None:
        plans = plans.filter(agency=agency)
    if year is not None:
        plans = plans.filter(year=year)
    return plans


def plan_get(*, user, pk: int) -> TrainingPlan:
    """One plan ``user`` keeps; ``TrainingPlan.DoesNotExist`` otherwise."""
    return plan_list(user=user).get(pk=pk)


@dataclass(frozen=True)
class RecordFilters:
    """The filters of the records list (and of its exports), read from a query string."""

    agency: int | None = None
    year: int | None = None
    unit: int | None = None
    module: int | None = None
    search: str = ""

    @classmethod
    def from_query(cls, query) -> "RecordFilters":
        values = query_values(RecordFilterForm, query)
        return cls(
            agency=values.get("agency"), year=values.get("year"), unit=values.get("unit"),
            module=values.get("module"), search=values.get("q", "")[:100],
        )


class RecordFilterForm(forms.Form):
    """Parses the records list's query string: a year a date can have, ids, a module number, a search."""

    agency = IdField(required=False)
    year = forms.IntegerField(required=False, min_value=1, max_value=9999)
    unit = IdField(required=False)
    module = forms.IntegerField(required=False, min_value=1, max_value=INT_MAX)
    q = forms.CharField(required=False)


def record_list(*, user, filters: RecordFilters = RecordFilters()) -> QuerySet[OJTRecord]:
    """The OJT records of the agencies ``user`` keeps, filtered; newest first."""
    records = OJTRecord.objects.filter(agency__in=ojt_agencies(user=user)).select_related(
        "agency", "unit", "staff__profile"
    )
    if filters.agency is not None:
        records = records.filter(agency_id=filters.agency)
    if filters.year is not None:
        records = records.filter(date__year=filters.year)
    if filters.unit is not None:
        records = records.filter(unit_id=filters.unit)
    if filters.module is not None:
        records = records.filter(module=filters.module)
    if filters.search:
        term = filters.search
        records = records.filter(
            Q(staff__username__icontains=term)
            | Q(staff__first_name__icontains=term)
            | Q(staff__last_name__icontains=term)
            | Q(staff__email__icontains=term)
            | Q(topic__icontains=term)
        )
    return records.order_by("-date", "-pk")


def record_get(*, user, pk: int) -> OJTRecord:
    """One record ``user`` keeps; ``OJTRecord.DoesNotExist`` otherwise."""
    return record_list(user=user).get(pk=pk)


def unit_list(*, user, agency=None) -> QuerySet[TrainingUnit]:
    """The training units of the agencies ``user`` keeps (or of one of them)."""
    units = TrainingUnit.objects.filter(agency__in=ojt_agencies(user=user)).select_related("agency")
    if agency is not None:
        units = units.filter(agency=agency)
    return units.order_by("agency__code", "code")


def staff_list(*, user, agency=None) -> QuerySet[Profile]:
    """The people of the agencies ``user`` keeps, who OJT records can be written for."""
    profiles = Profile.objects.filter(agency__in=ojt_agencies(user=user), user__is_active=True)
    if agency is not None:
        profiles = profiles.filter(agency=agency)
    return profiles.select_related("user", "agency", "unit").order_by("user__last_name", "user__first_name", "user__username")
