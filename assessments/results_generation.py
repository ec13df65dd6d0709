"""The generation of the results: a counter in the cache, bumped whenever the data of the results
reports change (an attempt submitted, graded or regraded, paper results entered, a cascade session's
participants, attendance or state). The reports keep their precomputed figures under the generation they
were computed at (``lms.reports.figures_cache``): an older one is stale.

The bump is made when the transaction commits, so a recompute started by it reads the new rows.
"""

import time

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "results:generation"


def _fresh() -> int:
    # a counter that lost its key starts again from the clock, never from a value it had before (an entry
    # computed under generation 1 must not turn fresh again because the key was evicted and restarted at 1)
    return time.time_ns()


def current() -> int:
    """The current generation (started from the clock when the cache has none: every entry is stale)."""
    return cache.get_or_set(GENERATION_KEY, _fresh, None)


def _incr() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not in the cache (evicted, a new cache): a new value makes every entry stale
        cache.set(GENERATION_KEY, _fresh(), None)


def bump() -> None:
    """Mark every precomputed figure as stale, once the current transaction commits."""
    transaction.on_commit(_incr)
