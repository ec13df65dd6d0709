"""Certificates: the PDFs a holder (or whoever may see the certification) downloads, the holder's list,
and the public page that verifies a code. The rules are in ``lms.trainers.certificates``, selectors and
services."""

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from content.ratelimit import minute_budget_spent
from content.urls import base_url
from courses.models import CoursePage
from lms.people.auth import client_ip

from .. import certificates, exceptions, selectors, services
from ..models import Certification, CompletionCertificate

CERTIFICATE_REVOKED = _("This certificate was revoked: it cannot be downloaded.")
TOO_MANY_CHECKS = _("Too many checks from your address. Try again in a minute.")


def _pdf(data: bytes, *, number: str, language: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    safe = re.sub(r"[^A-Za-z0-9-]", "_", number)
    response["Content-Disposition"] = f'attachment; filename="certificate-{safe}-{language}.pdf"'
    return response


@login_required
def certification_pdf(request, pk):
    """A certified trainer's certificate, for whoever may see the certification (404 otherwise)."""
    try:
        certification = selectors.certification_get(actor=request.user, pk=pk)
    except Certification.DoesNotExist:
        raise Http404 from None
    if certification.status not in certificates.PRINTABLE_STATUSES:
        raise Http404
    language = certificates.pdf_language(request.GET.get("lang"))
    data = certificates.certification_pdf(
        certification=certification, language=language, base_url=base_url(request)
    )
    return _pdf(data, number=certification.number, language=language)


@login_required
def my_certificates(request):
    context = certificates.my_certificate_list(user=request.user, language=translation.get_language())
    return render(request, "trainers/certificate/mine.html", {**context, "languages": settings.LANGUAGES})


@login_required
def course_certificate_pdf(request, course_key):
    """Issue (the first time) and download the certificate of completion of a course."""
    pages = CoursePage.objects.filter(translation_key=course_key).select_related("locale")
    page = pages.filter(locale__language_code=translation.get_language()).first() or pages.first()
    if page is None:
        raise Http404
    try:
        certificate = services.course_certificate_issue(user=request.user, course=page)
    except exceptions.RequirementsNotMet as error:
        messages.error(request, error.message)
        return redirect("trainers:my_certificates")
    return _completion_download(request, certificate)


def _completion_download(request, certificate):
    """The PDF of a certificate of completion in the asked language; a revoked one is not handed out."""
    if certificate.revoked:
        messages.error(request, CERTIFICATE_REVOKED)
        return redirect("trainers:my_certificates")
    language = certificates.pdf_language(request.GET.get("lang"))
    data = certificates.completion_pdf(
        certificate=certificate, language=language, base_url=base_url(request)
    )
    return _pdf(data, number=certificate.number, language=language)


@login_required
def completion_certificate_pdf(request, pk):
    """Download a certificate of completion already issued to the user (a cascade session's, or a
    course's); 404 for anyone else's."""
    certificate = CompletionCertificate.objects.filter(pk=pk, user=request.user).select_related("user").first()
    if certificate is None:
        raise Http404
    return _completion_download(request, certificate)


def verify(request, code):
    """Public: what a certificate's QR code leads to. Shows the holder's name, status, validity, programme
    or course and number, nothing else; an unknown code gets the same page with status 404."""
    if minute_budget_spent(f"trainers:verify-rate:{client_ip(request)}", limit=settings.VERIFY_RATE_LIMIT):
        response = render(request, "trainers/certificate/verify.html", {"message": TOO_MANY_CHECKS}, status=429)
        response["Retry-After"] = "60"
    else:
        found = certificates.certificate_verify(code=code)
        response = render(
            request, "trainers/certificate/verify.html", {"verification": found}, status=200 if found else 404
        )
    response["X-Robots-Tag"] = "noindex"
    return response
