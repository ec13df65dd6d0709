"""Agencies, regions, training units and the profile that ties a person to them.

Names of reference records are kept in one row with a column per language (``name_en``,
``name_ru``, ``name_tk``): an agency keeps one identity across languages, so reports pool the three
languages without joining translations, and fixtures stay portable through natural keys.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from content.i18n import localized_value

from .names import display_name


class LocalizedNameModel(models.Model):
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_tk = models.CharField(_("name (Turkmen)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return localized_value(self, "name")

    def __str__(self) -> str:
        return self.name


class AgencyManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Agency(LocalizedNameModel):
    """A state body whose staff are trained (GPO, MIA, …), or the bar."""

    class Kind(models.TextChoices):
        PROSECUTION = "prosecution", _("Prosecution")
        POLICE = "police", _("Police")
        SECURITY = "security", _("National security")
        MIGRATION = "migration", _("Migration")
        BORDER = "border", _("Border")
        CUSTOMS = "customs", _("Customs")
        JUSTICE = "justice", _("Justice")
        JUDICIARY = "judiciary", _("Judiciary")
        FOREIGN_AFFAIRS = "foreign_affairs", _("Foreign affairs")
        SOCIAL = "social", _("Social protection")
        OMBUDSMAN = "ombudsman", _("Human rights")
        BAR = "bar", _("Advocacy")
        OTHER = "other", _("Other")

    code = models.SlugField(_("short code"), max_length=12, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    is_active = models.BooleanField(_("active"), default=True)

    objects = AgencyManager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["code"]

    def natural_key(self):
        return (self.code,)


class RegionManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Region(LocalizedNameModel):
    """A velayat or the capital city, keyed by its ISO 3166-2:TM code."""

    code = models.CharField(_("ISO 3166-2 code"), max_length=6, unique=True)

    objects = RegionManager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__startswith="TM-"), name="people_region_code_iso_tm"
            )
        ]

    def natural_key(self):
        return (self.code,)


class TrainingUnitManager(models.Manager):
    def get_by_natural_key(self, agency_code, code):
        return self.get(agency__code=agency_code, code=code)


class TrainingUnit(LocalizedNameModel):
    """An agency's training unit, national or for one region."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="units", verbose_name=_("agency")
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("region"),
    )
    code = models.SlugField(_("code"), max_length=30)

    objects = TrainingUnitManager()

    class Meta:
        verbose_name = _("training unit")
        verbose_name_plural = _("training units")
        ordering = ["agency__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="people_unit_code_per_agency")
        ]

    def natural_key(self):
        return (self.agency.code, self.code)

    natural_key.dependencies = ["people.agency"]


class Profile(models.Model):
    """What the LMS knows about a person beyond their login."""

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("agency"),
    )
    unit = models.ForeignKey(
        TrainingUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("unit"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("region"),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default=settings.DEFAULT_USER_LANGUAGE,
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=True) | Q(agency__isnull=False),
                name="people_profile_unit_needs_agency",
            ),
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="people_profile_language_known",
            ),
        ]

    def __str__(self) -> str:
        return display_name(self.user)
