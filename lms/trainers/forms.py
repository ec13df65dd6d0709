from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content.bounds import IdChoiceField

from .models import EVALUATION_CRITERIA, PracticeTeachingEvaluation

SCORE_CHOICES = [(value, str(value)) for value in range(1, 6)]


class ReasonForm(forms.Form):
    """The reason of a decision (the service refuses a suspension, revocation or reinstatement without one)."""

    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


def person_label(user) -> str:
    """A person as people tell them apart: full name, then position and agency when known."""
    name = user.get_full_name() or user.username
    profile = getattr(user, "profile", None)
    details = [str(part) for part in (getattr(profile, "position", ""), getattr(profile, "agency", None)) if part]
    return f"{name} — {', '.join(details)}" if details else name


class PersonChoiceField(IdChoiceField):
    def label_from_instance(self, obj):
        return person_label(obj)


class EvaluationForm(forms.Form):
    """The practice-teaching rubric: five criteria scored 1–5 and written feedback; a programme manager
    also names the master trainer who observed (by name, among the cohort's master trainers and themself)."""

    CRITERIA = EVALUATION_CRITERIA

    taught_on = forms.DateField(label=_("Taught on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    topic = forms.CharField(label=_("Topic taught"), max_length=200)
    feedback = forms.CharField(label=_("Written feedback"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, evaluators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["taught_on"].initial = timezone.localdate()
        if len(evaluators) > 1:
            order = {user.pk: index for index, user in enumerate(evaluators)}
            field = PersonChoiceField(
                label=_("Observed by"),
                queryset=get_user_model().objects.filter(pk__in=order).select_related("profile", "profile__agency"),
                help_text=_("The master trainer who observed the practice teaching."),
                empty_label=None,
            )
            field.choices = sorted(field.choices, key=lambda choice: order.get(int(str(choice[0])), 0))
            field.initial = evaluators[0].pk
            self.fields["evaluator"] = field
        for name in self.CRITERIA:
            self.fields[name] = forms.TypedChoiceField(
                label=PracticeTeachingEvaluation._meta.get_field(name).verbose_name,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
            )
        # the criteria first, in the rubric's order
        self.order_fields(["evaluator", *self.CRITERIA, "taught_on", "topic", "feedback"])


class NominationForm(forms.Form):
    """The person a coordinator nominates to a cohort: one of the people they may nominate."""

    user = IdChoiceField(queryset=None)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
