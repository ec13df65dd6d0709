"""Case qualification: a scenario and its elements (act, means, purpose, part, aggravations …), each with
options, ``select`` single or multiple, its correct options, a weight and an explanation.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import get_language, gettext_lazy as _

from content.models import LegalProvision

from .base import (
    ONE,
    SELECTS,
    ZERO,
    Kind,
    ResponseError,
    correct_list,
    keyed_list,
    keys_of,
    msg,
    name_or_number,
    nfc,
    number,
    right_minus_wrong,
    texts,
)
from .editing import (
    ELEMENT_ONE_CORRECT,
    EditorForm,
    KindEditor,
    RichTextKeeper,
    RowForm,
    form_number,
    keep_order,
    make,
    optional,
    row_formset,
)


def _check_case(data, problems):
    for name in ("scenario", "provision"):
        if name in data and not isinstance(data[name], str):
            problems.append(msg(_("“%(field)s” must be text."), field=name))
    keyed_list(data, "elements", problems, text="label")
    elements = data.get("elements")
    if not isinstance(elements, list):
        return
    for position, element in enumerate(elements, start=1):
        if not isinstance(element, dict):
            continue
        name = name_or_number(element.get("key"), position)
        keys = keyed_list(element, "options", problems, element=name)
        select = element.get("select")
        if select not in SELECTS:
            problems.append(msg(_("Element “%(element)s”: “select” must be “single” or “multiple”."), element=name))
        correct = correct_list(element.get("correct"), keys, problems, element=name)
        if select == "single" and isinstance(element.get("correct"), list) and len(correct) != 1:
            problems.append(
                msg(_("Element “%(element)s” takes one option, so it needs exactly one correct option."), element=name)
            )
        if "weight" in element:
            weight = number(element["weight"])
            if weight is None or weight <= 0:
                problems.append(
                    msg(_("Element “%(element)s”: the weight must be a number greater than 0."), element=name)
                )


def _case_elements(data) -> list:
    elements = data.get("elements")
    if not isinstance(elements, list):
        return []
    return [element for element in elements if isinstance(element, dict) and isinstance(element.get("key"), str)]


def _validate_case(data, response):
    if not isinstance(response, dict):
        raise ResponseError(_("The answer must choose options for the elements of the case."))
    if not response:
        return None
    elements = {element["key"]: element for element in _case_elements(data)}
    given = {}
    for key, chosen in response.items():
        key = nfc(key)
        if key not in elements:
            raise ResponseError(msg(_("The question has no element “%(key)s”."), key=key))
        if chosen is None:
            chosen = []
        if not isinstance(chosen, (list, tuple)) or not all(isinstance(option, str) for option in chosen):
            raise ResponseError(msg(_("The answer for element “%(element)s” must be a list of options."), element=key))
        chosen = sorted({nfc(option) for option in chosen})
        options = keys_of(elements[key].get("options"))
        for option in chosen:
            if option not in options:
                raise ResponseError(msg(_("Element “%(element)s” has no option “%(key)s”."), element=key, key=option))
        if elements[key].get("select") == "single" and len(chosen) > 1:
            raise ResponseError(msg(_("Choose at most one option for element “%(element)s”."), element=key))
        given[key] = chosen
    return {key: given.get(key, []) for key in elements}


def _score_case(data, response):
    if not isinstance(response, dict) or not response:
        return None
    total = weighted = ZERO
    parts = {}
    for element in _case_elements(data):
        key = element["key"]
        options = keys_of(element.get("options"))
        correct = {option for option in element.get("correct") or [] if option in options}
        given = response.get(key)
        if not isinstance(given, (list, tuple)):
            given = []
        chosen = {option for option in given if isinstance(option, str) and option in options}
        if element.get("select") == "single":
            value = ONE if correct and chosen == correct else ZERO
        else:
            value = right_minus_wrong(options, correct, chosen)
        weight = number(element.get("weight", 1))
        if weight is None or weight <= 0:
            weight = ONE
        parts[key] = value
        total += weight
        weighted += weight * value
    return (weighted / total if total else ZERO), parts


# --- the editor ----------------------------------------------------------------------------------------


class ElementForm(RowForm):
    label = forms.CharField(label=_("Label"))
    select = forms.ChoiceField(
        label=_("Answer"),
        choices=[("single", _("one option")), ("multiple", _("any number of options"))],
        initial="multiple",
    )
    weight = forms.DecimalField(label=_("Weight"), required=False, min_value=Decimal("0.01"), max_digits=8, decimal_places=4)
    explanation = forms.CharField(label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ElementOptionForm(RowForm):
    text = forms.CharField(label=_("Text"))
    correct = forms.BooleanField(label=_("Correct"), required=False)


ElementFormSet = row_formset(ElementForm, list_name="elements", key_style="elements")
ElementOptionFormSet = row_formset(ElementOptionForm, list_name="options", key_style="letters")


class CaseForm(EditorForm):
    scenario = RichTextKeeper(label=_("Scenario"), help_text=_("A fictional case."))
    provision = forms.ChoiceField(
        label=_("Legal provision"),
        required=False,
        help_text=_("The options of the “part” and “aggravations” elements are its part labels, as the law writes them (2, 2.ç)."),
    )

    def __init__(self, *args, provisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        # ``provisions``: (code, label) pairs; the label names the article, its title and its edition
        self.fields["provision"].choices = [("", "—"), *provisions]


def provision_names(codes=None) -> dict[str, str]:
    """Provision code → its name in the active language ("Criminal Code of Turkmenistan, Article 129-1.
    Trafficking in persons — 2010 text"), else in its source language, else any; one query. ``codes``: the
    provisions to name; None: every provision."""
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    provisions = LegalProvision.objects.select_related("locale").order_by("pk")
    if codes is not None:
        provisions = provisions.filter(code__in=[code for code in codes if isinstance(code, str)])
    ranked: dict[str, tuple[int, str]] = {}
    for provision in provisions:
        code = provision.locale.language_code
        rank = 0 if code == language else 1 if code == settings.LANGUAGE_CODE[:2] else 2
        if provision.code not in ranked or rank < ranked[provision.code][0]:
            ranked[provision.code] = (rank, str(provision))
    return {code: name for code, (_rank, name) in ranked.items()}


class CaseEditor(KindEditor):
    """Elements (act, means, purpose, consent, part, aggravations …), each with its options and ticks."""

    kind = "case"
    template_name = "assessments/admin/editor/case.html"

    def setup(self):
        original = self.original
        names = provision_names()
        stored = original.get("provision")
        if isinstance(stored, str) and stored and stored not in names:
            names[stored] = stored  # a provision deleted since: its code is all there is to show
        provisions = sorted(names.items(), key=lambda pair: pair[1].casefold())
        self.labels = self.provision_labels(stored, names)
        self.form = CaseForm(
            data=self.data,
            prefix=self.name("case"),
            provisions=provisions,
            initial={"scenario": original.get("scenario", ""), "provision": original.get("provision", "")},
        )
        self.stored_elements = [element for element in original.get("elements") or [] if isinstance(element, dict)]
        initial = [
            {
                "key": element.get("key", ""),
                "label": element.get("label", ""),
                "select": element.get("select", "multiple"),
                "weight": element.get("weight"),
                "explanation": element.get("explanation", ""),
            }
            for element in self.stored_elements
        ]
        self.elements = make(ElementFormSet, data=self.data, prefix=self.name("elements"), initial=initial, blank=1)
        for position, form in enumerate(self.elements.forms):
            stored = self.stored_elements[position] if position < len(self.stored_elements) else {}
            form.options = self.options_formset(form.prefix, stored, self.data)
        self.empty_element = self.elements.empty_form
        self.empty_element.options = self.options_formset(self.empty_element.prefix, {}, None)

    @staticmethod
    def provision_labels(code, names):
        """The labels editors use as option keys of the “part” and “aggravations” elements, for the page."""
        provision = LegalProvision.objects.filter(code=code).order_by("pk").first() if isinstance(code, str) and code else None
        if provision is None:
            return None
        parts, items = [], []
        for block in provision.parts:
            label = block.value.get("label")
            parts.append(label)
            items += [f"{label}.{item.get('label')}" for item in block.value.get("items") or []]
        return {"code": code, "name": names.get(code, code), "parts": ", ".join(parts), "items": ", ".join(items) or "—"}

    def options_formset(self, prefix, stored, data):
        correct = stored.get("correct") if isinstance(stored.get("correct"), list) else []
        initial = [
            {"key": option.get("key", ""), "text": option.get("text", ""), "correct": option.get("key") in correct}
            for option in stored.get("options") or []
            if isinstance(option, dict)
        ]
        return make(ElementOptionFormSet, data=data, prefix=f"{prefix}-options", initial=initial, blank=3)

    def parts(self):
        return [self.form, self.elements, *(form.options for form in self.elements.forms)]

    def is_valid(self) -> bool:
        # the options of a removed (or untouched new) element do not count
        if not (self.form.is_valid() and self.elements.is_valid()):
            return False
        kept = self.elements.rows()
        if not all([form.options.is_valid() for form in kept]):
            return False
        self.check()
        return self.elements.is_valid() and all([form.options.is_valid() for form in kept])

    def check(self):
        for form in self.elements.rows():
            ticked = [row for row in form.options.rows() if row.cleaned_data.get("correct")]
            if form.cleaned_data.get("select") == "single" and len(ticked) != 1:
                form.add_error("select", ELEMENT_ONE_CORRECT)

    def build(self):
        elements = []
        stored_by_key = {element.get("key"): element for element in self.stored_elements}
        for key, form in self.elements.keyed_forms():
            row = form.cleaned_data
            stored = stored_by_key.get(key, {})
            options = form.options.keyed_rows()
            element = {
                "key": key,
                "label": row["label"],
                "select": row["select"],
                "options": [{"key": option_key, "text": option["text"]} for option_key, option in options],
                "correct": keep_order([option_key for option_key, option in options if option["correct"]], stored.get("correct")),
            }
            weight = form_number(row["weight"])
            if weight is not None and weight == stored.get("weight") and type(stored.get("weight")) in (int, float):
                weight = stored["weight"]
            if weight is not None or "weight" in stored:
                element["weight"] = weight if weight is not None else 1
            optional(element, "explanation", row["explanation"], stored)
            elements.append(element)
        result = {}
        scenario = self.form.cleaned_data["scenario"]
        if self.form.fields["scenario"].unchanged(scenario, self.original.get("scenario")):
            scenario = self.original["scenario"]
        optional(result, "scenario", scenario, self.original)
        optional(result, "provision", self.form.cleaned_data["provision"], self.original)
        result["elements"] = elements
        return result


class Case(Kind):
    """No equivalent in Moodle XML or GIFT (export refuses it) and none on paper."""

    name = "case"
    label = _("Case qualification")
    editor = CaseEditor

    def check_data(self, data, problems):
        _check_case(data, problems)

    def validate_response(self, data, response):
        return _validate_case(data, response)

    def score(self, data, response, awards=None):
        return _score_case(data, response)

    def public(self, data, seed):
        return {
            "scenario": data.get("scenario", ""),
            "elements": [
                {
                    "key": element.get("key", ""),
                    "label": element.get("label", ""),
                    "select": element.get("select", "single"),
                    "options": texts(element.get("options"), "text"),
                }
                for element in data.get("elements") or []
            ],
        }

    def key_view(self, data):
        return {
            "elements": {
                element.get("key"): {"correct": set(element.get("correct") or []), "explanation": element.get("explanation", "")}
                for element in data.get("elements") or []
            }
        }

    def from_post(self, *, item, post, name):
        response = {}
        for element in item.public["elements"]:
            values = [value for value in post.getlist(f"{name}-{element['key']}") if value]
            response[element["key"]] = values
        # nothing chosen anywhere is "not answered": an untouched case must not earn the elements
        # whose right answer is to choose nothing
        return response if any(response.values()) else None

    def feedback(self, data, response, parts):
        if response is None:
            return []
        return [
            f"{element.get('label', '')}: {element['explanation']}"
            for element in data.get("elements") or []
            if isinstance(element, dict) and str(parts.get(element.get("key"), "1")) != "1" and element.get("explanation")
        ]

    def key_summary(self, data):
        return "; ".join(
            f"{element.get('key')}: {', '.join(element.get('correct') or []) or '—'} ×{element.get('weight', 1)}"
            for element in data.get("elements") or []
            if isinstance(element, dict)
        )

    def response_example(self, data, *, right, rng):
        response = {}
        for element in data["elements"]:
            keys = [option["key"] for option in element["options"]]
            if right or not keys:
                response[element["key"]] = list(element["correct"])
            elif element.get("select") == "single":
                response[element["key"]] = [rng.choice(keys)]
            else:
                response[element["key"]] = sorted(rng.sample(keys, rng.randint(0, min(2, len(keys)))))
        return response


KIND = Case()
