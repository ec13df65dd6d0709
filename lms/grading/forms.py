"""The small forms of the grading and paper pages (what a request names; bad values are refused, never a 500)."""

from django import forms
from django.conf import settings

from assessments.models import Assessment
from content.bounds import INT_MAX, IdChoiceField


class PaperFormRequestForm(forms.Form):
    """The test and the language of a paper form to print."""

    assessment = IdChoiceField(queryset=Assessment.objects.none())
    language = forms.ChoiceField(choices=settings.LANGUAGES)

    def __init__(self, *args, tests, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessment"].queryset = tests


class PaperRowsForm(forms.Form):
    """How many rows of the keyboard grid were posted."""

    rows = forms.IntegerField(min_value=0, max_value=INT_MAX)


def rubric_points(value) -> int | None:
    """Points given for one rubric criterion: a whole number of ASCII digits ("²" is not one), else None."""
    field = forms.IntegerField(min_value=0, max_value=INT_MAX)
    try:
        return field.clean(value) if str(value).strip().isascii() else None
    except forms.ValidationError:
        return None
