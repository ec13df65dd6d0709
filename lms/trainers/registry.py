"""The registry of trainers: who is certified to teach what, where, and what they have delivered since.

Reads only, scoped like the rest of the app: programme managers see every trainer, a training
coordinator the trainers of their own agency (``Profile.agency``), anyone else nobody. A trainer is a
person with a certification past candidacy; a certification whose validity has ended counts as expired
even before the nightly job records it (``effective_status``). Delivery figures come from
``delivery.deliveries`` in one call for every row, so a page costs the same number of queries for two
trainers as for two hundred.
"""

from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content.bounds import INT_MAX, IdField, query_values
from content.spreadsheets import Sheet
from courses.selectors import course_nav
from lms.people import selectors as people_selectors
from lms.people.models import Agency, Profile, Region
from lms.people.names import display_name
from lms.people.roles import Role

from . import delivery
from .models import Certification, CertificationEvent, CertificationProgramme

Status = Certification.Status

# the statuses the registry filters by (candidates are not trainers yet)
REGISTRY_STATUSES = (Status.CERTIFIED, Status.EXPIRED, Status.SUSPENDED, Status.REVOKED)

# the columns of the table and of the XLSX download, in order
REGISTRY_COLUMNS = (
    ("name", _("Name")),
    ("agency", _("Agency")),
    ("region", _("Region")),
    ("programme", _("Programme")),
    ("status", _("Status")),
    ("number", _("Certificate number")),
    ("certified_on", _("Certified on")),
    ("valid_until", _("Valid until")),
    ("modules", _("Modules")),
    ("sessions_delivered", _("Sessions delivered")),
    ("participants", _("Participants reached")),
    ("mean_gain", _("Mean gain")),
)


def effective_status(*, certification: Certification, on: date | None = None) -> str:
    """Return the status as it stands on ``on`` (today): certified past its validity reads as expired."""
    return certification.status_on(on or timezone.localdate())


def _profile(user) -> Profile | None:
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


@dataclass
class RegistryRow:
    """One certification in the registry with what its holder delivered (all time)."""

    certification: Certification
    status: str
    delivered: delivery.Delivery

    @property
    def user(self):
        return self.certification.user

    @property
    def name(self) -> str:
        return display_name(self.user)

    @property
    def profile(self) -> Profile | None:
        return _profile(self.user)

    @property
    def agency(self) -> Agency | None:
        profile = self.profile
        return (profile.agency if profile else None) or self.certification.agency

    @property
    def region(self) -> Region | None:
        profile = self.profile
        return profile.region if profile else None

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def modules(self) -> list[int]:
        return list(self.certification.programme.modules or [])

    @property
    def sessions_delivered(self) -> int:
        return self.delivered.sessions_led + self.delivered.sessions_co_facilitated


def registry_allowed(*, user) -> bool:
    """Programme managers and training coordinators may read the registry."""
    return people_selectors.agency_scope(user=user).all or people_selectors.user_has_role(
        user=user, role=Role.COORDINATOR
    )


def _scoped(*, actor) -> QuerySet[Certification]:
    """Certifications past candidacy whose holder the actor may see."""
    queryset = Certification.objects.select_related(
        "user", "user__profile", "user__profile__agency", "user__profile__region", "programme", "cohort", "agency"
    )
    return queryset.filter(people_selectors.agency_scope(user=actor).q("user__profile__agency"))


def _status_q(status: str, *, on: date) -> Q | None:
    if status == Status.CERTIFIED:
        return Q(status=Status.CERTIFIED, valid_until__gte=on)
    if status == Status.EXPIRED:
        return Q(status=Status.EXPIRED) | Q(status=Status.CERTIFIED, valid_until__lt=on)
    if status in (Status.SUSPENDED, Status.REVOKED):
        return Q(status=status)
    return None


def trainer_registry(
    *,
    actor,
    agency: int | None = None,
    region: int | None = None,
    language: str | None = None,
    status: str | None = None,
    module: int | None = None,
) -> list[RegistryRow]:
    """Return the registry rows the actor may see, filtered, with delivery figures, by name.

    ``agency`` and ``region`` are ids (of the holder's profile), ``language`` the cohort's or the
    profile's language, ``status`` one of ``REGISTRY_STATUSES`` (an unknown value matches nothing),
    ``module`` a module number the programme lets its trainers teach.
    """
    today = timezone.localdate()
    queryset = _scoped(actor=actor).exclude(status=Status.CANDIDATE)
    if agency:
        queryset = queryset.filter(user__profile__agency_id=agency)
    if region:
        queryset = queryset.filter(user__profile__region_id=region)
    if language:
        queryset = queryset.filter(Q(cohort__language=language) | Q(user__profile__language=language))
    if status:
        condition = _status_q(status, on=today)
        queryset = queryset.filter(condition) if condition is not None else queryset.none()
    if module is not None:
        # a handful of programmes: read their module lists rather than query inside JSON (SQLite and PostgreSQL alike)
        programmes = [
            programme.pk
            for programme in CertificationProgramme.objects.only("pk", "modules")
            if module in (programme.modules or [])
        ]
        queryset = queryset.filter(programme__in=programmes)
    certifications = list(
        queryset.order_by("user__last_name", "user__first_name", "user__username", "programme__code")
    )
    delivered = delivery.deliveries(user_ids=sorted({c.user_id for c in certifications}))
    return [
        RegistryRow(certification=c, status=effective_status(certification=c, on=today), delivered=delivered[c.user_id])
        for c in certifications
    ]


# --- the filter form -----------------------------------------------------------------------------------


class RegistryFilterForm(forms.Form):
    """Parses the registry's query string (the values are checked before any query)."""

    agency = IdField(required=False)
    region = IdField(required=False)
    language = forms.ChoiceField(choices=settings.LANGUAGES, required=False)
    status = forms.ChoiceField(choices=[(status.value, status.label) for status in REGISTRY_STATUSES], required=False)
    module = forms.IntegerField(required=False, min_value=1, max_value=INT_MAX)


@dataclass
class RegistryFilters:
    """The registry's filters read from a query string; values that cannot be right are dropped."""

    agency: int | None = None
    region: int | None = None
    language: str | None = None
    status: str | None = None
    module: int | None = None

    @classmethod
    def from_query(cls, query) -> "RegistryFilters":
        values = query_values(RegistryFilterForm, query)
        return cls(**{name: values.get(name) for name in RegistryFilterForm.base_fields})

    def as_kwargs(self) -> dict:
        return {
            "agency": self.agency,
            "region": self.region,
            "language": self.language,
            "status": self.status,
            "module": self.module,
        }


def registry_choices(*, actor) -> dict:
    """What the filters offer: the agencies the actor may see, regions, languages, statuses and modules."""
    return {
        "agencies": list(people_selectors.managed_agency_list(actor=actor).order_by("code")),
        "regions": people_selectors.region_list(),
        "languages": list(settings.LANGUAGES),
        "statuses": [(status.value, status.label) for status in REGISTRY_STATUSES],
        "modules": module_choices(),
    }


def module_choices() -> list[tuple[int, str]]:
    """The modules the programmes certify, as ``(number, "number. title")`` with the title in the reader's
    language from the programme's course (the cached course navigation); "Module n" where no course page
    has that number."""
    modules, titles = set(), {}
    for programme in CertificationProgramme.objects.only("modules", "course_key"):
        numbers = {number for number in programme.modules or [] if isinstance(number, int)}
        modules |= numbers
        nav = course_nav(course_key=programme.course_key) if programme.course_key and numbers - set(titles) else None
        for module in getattr(nav, "modules", []):
            titles.setdefault(module.number, module.title)
    return [
        (number, f"{number}. {titles[number]}" if number in titles else str(_("Module %(number)s") % {"number": number}))
        for number in sorted(modules)
    ]


# --- one trainer ---------------------------------------------------------------------------------------


@dataclass
class TrainerCertification:
    certification: Certification
    status: str
    events: list[CertificationEvent] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)


@dataclass
class TrainerProfile:
    """A trainer as the registry shows them: the person, their certifications and what they delivered."""

    user: object
    profile: Profile | None
    certifications: list[TrainerCertification]
    delivered: delivery.Delivery

    @property
    def name(self) -> str:
        return display_name(self.user)

    @property
    def sessions_delivered(self) -> int:
        return self.delivered.sessions_led + self.delivered.sessions_co_facilitated


def trainer_profile(*, actor, user_id: int) -> TrainerProfile:
    """Return one trainer the actor may see; ``Certification.DoesNotExist`` if none (or not a trainer).

    Every certification of the person is listed, with its history, candidacies in other programmes too.
    """
    today = timezone.localdate()
    certifications = list(
        _scoped(actor=actor)
        .filter(user_id=user_id)
        .select_related("user__profile__unit")
        .prefetch_related(Prefetch("events", queryset=CertificationEvent.objects.select_related("actor")))
        .order_by("programme__code")
    )
    if not any(c.status != Status.CANDIDATE for c in certifications):
        raise Certification.DoesNotExist
    user = certifications[0].user
    return TrainerProfile(
        user=user,
        profile=_profile(user),
        certifications=[
            TrainerCertification(
                certification=c, status=effective_status(certification=c, on=today), events=list(c.events.all())
            )
            for c in certifications
        ],
        delivered=delivery.deliveries(user_ids=[user.pk])[user.pk],
    )


REGISTRY_WIDE_COLUMNS = ("name", "agency", "programme")


def registry_sheet(rows) -> Sheet:
    """The registry as one sheet of the shared writer: the translated headers, then a row per certification;
    dates as Excel dates, figures as numbers."""

    def cells(row):
        certification = row.certification
        return [
            row.name,
            row.agency.name if row.agency else "",
            row.region.name if row.region else "",
            certification.programme.name,
            row.status_label,
            certification.number or "",
            certification.certified_on,
            certification.valid_until,
            ", ".join(str(number) for number in row.modules),
            row.sessions_delivered,
            row.delivered.participants,
            round(row.delivered.mean_gain, 2) if row.delivered.mean_gain is not None else None,
        ]

    return Sheet(
        title=str(_("Trainer registry")),
        header=[str(label) for _key, label in REGISTRY_COLUMNS],
        rows=(cells(row) for row in rows),
        widths=[30 if key in REGISTRY_WIDE_COLUMNS else 16 for key, _label in REGISTRY_COLUMNS],
    )
