"""Certificates on paper and on the verification page: the PDFs of a certification and of a course
completion, and what a public verification of a code may show.

Each PDF is one A4 landscape page in the certificate's language, with a QR code to the verification
address ``{base_url}/{language}/verify/{code}/`` and that address printed as text. The fonts are the
Noto Sans files the app ships (see ``assessments.paper``), so Turkmen and Russian letters print without
network or system fonts. Long names get a smaller type (``fitted_size``) so a certificate never runs
onto a second page.
"""

from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from assessments.paper import FONT_DIR, FONT_FAMILY, font_faces, qr_svg
from content.i18n import LANGUAGE_CODES
from courses.models import CourseCompletion
from courses.selectors import course_nav
from lms.people.names import display_name

from .models import Certification, CompletionCertificate

Status = Certification.Status

# statuses whose holder has (or had) a certificate to print
PRINTABLE_STATUSES = (Status.CERTIFIED, Status.EXPIRED, Status.SUSPENDED)

# the average advance of a Noto Sans letter, in em, a little generous (capitals and Cyrillic are wide)
_AVERAGE_ADVANCE = 0.6
_PT_PER_MM = 72 / 25.4

VALID = _("Valid")


def verification_url(*, base_url: str, language: str, code: str) -> str:
    """Return the public address that verifies a certificate, in the language it was printed in."""
    return f"{base_url.rstrip('/')}/{language}/verify/{code}/"


def fitted_size(text: str, *, largest: float, smallest: float, line_mm: float, lines: int = 1) -> float:
    """Return the font size (pt) at which ``text`` fills at most ``lines`` lines ``line_mm`` wide.

    A 70-letter name in 30pt type would need three lines of the page; the size falls with the length
    instead, between ``largest`` and ``smallest``.
    """
    room = line_mm * _PT_PER_MM * lines
    size = room / (max(len(text), 1) * _AVERAGE_ADVANCE)
    return round(max(smallest, min(largest, size)), 1)


def _render(template: str, context: dict, *, language: str) -> bytes:
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(
            template, {**context, "fonts": font_faces(), "font_family": FONT_FAMILY, "language": language}
        )
    return HTML(string=html, base_url=str(FONT_DIR)).write_pdf()


def _common(*, name: str, code: str, language: str, base_url: str) -> dict:
    url = verification_url(base_url=base_url, language=language, code=code)
    return {
        "name": name,
        "name_size": fitted_size(name, largest=30, smallest=13, line_mm=235),
        "url": url,
        "qr": qr_svg(url),
    }


def certification_pdf(*, certification: Certification, language: str, base_url: str) -> bytes:
    """Render the certificate of a certified trainer (any status that has a number) as a PDF."""
    with translation.override(language):
        programme = certification.programme.name
    context = {
        **_common(
            name=display_name(certification.user), code=certification.code, language=language, base_url=base_url
        ),
        "certification": certification,
        "programme": programme,
        "programme_size": fitted_size(programme, largest=20, smallest=11, line_mm=235, lines=2),
    }
    return _render("trainers/certificate/certification.html", context, language=language)


def completion_pdf(*, certificate: CompletionCertificate, language: str, base_url: str) -> bytes:
    """Render a certificate of completion of a course (or a session) as a PDF."""
    with translation.override(language):
        title = certificate.title
    context = {
        **_common(name=display_name(certificate.user), code=certificate.code, language=language, base_url=base_url),
        "certificate": certificate,
        "title": title,
        "title_size": fitted_size(title, largest=20, smallest=11, line_mm=235, lines=2),
    }
    return _render("trainers/certificate/completion.html", context, language=language)


def pdf_language(requested: str | None) -> str:
    """The language to print in: the one asked for when the site has it, else the active language."""
    if requested in LANGUAGE_CODES:
        return requested
    active = (translation.get_language() or "en")[:2]
    return active if active in LANGUAGE_CODES else "en"


# --- verification ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """What the public may learn from a verification code, and nothing more."""

    name: str
    status: str  # "valid", "expired", "suspended" or "revoked"
    status_label: str
    number: str
    title: str  # the programme, or the course of a certificate of completion
    issued_on: date
    valid_until: date | None
    trainer: bool  # a certified trainer's certificate (else one of completion)


def verification_status(*, certification: Certification, today: date) -> str:
    """The status a verifier is told: "valid" for a certified trainer within the validity, else the status
    as it stands today (``Certification.status_on``)."""
    status = certification.status_on(today)
    return "valid" if status == Status.CERTIFIED else status


def _status_label(status: str) -> str:
    return str(VALID) if status == "valid" else str(Status(status).label)


def certificate_verify(*, code: str, today: date | None = None) -> Verification | None:
    """Return what the verification page shows for ``code``, or None when no certificate has it.

    Both tables are always asked, so an unknown code costs the same as a known one.
    """
    today = today or timezone.localdate()
    certification = (
        Certification.objects.filter(code=code)
        .exclude(status=Status.CANDIDATE)
        .select_related("user", "programme")
        .first()
    )
    completion = CompletionCertificate.objects.filter(code=code).select_related("user").first()
    if certification is not None:
        status = verification_status(certification=certification, today=today)
        return Verification(
            name=display_name(certification.user),
            status=status,
            status_label=_status_label(status),
            number=certification.number,
            title=certification.programme.name,
            issued_on=certification.certified_on,
            valid_until=certification.valid_until,
            trainer=True,
        )
    if completion is not None:
        status = Status.REVOKED.value if completion.revoked else "valid"
        return Verification(
            name=display_name(completion.user),
            status=status,
            status_label=_status_label(status),
            number=completion.number,
            title=completion.title,
            issued_on=completion.issued_on,
            valid_until=None,
            trainer=False,
        )
    return None


# --- the holder's own list ---------------------------------------------------------------------------------


def my_certificate_list(*, user, language: str) -> dict:
    """The user's certifications, certificates of completion, and completed courses without a certificate.

    A certificate keeps the title it was issued with; a completed course without one is named as in the
    course navigation in ``language``.
    """
    today = timezone.localdate()
    certifications = []
    rows = Certification.objects.filter(user=user).select_related("programme").order_by("programme__code")
    for certification in rows:
        status = verification_status(certification=certification, today=today)
        certifications.append(
            {
                "certification": certification,
                "status": status,
                "status_label": _status_label(status),
                "printable": certification.status in PRINTABLE_STATUSES,
            }
        )
    completions = list(CompletionCertificate.objects.filter(user=user).order_by("-issued_on", "-pk"))
    issued = {c.course_key for c in completions if c.kind == CompletionCertificate.Kind.COURSE}
    pending = []
    done = CourseCompletion.objects.filter(user=user).exclude(course_key__in=issued).order_by("completed_at")
    for completion in done:
        nav = course_nav(course_key=completion.course_key, language=language)
        if nav is not None:
            pending.append(
                {"course_key": completion.course_key, "title": nav.title, "completed_at": completion.completed_at}
            )
    return {"certifications": certifications, "completions": completions, "pending": pending}
