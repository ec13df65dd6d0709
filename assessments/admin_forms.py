"""The question form of the admin: the key and answers (``data``) are checked before anything is saved."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .scoring import QuestionDataError, question_data_validate

DATA_NOT_AN_OBJECT = _("The answers and key must be a JSON object (see assessments/FORMAT.md).")


class QuestionAdminForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        kind, data = cleaned.get("kind"), cleaned.get("data")
        if not kind or "data" in self.errors:
            return cleaned
        if not isinstance(data, dict):
            self.add_error("data", ValidationError(DATA_NOT_AN_OBJECT))
            return cleaned
        try:
            question_data_validate(kind=kind, data=data)
        except QuestionDataError as error:
            self.add_error("data", ValidationError(list(error.messages)))
        return cleaned
