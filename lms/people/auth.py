"""Authentication helpers used by django-axes."""

from django.conf import settings


def client_ip(request) -> str | None:
    """Return the client's address, trusting X-Forwarded-For only behind known proxies."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
