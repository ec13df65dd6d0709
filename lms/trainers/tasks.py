"""Background tasks (django-tasks): the worker runs them; tests and the embedded default run them at once."""

from django_tasks import task

from . import services


@task()
def certifications_daily() -> dict:
    """Expire certifications past their validity and send expiry reminders (see services.daily_run)."""
    return services.daily_run()
