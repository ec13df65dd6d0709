"""Editors' screen: import questions from Moodle XML or GIFT, and export the bank to them.

A file without errors is imported at once; its warnings (what a format cannot hold) are shown after. A file
that cannot be read at all, or whose questions all have errors, imports nothing: the editor reads every
error, with the question and line it is about, fixes the file and uploads it again. A file where only some
questions have errors leads to a confirmation page listing the questions it skips with their reasons and
the ones it imports: the editor imports the supported ones, or nothing. Nothing is written before that
confirmation; meanwhile the file waits in the cache for an hour, under a random token tied to the editor.
"""

import secrets

from django import forms
from django.contrib import messages
from django.core.cache import cache
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
from ..selectors import question_files_for_export
from ..services import questions_import

MAX_UPLOAD = 5 * 1024 * 1024
FORMATS = (("moodle", _("Moodle XML")), ("gift", _("GIFT")))
PENDING_SECONDS = 60 * 60
PENDING_EXPIRED = _("This import is no longer waiting (it was done, cancelled or left for over an hour). Upload the file again.")


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


def _read(data: bytes, format_name: str):
    return questions_from_moodle_xml(data) if format_name == "moodle" else questions_from_gift(data)


def _pending_key(request, token: str) -> str:
    return f"assessments:question-import:{request.user.pk}:{token}"


def _imported(request, result, *, locale, module, skipped: int = 0):
    created = questions_import(questions=result.questions, locale=locale, module=module, user=request.user)
    messages.success(
        request,
        ngettext("%(count)s question imported.", "%(count)s questions imported.", len(created)) % {"count": len(created)},
    )
    if skipped:
        messages.warning(
            request,
            ngettext("%(count)s question was skipped.", "%(count)s questions were skipped.", skipped) % {"count": skipped},
        )
    for warning in result.warnings:
        messages.warning(request, warning.message)
    return redirect("wagtailsnippets_assessments_question:list")


def question_import(request):
    if not _may(request, "add"):
        return permission_denied(request)
    if request.method == "POST" and "token" in request.POST:
        return _question_import_confirm(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        result = _read(data, form.cleaned_data["format"])
        errors = result.errors
        locale, module = form.cleaned_data["locale"], form.cleaned_data["module"]
        if not errors:
            return _imported(request, result, locale=locale, module=module)
        if result.questions and not any(issue.index == 0 for issue in errors):
            token = secrets.token_urlsafe(24)
            pending = {"data": data, "format": form.cleaned_data["format"], "locale": locale.pk, "module": module}
            cache.set(_pending_key(request, token), pending, PENDING_SECONDS)
            return _confirm_page(request, result, token=token, file_name=upload.name, locale=locale, module=module)
    return TemplateResponse(
        request,
        "assessments/admin/question_import.html",
        {"form": form, "errors": errors, "export_form": ExportForm(), "page_title": _("Import questions")},
        status=400 if errors else 200,
    )


def _confirm_page(request, result, *, token, file_name, locale, module):
    """What the editor confirms: the questions skipped with their reasons, the ones imported, the warnings."""
    skipped_indexes = sorted({issue.index for issue in result.errors})
    count, skipped = len(result.questions), len(skipped_indexes)
    kinds = dict(Question.Kind.choices)
    return TemplateResponse(
        request,
        "assessments/admin/question_import_confirm.html",
        {
            "page_title": _("Check the import"),
            "token": token,
            "file_name": file_name,
            "locale": locale,
            "module": module,
            "count": count,
            "skipped": skipped,
            "errors": result.errors,
            "questions": [{"name": q["name"], "kind": kinds.get(q["kind"], q["kind"])} for q in result.questions],
            "warnings": result.warnings,
            "import_label": ngettext(
                "Import the %(count)s supported question and skip %(skipped)s",
                "Import the %(count)s supported questions and skip %(skipped)s",
                count,
            )
            % {"count": count, "skipped": skipped},
        },
    )


def _question_import_confirm(request):
    """The editor's answer on the confirmation page: import the supported questions, or nothing."""
    token = request.POST.get("token", "")
    key = _pending_key(request, token)
    pending = cache.get(key) if token else None
    # the pending file is taken before anything is written: a second click finds it gone
    if pending is None or not cache.delete(key):
        messages.error(request, PENDING_EXPIRED)
        return redirect("assessments_question_import")
    if "cancel" in request.POST:
        messages.info(request, _("Nothing was imported."))
        return redirect("assessments_question_import")
    locale = Locale.objects.filter(pk=pending["locale"]).first()
    result = _read(pending["data"], pending["format"])
    if locale is None or not result.questions or any(issue.index == 0 for issue in result.errors):
        messages.error(request, PENDING_EXPIRED)
        return redirect("assessments_question_import")
    return _imported(
        request, result, locale=locale, module=pending["module"], skipped=len({issue.index for issue in result.errors})
    )


def _bank(locale) -> list[dict]:
    """The active questions of ``locale`` as interchange dicts, their key as the id and their images and
    documents as embedded files; case questions too, so the export names them among what it leaves out."""
    bank = []
    for question in Question.objects.filter(locale=locale, active=True).order_by("pk"):
        (prompt, feedback), files = question_files_for_export(question.prompt, question.feedback)
        entry = {
            "kind": question.kind, "name": question.title, "prompt": prompt, "points": question.points,
            "feedback": feedback, "data": question.data, "tags": [question.objective] if question.objective else [],
            "id": question.key,
        }
        if files:
            entry["files"] = files
        bank.append(entry)
    return bank


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
