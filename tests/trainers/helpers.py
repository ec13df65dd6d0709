"""Shared helpers of the trainer tests (certifications and the programme's names)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from uuid import uuid4

from django.utils import timezone

from assessments.models import Attempt
from lms.trainers.models import Certification

TODAY = timezone.localdate()
TURKMEN_PROGRAMME = "Adam söwdasyna garşy göreş boýunça tälimçileri taýýarlamak"
LONG_RUSSIAN_PROGRAMME = (
    "Подготовка национальных тренеров по противодействию торговле людьми для сотрудников "
    "правоохранительных органов, прокуратуры, судов, миграционной и пограничной служб"
)


def make_certification(user, programme, *, status="certified", number="TOT-2025-0001", code="Tk-code_0001", **dates):
    if status == "candidate":
        return Certification.objects.create(user=user, programme=programme, agency=user.profile.agency)
    return Certification.objects.create(
        user=user,
        programme=programme,
        agency=user.profile.agency,
        status=status,
        number=number,
        code=code,
        certified_on=dates.get("certified_on", TODAY - timedelta(days=100)),
        valid_until=dates.get("valid_until", TODAY + timedelta(days=600)),
    )


def submitted_attempt(user, test, *, score, passed, on):
    """A submitted attempt at noon of the day ``on`` (a date, not the clock, so the periods the checks use
    do not move with the run), scored out of 10."""
    when = timezone.make_aware(datetime.combine(on, time(12)))
    return Attempt.objects.create(
        assessment=test, user=user, number=Attempt.objects.filter(user=user, assessment=test).count() + 1,
        state=Attempt.State.SUBMITTED, language="tk", started_at=when, submitted_at=when,
        score=Decimal(score), max_score=Decimal(10), passed=passed,
    )


_numbers = iter(range(1, 10_000))


def certify(user, programme, *, status=Certification.Status.CERTIFIED, valid_until=None, cohort=None, **fields):
    """A certification straight in the table (the services that grant it are tested elsewhere)."""
    if status == Certification.Status.CANDIDATE:
        return Certification.objects.create(user=user, programme=programme, cohort=cohort, **fields)
    number = next(_numbers)
    return Certification.objects.create(
        user=user,
        programme=programme,
        cohort=cohort,
        agency=user.profile.agency,
        status=status,
        number=f"TOT-{number:04d}",
        code=f"verify-{number}-{uuid4().hex[:20]}",
        certified_on=date.today() - timedelta(days=100),
        valid_until=valid_until or date.today() + timedelta(days=600),
        **fields,
    )
