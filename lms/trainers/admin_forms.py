"""Admin forms: courses are chosen by title, and stored by their translation key."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from courses.models import CoursePage
from lms.people.roles import Role

from .forms import person_label


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


class MasterTrainerField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return person_label(obj)


class CohortAdminForm(WagtailAdminModelForm):
    """Master trainers are picked by name (with position and agency) among trainers and programme managers,
    as ticks sorted by surname, instead of a multi-select of every username."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("master_trainers")
        if field is None:
            return
        chosen = list(self.instance.master_trainers.values_list("pk", flat=True)) if self.instance.pk else []
        User = get_user_model()
        people = (
            User.objects.filter(
                Q(is_active=True, groups__name__in=[Role.TRAINER, Role.MANAGER]) | Q(pk__in=chosen)
            )
            .distinct()
            .select_related("profile", "profile__agency")
            .order_by("last_name", "first_name", "username")
        )
        self.fields["master_trainers"] = MasterTrainerField(
            queryset=people,
            required=False,
            label=field.label,
            help_text=_("Certified trainers and programme managers, by surname."),
            widget=forms.CheckboxSelectMultiple,
        )
