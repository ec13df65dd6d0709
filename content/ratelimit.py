"""A per-minute request budget kept in the shared cache (Redis in production, so it holds across workers)."""

import time

from django.core.cache import cache


def minute_budget_spent(key: str, *, limit: int) -> bool:
    """Count one request under ``key`` for the current minute; True when ``limit`` were already counted."""
    key = f"{key}:{int(time.time() // 60)}"
    # add + incr: atomic in Redis, so two app servers counting at once never lose a request
    cache.add(key, 0, 90)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired between the two calls
        cache.set(key, 1, 90)
        count = 1
    return count > limit
