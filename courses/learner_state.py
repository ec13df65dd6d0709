"""Versions of what a learner's dashboard shows, so that it can be kept in the cache and forgotten on change.

The dashboard's learning sections (courses, tests, sessions one takes part in, certificates) are read by
several apps; each of their writes says "this learner changed" (``learner_changed(user_id)``) or, for
something many learners see (a test, a cascade session), "every learner changed" (``learners_changed()``).
Most of them come from model signals (``lms.dashboard.register_dashboard_signals``); the few writes that
bypass signals (a queryset ``update``, a ``bulk_create``) call these functions themselves.

A version is a fresh number, never a counter that restarts: a version key the cache evicted comes back
as a new value, so an entry stored under the old one can never be read again.
"""

import time

from django.core.cache import cache

ALL_KEY = "courses:learners-version"
VERSION_TIMEOUT = 60 * 60 * 24 * 30


def _user_key(user_id) -> str:
    return f"courses:learner-version:{user_id}"


def _fresh() -> int:
    return time.time_ns()


def learner_version(user_id) -> str:
    """The version of ``user_id``'s dashboard data: every learner's part, then their own (two cache reads)."""
    versions = cache.get_many([ALL_KEY, _user_key(user_id)])
    shared, own = versions.get(ALL_KEY), versions.get(_user_key(user_id))
    if shared is None:
        shared = _fresh()
        cache.add(ALL_KEY, shared, VERSION_TIMEOUT)
        shared = cache.get(ALL_KEY, shared)
    if own is None:
        own = _fresh()
        cache.add(_user_key(user_id), own, VERSION_TIMEOUT)
        own = cache.get(_user_key(user_id), own)
    return f"{shared}.{own}"


def learner_changed(user_id) -> None:
    """Something only ``user_id`` sees changed (their progress, attempt, enrolment, certificate)."""
    if user_id is not None:
        cache.set(_user_key(user_id), _fresh(), VERSION_TIMEOUT)


def learners_changed(**kwargs) -> None:
    """Something every learner may see changed (a test, a cascade session, its days or roster)."""
    cache.set(ALL_KEY, _fresh(), VERSION_TIMEOUT)
