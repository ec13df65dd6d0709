"""How the OpenAPI schema is drawn: only the /api/v1/ endpoints (Wagtail's admin has its own API)."""

API_PREFIX = "/api/v1/"


def api_endpoints_only(endpoints, **kwargs):
    """drf-spectacular preprocessing hook: keep the endpoints under /api/v1/."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]
