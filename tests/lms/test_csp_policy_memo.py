"""The plain Content-Security-Policy (no nonce, decorator or relaxation) is built once, and stays right:
a nonce still reaches its own response, and changed settings give a new policy."""

from django.http import HttpResponse
from django.template import engines

from lms.middleware import ContentSecurityPolicyMiddleware


def plain(request):
    return HttpResponse("{}")


def test_the_plain_policy_is_built_once_and_a_nonce_is_still_per_response(rf, settings, monkeypatch):
    import lms.middleware

    built = []
    real = lms.middleware.build_policy
    monkeypatch.setattr(lms.middleware, "build_policy", lambda **kwargs: built.append(kwargs) or real(**kwargs))
    ContentSecurityPolicyMiddleware._plain_policies.clear()
    middleware = ContentSecurityPolicyMiddleware(plain)
    first, second = (middleware(rf.get("/en/tests/attempt/1/save/"))["Content-Security-Policy"] for _ in range(2))
    assert first == second and "nonce-" not in first and "default-src 'self'" in first
    assert len([kwargs for kwargs in built if not kwargs.get("report_only")]) == 1

    template = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}"></script>')
    with_nonce = ContentSecurityPolicyMiddleware(lambda request: HttpResponse(template.render({}, request)))
    headers = [with_nonce(rf.get("/en/"))["Content-Security-Policy"] for _ in range(2)]
    assert headers[0] != headers[1] and all("nonce-" in header for header in headers)

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert middleware(rf.get("/en/"))["Content-Security-Policy"] == "default-src 'none'"


def test_a_view_that_sets_its_own_policy_keeps_it(rf):
    def own(request):
        response = HttpResponse()
        response["Content-Security-Policy"] = "sandbox"
        return response

    assert ContentSecurityPolicyMiddleware(own)(rf.get("/en/"))["Content-Security-Policy"] == "sandbox"
