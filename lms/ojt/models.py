"""On-the-job training of agency training units: an annual ``TrainingPlan`` per agency (or unit) and the
``OJTRecord`` rows of staff trained on the job; delivered cascade sessions count towards the plan
(``progress``).

The models moved here from ``lms.cascade``: they keep its tables and constraint names (``db_table``), so the
move changed no row (migrations ``cascade.0003`` and ``ojt.0001``, state only).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lms.people.models import Agency, TrainingUnit


class TrainingPlan(models.Model):
    """An agency's annual plan of on-the-job training, for the whole agency or one of its units.

    Targets are counts for the year; ``modules`` are the curriculum modules (numbers of the national
    course) the plan means to cover. Delivered cascade sessions and OJT records count towards it.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="training_plans", verbose_name=_("agency"))
    unit = models.ForeignKey(
        TrainingUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="training_plans",
        verbose_name=_("training unit"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    target_sessions = models.PositiveIntegerField(_("sessions"), default=0)
    target_staff = models.PositiveIntegerField(_("staff trained"), default=0)
    target_hours = models.PositiveIntegerField(_("training hours"), default=0)
    modules = models.JSONField(_("topics (modules)"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")
        ordering = ["-year", "agency", "unit"]
        db_table = "cascade_trainingplan"  # the table of lms.cascade, where the model lived first
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year"], condition=Q(unit__isnull=True), name="cascade_plan_once_per_agency"
            ),
            models.UniqueConstraint(
                fields=["agency", "year", "unit"], condition=Q(unit__isnull=False), name="cascade_plan_once_per_unit"
            ),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="cascade_plan_year"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"


class OJTRecord(models.Model):
    """One piece of on-the-job training of a staff member: topic, date, hours, who taught, the evidence."""

    class Source(models.TextChoices):
        ENTERED = "entered", _("Entered")
        IMPORTED = "imported", _("Imported")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="ojt_records", verbose_name=_("agency"))
    unit = models.ForeignKey(
        TrainingUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="ojt_records",
        verbose_name=_("training unit"),
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ojt_records", verbose_name=_("staff member")
    )
    topic = models.CharField(_("topic"), max_length=200)
    module = models.PositiveSmallIntegerField(_("module"), null=True, blank=True)
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    instructor = models.CharField(_("instructor or mentor"), max_length=200)
    evidence = models.TextField(_("evidence"), blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ENTERED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("on-the-job training record")
        verbose_name_plural = _("on-the-job training records")
        ordering = ["-date", "pk"]
        db_table = "cascade_ojtrecord"  # the table of lms.cascade, where the model lived first
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0, hours__lte=24), name="cascade_ojt_hours"),
        ]
        indexes = [models.Index(fields=["agency", "date"], name="cascade_ojt_agency__ec64e7_idx")]

    def __str__(self) -> str:
        return f"{self.topic} ({self.date})"
