"""Precomputed figures of the reports, reused until the results change.

The knowledge-gain figures take seconds at national volume, so they are kept in the cache under
(report, output, scope, filters): the scope is what ``selectors.scoped_attempts`` reads, "all" for those
who see every agency and "agency-<pk>" for a coordinator, so two scopes never share an entry. An entry is
``(computed_at, generation, figures)``; the generation is ``assessments.results_generation``'s counter,
bumped by the services that change the results.

Reading (``figures_for``): an entry of the current generation is used as it is; one of an older
generation is used too (the page says "Figures as of …") and a recompute of that key is queued (one at a
time per key); without an entry the figures are computed at once and stored.
``rebuild`` computes an entry without a reader (the task and ``manage.py rebuild_report_figures``).
"""

import hashlib
import logging
from dataclasses import asdict, dataclass
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

from assessments import results_generation
from lms.people import selectors as people_selectors
from lms.people.models import Agency

from . import gain, selectors

logger = logging.getLogger(__name__)

REPORTS = {"knowledge_gain": gain.figures}
# the outputs worth keeping (the CSV reads the learners' pairs only: it is cheap, and read live)
OUTPUTS = ("page", "xlsx")
ALL = "all"
TIMEOUT = 60 * 60 * 24 * 14
# a recompute that died leaves its lock: another may start after this long
RECOMPUTE_LOCK_TIMEOUT = 60 * 30


@dataclass(frozen=True)
class Figures:
    figures: dict
    computed_at: datetime
    cached: bool  # read from the cache (the page says when they were computed)
    stale: bool  # of an older generation: a recompute was queued


def scope_token(scope: people_selectors.AgencyScope) -> str:
    if scope.all:
        return ALL
    if scope.own is None:
        return "none"
    return f"agency-{scope.own.pk}"


def scope_from_token(token: str) -> people_selectors.AgencyScope | None:
    """The scope a token names; None when it names nothing any more (an agency deleted)."""
    if token == ALL:
        return people_selectors.AgencyScope(all=True)
    if token.startswith("agency-") and token[7:].isdigit():
        agency = Agency.objects.filter(pk=int(token[7:])).first()
        return people_selectors.AgencyScope(own=agency) if agency is not None else None
    return None


def filters_token(filters: selectors.Filters) -> str:
    """The filters in one canonical form (names in a fixed order, empty ones left out), hashed."""
    canonical = "&".join(
        f"{name}={getattr(filters, name)}" for name in selectors.FILTERS if getattr(filters, name)
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def entry_key(*, report: str, output: str, scope: str, filters: selectors.Filters) -> str:
    return f"reports:figures:{report}:{output}:{scope}:{filters_token(filters)}"


def rebuild(*, report: str, output: str, scope: str, filters: selectors.Filters) -> Figures | None:
    """Compute the figures of ``scope`` and store them; None when the scope names nothing any more."""
    agency_scope = scope_from_token(scope)
    if agency_scope is None or report not in REPORTS or output not in OUTPUTS:
        return None
    # read before computing: a change made meanwhile leaves the entry stale, never wrongly fresh
    generation = results_generation.current()
    computed_at = timezone.now()
    attempts = selectors.scoped_attempts(filters=filters, scope=agency_scope)
    figures = REPORTS[report](attempts=attempts, filters=filters, output=output)
    cache.set(entry_key(report=report, output=output, scope=scope, filters=filters),
              (computed_at, generation, figures), TIMEOUT)
    return Figures(figures=figures, computed_at=computed_at, cached=False, stale=False)


def figures_for(*, user, filters: selectors.Filters, output: str, report: str = "knowledge_gain") -> Figures:
    """The figures ``user`` may see, from the cache when there (see the module's docstring)."""
    scope = scope_token(people_selectors.agency_scope(user=user))
    if scope == "none":  # nothing to see: computed (empty), never kept
        attempts = selectors.scoped_attempts(user=user, filters=filters)
        return Figures(REPORTS[report](attempts=attempts, filters=filters, output=output), timezone.now(), False, False)
    key = entry_key(report=report, output=output, scope=scope, filters=filters)
    entry = cache.get(key)
    if entry is None:
        return rebuild(report=report, output=output, scope=scope, filters=filters)
    computed_at, generation, figures = entry
    stale = generation != results_generation.current()
    if stale:
        _queue(key=key, report=report, output=output, scope=scope, filters=filters)
    return Figures(figures=figures, computed_at=computed_at, cached=True, stale=stale)


def lock_key(key: str) -> str:
    return f"{key}:recomputing"


def _queue(*, key, report, output, scope, filters) -> None:
    # one recompute per key at a time: the first reader of a stale entry queues it
    if not cache.add(lock_key(key), 1, RECOMPUTE_LOCK_TIMEOUT):
        return
    from .tasks import recompute_figures  # the task module imports this one

    try:
        recompute_figures.enqueue(report=report, output=output, scope=scope, filters=asdict(filters))
    except Exception:  # the page still has its (older) figures; the next reader tries again
        cache.delete(lock_key(key))
        logger.exception("could not queue a recompute of %s", key)


def recompute(*, report: str, output: str, scope: str, filters: dict) -> bool:
    """The task's work: rebuild one entry and free its lock. True when stored."""
    filters = selectors.Filters(**{name: str(filters.get(name) or "") for name in selectors.FILTERS})
    try:
        return rebuild(report=report, output=output, scope=scope, filters=filters) is not None
    finally:
        cache.delete(lock_key(entry_key(report=report, output=output, scope=scope, filters=filters)))


def rebuild_all(*, report: str = "knowledge_gain", output: str = "page") -> list[str]:
    """Store the unfiltered figures of the national scope and of each agency's; the scopes rebuilt."""
    scopes = [ALL, *(f"agency-{pk}" for pk in Agency.objects.order_by("pk").values_list("pk", flat=True))]
    for scope in scopes:
        rebuild(report=report, output=output, scope=scope, filters=selectors.Filters())
    return scopes
