"""The filters of the admin's question list: module, type, parallel form, test, translation state.

Every filter narrows the queryset in the database (the translation state too, through
``content.translation_state.translation_state_q``), and the options are names in the editor's language
("Module 2: Identification of victims", "Form A", a test's title, "Русский: missing"), never codes. The
options cost a fixed number of queries, whatever the size of the bank.
"""

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.models import Locale

from content.translation_state import (
    LABELS,
    MISSING,
    OUTDATED,
    SOURCE,
    UP_TO_DATE,
    translation_state_q,
    translation_states_annotate,
)

from .models import Assessment, Question
from .selectors import assessment_questions_q, module_labels

ANY_LANGUAGE = "any"
EVERY_LANGUAGE = "all"
STATE_OPTIONS = {
    f"{ANY_LANGUAGE}:{MISSING}": _("A translation is missing"),
    f"{ANY_LANGUAGE}:{OUTDATED}": _("A translation's source changed since the last sync"),
    f"{EVERY_LANGUAGE}:{UP_TO_DATE}": _("Every translation up to date"),
}


class TestChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        label = obj.title or obj.slug
        if obj.form:
            return gettext("%(test)s (form %(form)s)") % {"test": label, "form": obj.form}
        return label


class TestFilter(django_filters.ModelChoiceFilter):
    field_class = TestChoiceField


class QuestionFilterSet(WagtailFilterSet):
    module = django_filters.ChoiceFilter(label=_("module"), empty_label=_("All"), widget=forms.RadioSelect)
    form = django_filters.ChoiceFilter(
        label=_("parallel form"), empty_label=_("All"), method="filter_form", widget=forms.RadioSelect,
        help_text=_("The items of this form and those of any form."),
    )
    test = TestFilter(
        label=_("used in the test"), queryset=Assessment.objects.order_by("slug"), empty_label=_("All"),
        method="filter_test", widget=forms.RadioSelect,
        help_text=_("The items the test may draw: its fixed items, or what its blueprint draws for its form."),
    )
    translations = django_filters.ChoiceFilter(
        label=_("translations"), empty_label=_("All"), method="filter_translations", widget=forms.RadioSelect
    )

    class Meta:
        model = Question
        fields = ["kind", "difficulty", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():  # headings as Wagtail writes them ("Module", not "module")
            filter_.label = capfirst(filter_.label)
        self.locales = list(Locale.objects.order_by("pk"))
        self.filters["module"].extra["choices"] = [(str(number), label) for number, label in module_labels().items()]
        letters = set()
        for forms_ in Question.objects.exclude(forms="").order_by().values_list("forms", flat=True).distinct():
            letters.update(forms_)
        letters.update(Assessment.objects.exclude(form="").order_by().values_list("form", flat=True).distinct())
        self.filters["form"].extra["choices"] = [
            (letter, gettext("Form %(letter)s") % {"letter": letter}) for letter in sorted(letters) if letter.strip()
        ]
        names = dict(settings.LANGUAGES)
        default = self.default_locale
        choices = list(STATE_OPTIONS.items())
        for locale in self.locales:
            if locale.pk == default.pk:
                continue
            name = names.get(locale.language_code, locale.language_code)
            choices += [
                (f"{locale.language_code}:{state}", f"{name}: {LABELS[state]}")
                for state in (MISSING, OUTDATED, UP_TO_DATE)
            ]
        self.filters["translations"].extra["choices"] = choices

    @cached_property
    def default_locale(self):
        code = Locale.get_default().language_code
        return next((locale for locale in self.locales if locale.language_code == code), self.locales[0])

    def filter_form(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(forms__contains=value) | Q(forms=""))

    def filter_test(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(assessment_questions_q(assessment=value))

    def filter_translations(self, queryset, name, value):
        if not value:
            return queryset
        scope, state = value.split(":", 1)
        default = self.default_locale

        def condition(locale, state):
            return translation_state_q(Question, locale=locale, state=state, default_locale=default)

        if scope == EVERY_LANGUAGE:
            wanted = Q()
            for locale in self.locales:
                wanted &= condition(locale, SOURCE) | condition(locale, UP_TO_DATE)
        elif scope == ANY_LANGUAGE:
            wanted = Q(pk__in=[])
            for locale in self.locales:
                wanted |= condition(locale, state)
        else:
            locale = next(locale for locale in self.locales if locale.language_code == scope)
            wanted = condition(locale, state)
        return translation_states_annotate(queryset).filter(wanted)
