"""Admin forms: courses are chosen by title, and stored by their translation key."""

from django import forms
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from content.bounds import IdMultipleChoiceField
from courses.models import CoursePage

from . import selectors

NOT_A_POSSIBLE_MASTER = _(
    "Only programme managers and trainers whose certification is current can be named master trainers."
)


def course_choices(*, blank: bool) -> list:
    pages = CoursePage.objects.filter(locale__language_code="en").order_by("title")
    choices = [(str(page.translation_key), page.title) for page in pages]
    return [("", "—"), *choices] if blank else choices


class ProgrammeAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course_key"] = forms.TypedChoiceField(
            label=_("ToT course"), choices=course_choices(blank=False), coerce=str
        )
        self.fields["refresher_course_key"] = forms.TypedChoiceField(
            label=_("refresher course"), choices=course_choices(blank=True), required=False, empty_value=None
        )
        for name in ("course_key", "refresher_course_key"):
            value = getattr(self.instance, name, None)
            if value:
                self.initial[name] = str(value)

    def clean_modules(self):
        modules = self.cleaned_data.get("modules") or []
        if not isinstance(modules, list) or not all(isinstance(number, int) and number > 0 for number in modules):
            raise forms.ValidationError(_("Give the module numbers as a list, e.g. [1, 2, 3]."))
        return sorted(set(modules))


def master_trainer_label(user) -> str:
    """A possible master trainer as a manager tells people apart: full name, then position, agency and region
    (in the reader's language), never the username unless there is no name."""
    name = user.get_full_name() or user.username
    profile = getattr(user, "profile", None)
    parts = (getattr(profile, "position", ""), getattr(profile, "agency", None), getattr(profile, "region", None))
    details = [str(part) for part in parts if part]
    return f"{name} — {' · '.join(details)}" if details else name


class PersonPickerWidget(forms.CheckboxSelectMultiple):
    """Ticks with a search box above them that narrows the list as one types (``js/person-picker.js``).
    The box is hidden until the script shows it: without JavaScript the full list of ticks still works."""

    class Media:
        js = ["js/person-picker.js"]
        css = {"all": ["css/person-picker.css"]}

    def render(self, name, value, attrs=None, renderer=None):
        ticks = super().render(name, value, attrs=attrs, renderer=renderer)
        list_id = (attrs or {}).get("id") or f"id_{name}"
        return render_to_string("trainers/admin/person_picker.html", {"ticks": ticks, "list_id": list_id})


class MasterTrainerField(IdMultipleChoiceField):
    default_error_messages = {"invalid_choice": NOT_A_POSSIBLE_MASTER}

    def label_from_instance(self, obj):
        return master_trainer_label(obj)


class CohortAdminForm(WagtailAdminModelForm):
    """Master trainers are picked by name (with position, agency and region) among the people who may be
    master trainers (``selectors.master_trainer_choices``), as ticks sorted by surname with a search box,
    instead of a multi-select of every username. The queryset is the scope: a posted id outside it is
    refused with a message, whatever the browser sent."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("master_trainers")
        if field is None:
            return
        chosen = list(self.instance.master_trainers.values_list("pk", flat=True)) if self.instance.pk else []
        self.fields["master_trainers"] = MasterTrainerField(
            queryset=selectors.master_trainer_choices(keep=chosen),
            required=False,
            label=field.label,
            help_text=_(
                "Programme managers and trainers whose certification is current (or who were never certified "
                "here, like international master trainers), by surname."
            ),
            widget=PersonPickerWidget,
        )
