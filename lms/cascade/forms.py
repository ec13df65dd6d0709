"""Forms of the cascade pages. They only collect and clean input: the scheduling rules (certified scope,
quarter hours, double booking, capacity, agency) are the service's, which refuses with a message."""

import uuid

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.models import Assessment
from content.bounds import IdChoiceField, IdField, IdMultipleChoiceField, at_most
from content.virusscan import validate_upload
from courses.models import CoursePage
from courses.selectors import course_nav
from lms.people.models import TrainingUnit
from lms.people.names import display_name

from . import exceptions as errors
from . import selectors
from .models import CascadeSession

SOURCE_LANGUAGE = "en"
MIN_ATTENDANCE_DEFAULT = CascadeSession._meta.get_field("min_attendance").default
DAY_INCOMPLETE = _("Give the date and both times, or leave the row empty.")


def _person(user) -> str:
    name = display_name(user)
    profile = getattr(user, "profile", None)
    agency = getattr(profile, "agency", None) if profile is not None else None
    return f"{name} — {agency}" if agency is not None else name


class TrainerChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, obj):
        return _person(obj)


class TestChoiceField(IdChoiceField):
    def label_from_instance(self, obj):
        return obj.title


def course_choices(*, extra_key=None, extra_label="") -> list[tuple[str, str]]:
    """The live courses as ``(translation_key, title)``, titled in the active language when translated."""
    sources = list(CoursePage.objects.live().filter(locale__language_code=SOURCE_LANGUAGE).order_by("path"))
    keys = [page.translation_key for page in sources]
    titles = dict(
        CoursePage.objects.live()
        .filter(translation_key__in=keys, locale__language_code=(get_language() or SOURCE_LANGUAGE)[:2])
        .values_list("translation_key", "title")
    )
    choices = [(str(page.translation_key), titles.get(page.translation_key) or page.title) for page in sources]
    if extra_key is not None and extra_key not in keys:
        choices.append((str(extra_key), extra_label or str(extra_key)))
    return choices


def module_choices(*, course_key, certified: list[int]) -> list[tuple[str, str]]:
    """The course's modules that the certification covers, as ``(number, "number. title")``.

    When the course has no pages here (yet), the certified module numbers themselves."""
    certified = sorted({int(number) for number in certified or []})
    nav = course_nav(course_key=course_key) if course_key else None
    if nav is None or not nav.modules:
        return [(str(number), _("Module %(number)s") % {"number": number}) for number in certified]
    return [
        (str(module.number), f"{module.number}. {module.title}")
        for module in sorted(nav.modules, key=lambda module: module.number)
        if module.number in certified
    ]


class SessionForm(forms.Form):
    """What a trainer gives to schedule a session; the days come in ``DayFormSet``."""

    title = forms.CharField(label=_("Title"), max_length=200)
    course = forms.ChoiceField(label=_("Course"))
    modules = forms.MultipleChoiceField(
        label=_("Modules"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("The modules your certification covers."),
    )
    venue = forms.CharField(label=_("Venue"), max_length=200)
    unit = IdChoiceField(label=_("Training unit"), queryset=TrainingUnit.objects.none(), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    # no min_value here: the service refuses a capacity below 1 with its own message (the top is the column's)
    capacity = forms.IntegerField(
        label=_("Capacity"), widget=forms.NumberInput(attrs={"min": 1}), **at_most(CascadeSession, "capacity")
    )
    # no min/max here either: the service refuses a share outside 1–100 with its own message
    min_attendance = forms.IntegerField(
        **at_most(CascadeSession, "min_attendance"),
        label=capfirst(CascadeSession._meta.get_field("min_attendance").verbose_name),
        help_text=CascadeSession._meta.get_field("min_attendance").help_text,
        required=False, initial=MIN_ATTENDANCE_DEFAULT,
        widget=forms.NumberInput(attrs={"min": 1, "max": 100}),
    )
    co_trainers = TrainerChoiceField(
        label=_("Co-trainers"), queryset=get_user_model().objects.none(), required=False,
        help_text=_("Certified trainers of your agency."), widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": errors.CO_TRAINER_NOT_OFFERED},
    )
    test_mode = forms.ChoiceField(
        label=_("Tests"), choices=CascadeSession.TestMode.choices, widget=forms.RadioSelect,
        initial=CascadeSession.TestMode.ONLINE,
    )
    pre_test = TestChoiceField(label=_("Pre-test"), queryset=Assessment.objects.none(), required=False)
    post_test = TestChoiceField(label=_("Post-test"), queryset=Assessment.objects.none(), required=False)

    def __init__(self, *args, trainer, certification, agency, **kwargs):
        super().__init__(*args, **kwargs)
        programme = certification.programme
        self.fields["course"].choices = course_choices(extra_key=programme.course_key, extra_label=programme.name)
        self.fields["modules"].choices = module_choices(
            course_key=self._course_key(default=programme.course_key), certified=programme.modules
        )
        self.fields["unit"].queryset = (
            TrainingUnit.objects.filter(agency=agency) if agency is not None else TrainingUnit.objects.none()
        )
        # certified trainers of the session's agency only (the service refuses anyone else as well)
        self.fields["co_trainers"].queryset = selectors.co_trainer_list(agency=agency, lead=trainer)
        published = Assessment.objects.filter(published=True).order_by("slug")
        self.fields["pre_test"].queryset = published.filter(purpose=Assessment.Purpose.PRE)
        self.fields["post_test"].queryset = published.filter(purpose=Assessment.Purpose.POST)

    def _course_key(self, *, default):
        """The course whose modules to offer: the one posted, else the initial one, else the programme's."""
        value = self.data.get(self.add_prefix("course")) if self.is_bound else self.initial.get("course")
        try:
            return uuid.UUID(str(value)) if value else default
        except ValueError:
            return default

    def clean_course(self):
        return uuid.UUID(self.cleaned_data["course"])

    def clean_modules(self):
        return [int(number) for number in self.cleaned_data["modules"]]

    def clean_min_attendance(self):
        """Left empty: the usual share."""
        value = self.cleaned_data["min_attendance"]
        return MIN_ATTENDANCE_DEFAULT if value is None else value

    @staticmethod
    def initial_from(session: CascadeSession) -> dict:
        return {
            "title": session.title,
            "course": str(session.course_key),
            "modules": [str(number) for number in session.modules],
            "venue": session.venue,
            "unit": session.unit_id,
            "language": session.language,
            "capacity": session.capacity,
            "min_attendance": session.min_attendance,
            "co_trainers": list(session.co_trainers.values_list("pk", flat=True)),
            "test_mode": session.test_mode,
            "pre_test": session.pre_test_id,
            "post_test": session.post_test_id,
        }


class DayForm(forms.Form):
    """One day of a session; an empty row is skipped."""

    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    starts = forms.TimeField(
        label=pgettext_lazy("time of day", "From"), required=False,
        widget=forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M"),
    )
    ends = forms.TimeField(
        label=pgettext_lazy("time of day", "To"), required=False,
        widget=forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M"),
    )

    def clean(self):
        data = super().clean()
        given = [data.get(name) for name in ("date", "starts", "ends")]
        if any(value is not None for value in given) and not all(value is not None for value in given):
            raise forms.ValidationError(DAY_INCOMPLETE)
        return data


# a session has 1 to MAX_DAYS days; the form shows one row more than the days given (a new session: one row)
MAX_DAYS = 10
TOO_MANY_DAYS = _("A session has at most %(max)s days.")


class BaseDayFormSet(forms.BaseFormSet):
    """The rows of days: empty or removed rows are skipped, at least one day is the service's rule
    (``errors.NO_DAYS``), at most ``MAX_DAYS``."""

    default_error_messages = {
        "too_many_forms": TOO_MANY_DAYS % {"max": MAX_DAYS},
        "too_few_forms": errors.NO_DAYS,
    }

    def days(self) -> list[dict]:
        """The cleaned rows that give a day: not removed, not left empty (after ``is_valid()``)."""
        return [
            form.cleaned_data
            for form in self.forms
            if not self._should_delete_form(form) and form.cleaned_data.get("date") is not None
        ]

    def posted_rows(self) -> list[dict]:
        """The rows as typed (raw values), without the rows ticked for removal: to show the form again
        with one more row when "Add a day" is pressed without the script."""
        rows = []
        for form in self.forms:
            if form.fields["DELETE"].widget.value_from_datadict(form.data, form.files, form.add_prefix("DELETE")):
                continue
            rows.append({
                name: form.fields[name].widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
                for name in ("date", "starts", "ends")
            })
        return rows


DayFormSet = forms.formset_factory(
    DayForm, formset=BaseDayFormSet, extra=1, min_num=0, max_num=MAX_DAYS, validate_max=True,
    absolute_max=2 * MAX_DAYS, can_delete=True,
)


def posted_values(form: forms.Form) -> dict:
    """A bound form's values as typed, to show it again unbound (without its errors) as ``initial``."""
    return {
        name: field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        for name, field in form.fields.items()
    }


class CommentForm(forms.Form):
    """The comment of a decision on the session page (a return, a send-back and a cancellation need one)."""

    comment = forms.CharField(
        label=_("Comment or reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to return a session, to send a report back and to cancel; kept in the history."),
    )


class ReportForm(forms.Form):
    """The lead trainer's report (the figures are read from the records)."""

    methods = forms.CharField(label=_("Methods used"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    issues = forms.CharField(label=_("Issues met"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    recommendations = forms.CharField(
        label=_("Recommendations"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class RosterImportForm(forms.Form):
    """The roster file to import (its reading and every check are ``roster_import``'s)."""

    file = forms.FileField(
        label=_("Roster file (.xlsx or .csv)"),
        validators=[validate_upload],
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


class RosterActionForm(forms.Form):
    """A button of the roster page: the person to add (a user id) or the roster entry to take off (its id).
    A value that is not an id is left out, so it finds nobody."""

    action = forms.CharField(required=False)
    user = IdField(required=False)
    participant = IdField(required=False)
