"""The filters every report shares: a date range and a currency (or all currencies)."""

from __future__ import annotations

import datetime as dt

from django import forms

from accounts.models import Studio
from core.dates import DATE_INPUT_LIMITS, validate_date
from reports.selectors import ALL_CURRENCIES, ReportFilters, sale_currencies

DATE_INPUT = forms.DateInput(attrs={"type": "date", **DATE_INPUT_LIMITS}, format="%Y-%m-%d")


class ReportFilterForm(forms.Form):
    date_from = forms.DateField(
        label="From", required=False, widget=DATE_INPUT, validators=[validate_date]
    )
    date_to = forms.DateField(
        label="To", required=False, widget=DATE_INPUT, validators=[validate_date]
    )
    currency = forms.ChoiceField(label="Currency", required=False)

    def __init__(self, *args, studio: Studio, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.studio = studio
        default = studio.default_currency
        others = sorted(set(sale_currencies(studio=studio)) - {default})
        self.fields["currency"].choices = [
            *((code, code) for code in [default, *others]),
            (ALL_CURRENCIES, "All currencies"),
        ]
        self.fields["currency"].initial = studio.default_currency

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return data

    def filters(self) -> ReportFilters:
        """The valid filters; the defaults (all dates, the studio's currency) otherwise."""
        if not self.is_bound or not self.is_valid():
            return ReportFilters(currency=self.studio.default_currency)
        data = self.cleaned_data
        currency = data.get("currency") or self.studio.default_currency
        return ReportFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            currency=None if currency == ALL_CURRENCIES else currency,
        )


def last_twelve_months(today: dt.date) -> tuple[dt.date, dt.date]:
    """From the first of the month eleven months ago to today: twelve calendar months."""
    month = today.month - 11
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.date(year, month, 1), today
