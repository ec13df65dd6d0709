"""Editors' screen: import questions from Moodle XML or GIFT, and export the bank to them.

A file with any error imports nothing: the editor reads every error, with the question and line it is
about, fixes the file and uploads it again. Warnings (what a format cannot hold) are shown after import.
"""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.auth import permission_denied
from wagtail.models import Locale

from content.virusscan import validate_upload

from ..interchange import ExportError, questions_from_gift, questions_from_moodle_xml, questions_to_gift, questions_to_moodle_xml
from ..models import Question
from ..services import questions_import

MAX_UPLOAD = 5 * 1024 * 1024
FORMATS = (("moodle", _("Moodle XML")), ("gift", _("GIFT")))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Question file"),
        help_text=_("Moodle XML (.xml) or GIFT (.txt, .gift), at most 5 MB."),
        validators=[validate_upload],
    )
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS)
    locale = forms.ModelChoiceField(label=_("Language of the questions"), queryset=Locale.objects.all(), empty_label=None)
    module = forms.IntegerField(label=_("Module"), required=False, min_value=1, max_value=99)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS)
    locale = forms.ModelChoiceField(label=_("Language"), queryset=Locale.objects.all(), empty_label=None)


def _may(request, action):
    return request.user.has_perm(f"assessments.{action}_question")


def question_import(request):
    if not _may(request, "add"):
        return permission_denied(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        result = questions_from_moodle_xml(data) if form.cleaned_data["format"] == "moodle" else questions_from_gift(data)
        errors = result.errors
        if not errors:
            created = questions_import(
                questions=result.questions, locale=form.cleaned_data["locale"], module=form.cleaned_data["module"], user=request.user
            )
            messages.success(
                request,
                ngettext("%(count)s question imported.", "%(count)s questions imported.", len(created)) % {"count": len(created)},
            )
            for warning in result.warnings:
                messages.warning(request, warning.message)
            return redirect("wagtailsnippets_assessments_question:list")
    return TemplateResponse(
        request,
        "assessments/admin/question_import.html",
        {"form": form, "errors": errors, "export_form": ExportForm(), "page_title": _("Import questions")},
        status=400 if errors else 200,
    )


def _bank(locale) -> list[dict]:
    """The active questions of ``locale`` as interchange dicts; case questions too, so the export names them
    among what it leaves out."""
    return [
        {
            "kind": question.kind, "name": question.title, "prompt": question.prompt, "points": question.points,
            "feedback": question.feedback, "data": question.data, "tags": [question.objective] if question.objective else [],
        }
        for question in Question.objects.filter(locale=locale, active=True).order_by("pk")
    ]


def question_export(request):
    """Without ``download``: the export page, listing per question what the chosen format will lose, with the
    download button. With ``download``: the file, its header comment listing the same losses."""
    if not _may(request, "view") and not _may(request, "change"):
        return permission_denied(request)
    form = ExportForm(request.GET)
    if not form.is_valid():
        return redirect("assessments_question_import")
    questions = _bank(form.cleaned_data["locale"])
    language = form.cleaned_data["locale"].language_code
    moodle = form.cleaned_data["format"] == "moodle"
    losses = []
    try:
        if moodle:
            body = questions_to_moodle_xml(questions, warnings=losses, skip_unsupported=True)
            content_type, name = "application/xml", "questions.xml"
        else:
            body = questions_to_gift(questions, warnings=losses, skip_unsupported=True).encode()
            content_type, name = "text/plain; charset=utf-8", "questions.gift.txt"
    except ExportError as error:
        for issue in error.issues:
            messages.error(request, issue.message)
        return redirect("assessments_question_import")
    if "download" not in request.GET:
        return TemplateResponse(
            request,
            "assessments/admin/question_export.html",
            {
                "form": form,
                "format_label": dict(FORMATS)[form.cleaned_data["format"]],
                "locale": form.cleaned_data["locale"],
                "total": len(questions),
                "affected": len({issue.index for issue in losses}),
                "losses": losses,
                "page_title": _("Export questions"),
            },
        )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{language}-{name}"'
    return response
