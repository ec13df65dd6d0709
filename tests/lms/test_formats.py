"""Dates and numbers read as each language writes them (our formats in lms/formats/)."""

import datetime

import pytest
from django import forms
from django.utils import formats, translation

DAY = datetime.date(2027, 2, 15)
MOMENT = datetime.datetime(2027, 2, 15, 9, 5)


@pytest.mark.parametrize(
    ("language", "date", "short", "moment"),
    [
        ("tk", "15 fewral 2027", "15.02.2027", "15 fewral 2027 09:05"),
        ("ru", "15 февраля 2027 г.", "15.02.2027", "15 февраля 2027 г. 9:05"),
        ("en", "15 February 2027", "15 Feb 2027", "15 February 2027, 09:05"),
    ],
)
def test_dates_in_each_language(language, date, short, moment):
    with translation.override(language):
        assert formats.date_format(DAY) == date
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == short
        assert formats.date_format(MOMENT, "DATETIME_FORMAT") == moment


def test_turkmen_dates_carry_no_russian_year_mark():
    with translation.override("tk"):
        for month in range(1, 13):
            text = formats.date_format(datetime.date(2027, month, 1))
            assert "г." not in text
            assert text.split()[1].islower()


@pytest.mark.parametrize(("language", "text"), [("tk", "12\xa0345,5"), ("ru", "12\xa0345,5"), ("en", "12,345.5")])
def test_number_separators(language, text):
    with translation.override(language):
        assert formats.number_format(12345.5, 1, use_l10n=True, force_grouping=True) == text


def test_iso_dates_are_accepted_in_every_language():
    for language in ("tk", "ru", "en"):
        with translation.override(language):
            field = forms.DateField()
            assert field.clean("2027-02-15") == DAY
            assert field.clean("15.02.2027") == DAY
