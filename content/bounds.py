"""Numbers that come from requests, bounded to what the database stores.

A number a client sends (in a path, a query string, a form or a JSON body) is checked against the range of
the column it is compared with or stored in *before* it reaches the database: out of range is a 404 (a
path) or a validation error (400), never an ``OverflowError`` (SQLite) or a ``DataError`` (PostgreSQL).
The ranges are PostgreSQL's, the narrower of the two, so both databases answer the same.
"""

from django import forms
from django.db.backends.base.operations import BaseDatabaseOperations

# BigAutoField, the primary keys of our models (DEFAULT_AUTO_FIELD)
ID_MIN, ID_MAX = 1, 2**63 - 1
ID_DIGITS = len(str(ID_MAX))  # 19
INT_MAX = 2**31 - 1  # IntegerField, PositiveIntegerField, AutoField


def field_range(model, name: str) -> tuple[int, int]:
    """The values the integer column ``model.name`` holds: the type's range, narrowed by the field's own
    ``MinValueValidator``/``MaxValueValidator`` when it has them."""
    field = model._meta.get_field(name)
    low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
    for validator in field._validators:  # the field's declared validators (not the connection's)
        code = getattr(validator, "code", "")
        if code == "min_value":
            low = max(low, validator.limit_value)
        elif code == "max_value":
            high = min(high, validator.limit_value)
    return low, high


def bounded(model, name: str) -> dict:
    """``min_value``/``max_value`` of a form or serializer ``IntegerField`` for the column ``model.name``."""
    low, high = field_range(model, name)
    return {"min_value": low, "max_value": high}


def at_most(model, name: str) -> dict:
    """``max_value`` only, for a field whose lower end a service refuses with a message of its own (a
    capacity below 1, a negative target): the top of the column is the form's, the rule is the service's."""
    return {"max_value": field_range(model, name)[1]}


def _ascii_digits(value) -> str | None:
    text = str(value).strip() if value is not None else ""
    # "²".isdigit() and "١".isdigit() are true too: only ASCII digits, and no more than an id has
    return text if text.isascii() and text.isdigit() and len(text) <= ID_DIGITS else None


def id_or_none(value) -> int | None:
    """An id (1 … 2**63-1) written in ASCII digits, else None: for optional filters of a query string, where
    a value that cannot be right is ignored rather than refused."""
    text = _ascii_digits(value)
    if text is None:
        return None
    number = int(text)
    return number if ID_MIN <= number <= ID_MAX else None


class IdField(forms.IntegerField):
    """A form field for an id: a whole number in the range of a primary key."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", ID_MIN)
        kwargs.setdefault("max_value", ID_MAX)
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(**kwargs)


class IdChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` that looks up only what can be an id: anything else is "not one of the
    choices" (a form error), without a query."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if self.to_field_name is None and id_or_none(value) is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ``ModelMultipleChoiceField`` of ids, with the same early check as ``IdChoiceField``."""

    def _check_values(self, value):
        for item in value:
            if self.to_field_name is None and id_or_none(item) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": item}
                )
        return super()._check_values(value)


class IdListField(forms.Field):
    """Ids given under one name (checkboxes): the values that are ids, in order; any other is left out."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        return [number for number in map(id_or_none, value) if number is not None]


class IdConverter:
    """The ``<id:name>`` path converter: 1 to 19 ASCII digits up to 2**63-1, else the path does not match
    (404). Registered once, in ``content.apps``."""

    regex = "[0-9]{1,%d}" % ID_DIGITS

    def to_python(self, value: str) -> int:
        number = int(value)
        if not ID_MIN <= number <= ID_MAX:
            raise ValueError(value)  # a converter's ValueError means "no match"
        return number

    def to_url(self, value) -> str:
        return str(int(value))


def query_values(form_class, query) -> dict:
    """The values of a query string that ``form_class`` finds valid; a missing or wrong one is left out (a
    filter that cannot be right is ignored, as it always was, but never reaches the database unchecked)."""
    form = form_class(data={name: query.get(name, "") for name in form_class.base_fields})
    form.is_valid()
    return {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
