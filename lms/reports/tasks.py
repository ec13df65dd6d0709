"""Background tasks (django-tasks) of the reports: the worker runs them; tests and the embedded default
run them at once."""

from django_tasks import task

from . import figures_cache


@task()
def recompute_figures(*, report: str, output: str, scope: str, filters: dict) -> bool:
    """Recompute one stale entry of the precomputed figures (``figures_cache``), for a scope ("all" or
    "agency-<pk>") and the filters' values: no reader is needed."""
    return figures_cache.recompute(report=report, output=output, scope=scope, filters=filters)
