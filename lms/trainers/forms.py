from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content.bounds import IdChoiceField

from .models import EVALUATION_CRITERIA, PracticeTeachingEvaluation

SCORE_CHOICES = [(value, str(value)) for value in range(1, 6)]


class ReasonForm(forms.Form):
    """The reason of a decision (the service refuses a suspension, revocation or reinstatement without one)."""

    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class EvaluationForm(forms.Form):
    """The practice-teaching rubric: five criteria scored 1–5 and written feedback."""

    CRITERIA = EVALUATION_CRITERIA

    taught_on = forms.DateField(label=_("Taught on"), widget=forms.DateInput(attrs={"type": "date"}))
    topic = forms.CharField(label=_("Topic taught"), max_length=200)
    feedback = forms.CharField(label=_("Written feedback"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["taught_on"].initial = timezone.localdate()
        for name in self.CRITERIA:
            self.fields[name] = forms.TypedChoiceField(
                label=PracticeTeachingEvaluation._meta.get_field(name).verbose_name,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
            )
        # the criteria first, in the rubric's order
        self.order_fields([*self.CRITERIA, "taught_on", "topic", "feedback"])


class NominationForm(forms.Form):
    """The person a coordinator nominates to a cohort: one of the people they may nominate."""

    user = IdChoiceField(queryset=None)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
