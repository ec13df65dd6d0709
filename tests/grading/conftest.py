"""Shared helpers of the grading and paper-mode tests."""

from datetime import timedelta

from django.utils import timezone

from lms.cascade.models import CascadeSession, SessionParticipant
from tests.factories import CascadeSessionFactory


def taught(trainer, *learners, state=CascadeSession.State.DELIVERED, status=SessionParticipant.Status.ENROLLED):
    """A session of ``trainer``'s agency that they lead, with ``learners`` on its roster (set up directly)."""
    start = timezone.now() - timedelta(days=1)
    return CascadeSessionFactory(
        lead_trainer=trainer, state=state, starts_at=start, ends_at=start + timedelta(hours=8), make_days=False,
        participants=learners, participants__status=status,
    )
