"""Forms of the invoicing pages: parsing only (the rules live in invoicing.services)."""

from __future__ import annotations

from django import forms

from invoicing.models import InvoicingSettings
from invoicing.services import PREFERENCE_FIELDS


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = InvoicingSettings
        fields = PREFERENCE_FIELDS
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}


class PeriodForm(forms.Form):
    period_from = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    period_to = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and start > end:
            self.add_error("period_to", "The period ends before it starts.")
        return data
