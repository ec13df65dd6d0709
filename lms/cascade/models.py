"""Cascade trainings inside agencies.

A certified trainer schedules a ``CascadeSession`` inside their own agency: days with times, modules of
the curriculum, co-trainers, a capacity. The session moves draft → submitted → approved (or returned) →
delivered → reported, or is cancelled before delivery; every move is a ``SessionEvent``. Participants,
their attendance per day and the lead trainer's report hang off the session. On-the-job training plans
and records (towards which delivered sessions count) are ``lms.ojt``.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, PaperForm
from lms.people.models import Agency, Region, TrainingUnit

LANGUAGE_CHOICES = settings.LANGUAGES


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CascadeSession(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for approval")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved")
        DELIVERED = "delivered", _("Delivered")
        REPORTED = "reported", _("Reported")
        CANCELLED = "cancelled", _("Cancelled")

    class TestMode(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("On paper")

    title = models.CharField(_("title"), max_length=200)
    course_key = models.UUIDField(_("course"))
    # the module numbers of the course that the session covers, e.g. [1, 3, 4]
    modules = models.JSONField(_("modules"), default=list)
    lead_trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sessions_led", verbose_name=_("lead trainer")
    )
    co_trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="sessions_co_led", blank=True, verbose_name=_("co-trainers")
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("agency"))
    unit = models.ForeignKey(
        TrainingUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions", verbose_name=_("training unit")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions", verbose_name=_("region")
    )
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    venue = models.CharField(_("venue"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    test_mode = models.CharField(_("tests"), max_length=10, choices=TestMode.choices, default=TestMode.ONLINE)
    pre_test = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("pre-test")
    )
    post_test = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("post-test")
    )
    # completion rule: a participant completes with attendance on at least this share of the days (per cent)
    # and the post-test taken
    min_attendance = models.PositiveSmallIntegerField(
        _("attendance needed for completion (%)"), default=80,
        help_text=_("Share of the session's days a participant attends (present or late) to complete it."),
    )
    # the printed forms of the session's tests (paper mode), made from the session's tests page
    paper_forms = models.ManyToManyField(PaperForm, blank=True, related_name="+", verbose_name=_("paper forms"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    # first and last moment of the session's days (kept by the service, for calendars and overlaps)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cascade session")
        verbose_name_plural = _("cascade sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="cascade_session_capacity"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="cascade_session_order"),
            models.CheckConstraint(
                condition=Q(min_attendance__gte=1, min_attendance__lte=100), name="cascade_session_min_attendance"
            ),
        ]
        indexes = [models.Index(fields=["agency", "state", "starts_at"])]

    def __str__(self) -> str:
        return self.title


class SessionDay(models.Model):
    session = models.ForeignKey(CascadeSession, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"))
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("to"))

    class Meta:
        ordering = ["date", "starts"]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="cascade_day_order"),
            models.UniqueConstraint(fields=["session", "date"], name="cascade_day_once"),
        ]


class TrainerSlot(models.Model):
    """A trainer's half-hour booked by a session day: unique per trainer and half-hour, so the database
    itself refuses a second session at overlapping times (two bookings at once: one wins)."""

    trainer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(CascadeSession, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["trainer", "starts_at"], name="cascade_trainer_once")]


class SessionParticipant(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WAITLISTED = "waitlisted", _("On the waiting list")

    session = models.ForeignKey(CascadeSession, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="session_places")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ENROLLED)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        ordering = ["added_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="cascade_participant_once")]


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    participant = models.ForeignKey(SessionParticipant, on_delete=models.CASCADE, related_name="attendance")
    day = models.ForeignKey(SessionDay, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "day"], name="cascade_attendance_once")]


# present or late counts as attended: completion, the session's figures and attendance table, OJT progress
ATTENDED = (Attendance.Status.PRESENT, Attendance.Status.LATE)
# attendance is taken while a session is approved or delivered (each day from that day on:
# ``services.attendance_refusal``)
ATTENDANCE_OPEN = (CascadeSession.State.APPROVED, CascadeSession.State.DELIVERED)


class SessionEvent(models.Model):
    """The audit trail of a session: every change of state, who made it, when and why."""

    session = models.ForeignKey(CascadeSession, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20)
    from_state = models.CharField(_("from"), max_length=10, blank=True)
    to_state = models.CharField(_("to"), max_length=10, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at", "pk"]


class SessionReport(models.Model):
    """The lead trainer's report after delivery; the coordinator accepts it or sends it back."""

    session = models.OneToOneField(CascadeSession, on_delete=models.CASCADE, related_name="report")
    methods = models.TextField(_("methods used"))
    issues = models.TextField(_("issues met"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")


class CalendarFeed(models.Model):
    """A private iCalendar feed of a trainer's or an agency's sessions, behind an unguessable token.

    The token is the only key (calendar programs cannot log in); resetting it replaces the row's token,
    so the old address stops working at once.
    """

    token = models.CharField(max_length=64, unique=True, default=_new_token)
    trainer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_feed"
    )
    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_feed")
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(trainer__isnull=False, agency__isnull=True) | Q(trainer__isnull=True, agency__isnull=False),
                name="cascade_feed_one_owner",
            )
        ]
