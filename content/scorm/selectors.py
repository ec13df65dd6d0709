"""Reads of SCORM data for the editors' screens."""

from ..models import ScormAttempt

MAX_ROWS = 500


def scorm_attempt_list(*, package=None, limit: int = MAX_ROWS) -> list[dict]:
    """The latest attempts (of one package, or of all), newest first, with the SCO's title and the learner."""
    attempts = ScormAttempt.objects.select_related("user", "package").order_by("-updated_at")
    if package is not None:
        attempts = attempts.filter(package=package)
    rows = []
    for attempt in attempts[:limit]:
        titles = {sco["identifier"]: sco["title"] for sco in attempt.package.scos or []}
        user = attempt.user
        rows.append({
            "attempt": attempt,
            "learner": (user.get_full_name() or "").strip() or user.get_username(),
            "sco_title": titles.get(attempt.sco, attempt.sco),
            "status": attempt.lesson_status or " / ".join(
                value for value in (attempt.completion_status, attempt.success_status) if value
            ),
        })
    return rows
