"""The pool of certified trainers: ToT cohorts, the certification programme and its rules, practice-teaching
evaluations, certifications with their audit history, and certificates that anyone can verify.

A person's standing in a programme is one ``Certification`` row from nomination on: its status moves
candidate → certified → expired / suspended / revoked (and back by reinstatement or recertification), and
every move is a ``CertificationEvent``. Requirements are not stored: ``selectors.requirement_list``
computes them from the records (course completion, test attempts, evaluations, delivered sessions).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment
from content.i18n import localized_value
from lms.people.models import Agency, LocalizedNameModel, Region
from lms.people.names import display_name

LANGUAGE_CHOICES = settings.LANGUAGES


class CertificationProgramme(LocalizedNameModel):
    """What it takes to become, and to stay, a certified trainer of a curriculum.

    ``modules`` is a JSON list of the module numbers of the ToT course that certified trainers may
    teach, e.g. ``[1, 2, 3, 4, 5, 6, 7, 8]``.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    course_key = models.UUIDField(_("ToT course"), help_text=_("The course a candidate has to complete."))
    modules = models.JSONField(_("modules certified trainers may teach"), default=list, blank=True)
    evaluation_threshold = models.DecimalField(
        _("practice teaching: mean score needed"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("3.50"),
        help_text=_("Each criterion is scored from 1 to 5; the mean must reach this."),
    )
    evaluation_minimum = models.PositiveSmallIntegerField(
        _("practice teaching: lowest score allowed on a criterion"), default=2
    )
    requires_co_facilitation = models.BooleanField(
        _("co-facilitation of a cascade session required"), default=False
    )
    validity_months = models.PositiveSmallIntegerField(_("validity (months)"), default=24)
    recert_sessions = models.PositiveSmallIntegerField(
        _("recertification: cascade sessions to deliver in the period"), default=2
    )
    recert_min_gain = models.DecimalField(
        _("recertification: participants' mean normalised gain needed"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.30"),
    )
    refresher_course_key = models.UUIDField(_("refresher course"), null=True, blank=True)
    refresher_test = models.ForeignKey(
        Assessment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("refresher test"),
    )

    class Meta:
        verbose_name = _("certification programme")
        verbose_name_plural = _("certification programmes")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(evaluation_threshold__gte=1, evaluation_threshold__lte=5),
                name="trainers_programme_threshold_1_5",
            ),
            models.CheckConstraint(
                condition=Q(evaluation_minimum__gte=1, evaluation_minimum__lte=5),
                name="trainers_programme_minimum_1_5",
            ),
            models.CheckConstraint(condition=Q(validity_months__gte=1), name="trainers_programme_validity"),
        ]


class ToTCohort(models.Model):
    """One training of trainers: candidates, dates, venue, master trainers and the tests they sat."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    programme = models.ForeignKey(
        CertificationProgramme, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("programme")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    master_trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="cohorts_led", blank=True, verbose_name=_("master trainers")
    )
    pre_test = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("pre-test")
    )
    post_test = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("post-test")
    )

    class Meta:
        verbose_name = _("ToT cohort")
        verbose_name_plural = _("ToT cohorts")
        ordering = ["-starts_on", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="trainers_cohort_dates"),
        ]

    def __str__(self) -> str:
        return self.title


class Certification(models.Model):
    """A person's standing in a programme, from nomination to certification and after."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        CERTIFIED = "certified", _("Certified")
        EXPIRED = "expired", _("Expired")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certifications", verbose_name=_("person")
    )
    programme = models.ForeignKey(
        CertificationProgramme, on_delete=models.PROTECT, related_name="certifications", verbose_name=_("programme")
    )
    cohort = models.ForeignKey(
        ToTCohort,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidates",
        verbose_name=_("ToT cohort"),
    )
    # the agency that nominated the candidate (their agency at the time)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("agency")
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    nominated_at = models.DateTimeField(_("nominated"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CANDIDATE)
    number = models.CharField(_("certificate number"), max_length=30, unique=True, null=True, blank=True)
    # printed in the QR code and the verification address; unguessable (secrets.token_urlsafe)
    code = models.CharField(_("verification code"), max_length=40, unique=True, null=True, blank=True)
    certified_on = models.DateField(_("certified on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status_reason = models.TextField(_("reason of the last change"), blank=True)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "programme"], name="trainers_one_certification_per_programme"),
            models.CheckConstraint(
                condition=Q(status="candidate")
                | Q(number__isnull=False, code__isnull=False, certified_on__isnull=False, valid_until__isnull=False),
                name="trainers_certified_has_number_and_validity",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("certified_on")),
                name="trainers_validity_after_certification",
            ),
        ]
        indexes = [models.Index(fields=["status", "valid_until"])]

    def __str__(self) -> str:
        return f"{display_name(self.user)} — {self.programme}"

    def status_on(self, day) -> str:
        """The status as it stands on ``day``: certified past its validity reads as expired already,
        before the daily job records it."""
        if self.status == self.Status.CERTIFIED and self.valid_until is not None and self.valid_until < day:
            return self.Status.EXPIRED
        return self.status


class CertificationEvent(models.Model):
    """The audit trail of a certification: who did what, when and why (never edited)."""

    class Action(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        EVALUATED = "evaluated", _("Practice teaching evaluated")
        CERTIFIED = "certified", _("Certified")
        RECERTIFIED = "recertified", _("Recertified")
        EXPIRED = "expired", _("Expired")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")
        REINSTATED = "reinstated", _("Reinstated")
        REMINDED = "reminded", _("Expiry reminder sent")

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=10, blank=True)
    to_status = models.CharField(_("to"), max_length=10, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)
    # what the decision rested on, e.g. {"valid_until": "2028-11-23", "requirements": {"course": true, …}}
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("certification event")
        ordering = ["at", "pk"]


EVALUATION_CRITERIA = (
    "content_accuracy",
    "victim_centred_language",
    "facilitation",
    "time_management",
    "use_of_manual",
)


class PracticeTeachingEvaluation(models.Model):
    """A master trainer's rubric of a candidate's practice-teaching session (each criterion 1–5)."""

    CRITERIA = EVALUATION_CRITERIA

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="evaluations")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("evaluator")
    )
    taught_on = models.DateField(_("taught on"))
    topic = models.CharField(_("topic taught"), max_length=200)
    content_accuracy = models.PositiveSmallIntegerField(_("content accuracy"))
    victim_centred_language = models.PositiveSmallIntegerField(_("victim-centred language"))
    facilitation = models.PositiveSmallIntegerField(_("facilitation and interaction"))
    time_management = models.PositiveSmallIntegerField(_("time management"))
    use_of_manual = models.PositiveSmallIntegerField(_("use of the manual"))
    feedback = models.TextField(_("written feedback"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("practice-teaching evaluation")
        ordering = ["-taught_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}), name=f"trainers_evaluation_{name}_1_5"
            )
            for name in EVALUATION_CRITERIA
        ]

    @property
    def scores(self) -> dict:
        return {name: getattr(self, name) for name in self.CRITERIA}

    @property
    def mean(self) -> Decimal:
        return (Decimal(sum(self.scores.values())) / len(self.CRITERIA)).quantize(Decimal("0.01"))


class ExpiryReminder(models.Model):
    """A reminder sent before a validity ends: one per certification, validity end and lead time."""

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="reminders")
    valid_until = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "valid_until", "days_before"], name="trainers_reminder_once"
            )
        ]


class CompletionCertificate(models.Model):
    """A participant's certificate of completion of a course (or, later, of a cascade session).

    The title is kept as issued, in the three languages, so the certificate reads the same after the
    course is renamed. ``session_id`` is filled by the cascade app for session certificates.
    """

    class Kind(models.TextChoices):
        COURSE = "course", _("Course")
        SESSION = "session", _("Cascade session")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="completion_certificates"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.COURSE)
    course_key = models.UUIDField(null=True, blank=True)
    session_id = models.PositiveIntegerField(null=True, blank=True)
    title_en = models.CharField(max_length=300)
    title_ru = models.CharField(max_length=300, blank=True)
    title_tk = models.CharField(max_length=300, blank=True)
    number = models.CharField(_("certificate number"), max_length=30, unique=True)
    code = models.CharField(_("verification code"), max_length=40, unique=True)
    issued_on = models.DateField(_("issued on"))
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("certificate of completion")
        verbose_name_plural = _("certificates of completion")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_key"], condition=Q(kind="course"), name="trainers_one_course_certificate"
            ),
            models.UniqueConstraint(
                fields=["user", "session_id"], condition=Q(kind="session"), name="trainers_one_session_certificate"
            ),
        ]

    @property
    def title(self) -> str:
        return localized_value(self, "title")
