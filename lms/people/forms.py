from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from content.bounds import IdChoiceField, IdListField

from .models import Agency, Profile, Region, TrainingUnit
from .selectors import managed_agency_list, region_list, unit_list


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class LocalizedChoiceField(IdChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ProfileForm(forms.Form):
    """A person's details; the choices are limited to what the actor manages."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    agency = LocalizedChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    unit = LocalizedChoiceField(
        label=_("Training unit"), queryset=TrainingUnit.objects.none(), required=False
    )
    region = LocalizedChoiceField(label=_("Region"), queryset=Region.objects.none(), required=False)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", "—"), *Profile.Gender.choices], required=False
    )
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = managed_agency_list(actor=actor)
        self.fields["agency"].queryset = agencies
        self.fields["unit"].queryset = unit_list(agencies=agencies)
        self.fields["region"].queryset = Region.objects.all()
        self.fields["region"].choices = [("", "—")] + [
            (region.pk, region.name) for region in region_list()
        ]
        if agencies.count() == 1:
            self.fields["agency"].initial = agencies.first()


class ProfileCreateForm(ProfileForm):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        help_text=_("Letters, digits and . @ + - _ only."),
    )
    field_order = ["username"]



class EnrolForm(forms.Form):
    """The course to enrol the chosen people in (the service keeps to the people the actor manages)."""

    course = IdChoiceField(queryset=None)
    profiles = IdListField(required=False)

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
