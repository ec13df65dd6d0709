"""What certified trainers delivered: the seam between the pool of trainers and cascade sessions.

The trainers app sits below cascade in the layers and may not import it. Cascade registers a provider
in its ``AppConfig.ready()`` (``provider_set``); until one is registered nothing has been delivered,
and the requirements that depend on delivery (co-facilitation, recertification by delivery) show as
not met with "0 sessions" as their evidence.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date


@dataclass
class Delivery:
    """Sessions a trainer delivered (and reported) in a period, led or co-facilitated."""

    sessions_led: int = 0
    sessions_co_facilitated: int = 0
    participants: int = 0
    # mean normalised gain of the participants with a matched pre/post pair, None without any pair
    mean_gain: float | None = None
    hours: float = 0
    # (date, title) of each session, newest first, for the evidence shown to people
    sessions: list = field(default_factory=list)


Provider = Callable[..., dict[int, Delivery]]


def _nothing_delivered(*, user_ids: Iterable[int], since: date | None, until: date | None) -> dict[int, Delivery]:
    return {}


_provider: Provider = _nothing_delivered


def provider_set(provider: Provider | None) -> Provider:
    """Register the function that reports deliveries (None: "nothing delivered"); return the previous one."""
    global _provider
    previous, _provider = _provider, provider or _nothing_delivered
    return previous


def deliveries(*, user_ids: Iterable[int], since: date | None = None, until: date | None = None) -> dict[int, Delivery]:
    """Return each user's deliveries between ``since`` and ``until`` (inclusive); one call for many users."""
    user_ids = list(user_ids)
    found = _provider(user_ids=user_ids, since=since, until=until) if user_ids else {}
    return {user_id: found.get(user_id) or Delivery() for user_id in user_ids}
