from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from content.bounds import IdChoiceField, IdListField
from content.urls import absolute_reverse

from .models import Agency, Profile, Region, TrainingUnit
from .selectors import managed_agency_list, region_list, unit_list


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class LocalizedPasswordResetForm(PasswordResetForm):
    """Django's reset form; the mail is written in the recipient's language, with a link on the public base URL.

    The recipient's language is their profile's, else the language of the request. Whether an account has
    the address is never told (Django's behaviour: the same answer either way).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail")  # Django's Turkmen catalogue lacks its own label
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        self.request = None

    def save(self, *args, request=None, **kwargs):
        self.request = request
        return super().save(*args, request=request, **kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        user = context["user"]
        profile = Profile.objects.filter(user=user).only("language").first()
        language = (profile.language if profile else "") or translation.get_language()
        with translation.override(language):
            link = absolute_reverse(
                "accounts:password_reset_confirm",
                kwargs={"uidb64": context["uid"], "token": context["token"]},
                request=self.request,
            )
            context = {**context, "reset_url": link}
            subject = "".join(render_to_string(subject_template_name, context).splitlines())
            body = render_to_string(email_template_name, context)
        EmailMultiAlternatives(subject, body, from_email, [to_email]).send()


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
