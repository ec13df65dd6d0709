"""The generation of the results: a counter in the cache, bumped whenever the data of the results
reports change (an attempt submitted, graded or regraded, paper results entered, a cascade session's
participants, attendance or state). The reports keep their precomputed figures under the generation they
were computed at (``lms.reports.figures_cache``): an older one is stale.

The bump is made when the transaction commits, so a recompute started by it reads the new rows.
"""

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "results:generation"


def current() -> int:
    """The current generation (1 when the cache has none: a new cache makes every entry stale)."""
    return cache.get_or_set(GENERATION_KEY, 1, None)


def _incr() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not in the cache (evicted, a new cache): any other value makes entries stale
        cache.set(GENERATION_KEY, 2, None)


def bump() -> None:
    """Mark every precomputed figure as stale, once the current transaction commits."""
    transaction.on_commit(_incr)
