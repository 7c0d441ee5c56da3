"""Dates and numbers as Kazakh and Kyrgyz write them (issue 22; CLDR): the year first, the month in
lower case in a date, 24-hour time, a comma before decimals and a no-break space between
thousands — in pages, PDFs and mails alike (Django's ``formats`` under the active language)."""

import datetime as dt

import pytest
from django.utils import formats, translation


@pytest.mark.parametrize(
    ("language", "date", "datetime", "number"),
    [
        ("kk", "2026 ж. 5 желтоқсан", "2026 ж. 5 желтоқсан, 09:05", "12\xa0345,5"),
        ("ky", "2026-ж., 5-декабрь", "2026-ж., 5-декабрь, 09:05", "12\xa0345,5"),
        ("ru", "5 декабря 2026 г.", "5 декабря 2026 г. 9:05", "12\xa0345,5"),
    ],
)
def test_dates_and_numbers_in_each_language(language, date, datetime, number):
    with translation.override(language):
        assert formats.date_format(dt.date(2026, 12, 5)) == date
        assert formats.date_format(dt.datetime(2026, 12, 5, 9, 5), "DATETIME_FORMAT") == datetime
        assert formats.number_format(12345.5, 1, use_l10n=True, force_grouping=True) == number
        assert formats.date_format(dt.date(2026, 12, 5), "SHORT_DATE_FORMAT") == "05.12.2026"


@pytest.mark.parametrize("language", ["kk", "ky"])
def test_a_date_and_a_decimal_typed_as_people_write_them_are_read(language):
    from decimal import Decimal

    from django import forms

    with translation.override(language):
        assert forms.DateField().clean("05.12.2026") == dt.date(2026, 12, 5)
        assert forms.DecimalField(localize=True).clean("7,5") == Decimal("7.5")
