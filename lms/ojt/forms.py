"""Forms of the OJT pages. They collect and clean input; the rules (year range, targets, modules, staff
of the agency, hours, dates) are the service's, which refuses with a message shown on the form."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content.bounds import IdChoiceField, at_most
from content.virusscan import validate_upload
from lms.people.models import Agency, TrainingUnit
from lms.people.names import display_name

from . import selectors
from .models import TrainingPlan


class PersonChoiceField(IdChoiceField):
    def label_from_instance(self, obj):
        name = display_name(obj.user)
        return f"{name} ({obj.user.username}) — {obj.agency}" if obj.agency else name


class UnitChoiceField(IdChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.agency.code}: {obj.name}"


def _module_choices() -> list[tuple[str, str]]:
    modules = selectors.national_modules() or []
    return [(str(number), f"{number}. {title}") for number, title in modules]


class PlanForm(forms.Form):
    agency = IdChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    unit = UnitChoiceField(
        label=_("Training unit"), queryset=TrainingUnit.objects.none(), required=False,
        help_text=_("Leave empty for the plan of the whole agency."),
    )
    year = forms.IntegerField(label=_("Year"), **at_most(TrainingPlan, "year"))
    # no min_value: the service refuses a negative target with its own message (the top is the column's)
    target_sessions = forms.IntegerField(
        label=_("Sessions"), initial=0, widget=forms.NumberInput(attrs={"min": 0}),
        **at_most(TrainingPlan, "target_sessions"),
    )
    target_staff = forms.IntegerField(
        label=_("Staff trained"), initial=0, widget=forms.NumberInput(attrs={"min": 0}),
        **at_most(TrainingPlan, "target_staff"),
    )
    target_hours = forms.IntegerField(
        label=_("Training hours"), initial=0, widget=forms.NumberInput(attrs={"min": 0}),
        **at_most(TrainingPlan, "target_hours"),
        help_text=_("Person-hours: each person's hours of training, added up."),
    )
    modules = forms.MultipleChoiceField(
        label=_("Topics (modules)"), required=False, widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = selectors.ojt_agencies(user=user)
        self.fields["unit"].queryset = selectors.unit_list(user=user, agency=plan.agency if plan else None)
        self.fields["modules"].choices = _module_choices()
        if plan is not None:
            self.fields["agency"].disabled = True

    def clean_modules(self):
        return [int(number) for number in self.cleaned_data["modules"]]

    @staticmethod
    def initial_from(plan) -> dict:
        return {
            "agency": plan.agency_id, "unit": plan.unit_id, "year": plan.year,
            "target_sessions": plan.target_sessions, "target_staff": plan.target_staff,
            "target_hours": plan.target_hours, "modules": [str(number) for number in plan.modules or []],
            "notes": plan.notes,
        }


class RecordForm(forms.Form):
    staff = PersonChoiceField(label=_("Staff member"), queryset=None)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    hours = forms.DecimalField(
        label=_("Hours"), max_digits=5, decimal_places=2, widget=forms.NumberInput(attrs={"step": "0.25", "min": 0})
    )
    # not required here: the service refuses an empty topic or instructor with its own message
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    module = forms.TypedChoiceField(label=_("Module"), coerce=int, empty_value=None, required=False)
    instructor = forms.CharField(label=_("Instructor or mentor"), max_length=200, required=False)
    evidence = forms.CharField(
        label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where the evidence is kept, e.g. an order number or a sign-in sheet (optional)."),
    )
    unit = UnitChoiceField(
        label=_("Training unit"), queryset=TrainingUnit.objects.none(), required=False,
        help_text=_("Leave empty to use the staff member's unit."),
    )

    def __init__(self, *args, user, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = selectors.staff_list(user=user, agency=agency)
        self.fields["unit"].queryset = selectors.unit_list(user=user, agency=agency)
        self.fields["module"].choices = [("", "—"), *_module_choices()]
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()

    @staticmethod
    def initial_from(record) -> dict:
        return {
            "staff": getattr(record.staff, "profile", None) and record.staff.profile.pk, "date": record.date,
            "hours": record.hours, "topic": record.topic, "module": record.module, "instructor": record.instructor,
            "evidence": record.evidence, "unit": record.unit_id,
        }


class ImportForm(forms.Form):
    agency = IdChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    file = forms.FileField(label=_("XLSX file"), validators=[validate_upload], widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = selectors.ojt_agencies(user=user)
