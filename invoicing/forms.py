"""Forms of the invoicing pages: parsing only (the rules live in invoicing.services)."""

from __future__ import annotations

from django import forms

from core.money import MoneyError, to_minor
from invoicing import schedule_rules as rules
from invoicing.models import Instalment, InvoicingSettings
from invoicing.services import PREFERENCE_FIELDS


class PreferencesForm(forms.ModelForm):
    logo_file = forms.FileField(
        label="Logo for invoices", required=False, help_text="PNG or JPEG, at most 512 KB."
    )
    remove_logo = forms.BooleanField(label="Remove the logo", required=False)

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


class StepForm(forms.Form):
    """One instalment of a schedule, in a table row (ARIA labels)."""

    kind = forms.ChoiceField(
        choices=[("", "—"), *Instalment.Kind.choices],
        required=False,
        widget=forms.Select(attrs={"aria-label": "Kind"}),
    )
    value = forms.CharField(
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"aria-label": "Percent or amount", "size": 8}),
    )
    offset = forms.IntegerField(
        initial=0,
        widget=forms.NumberInput(attrs={"aria-label": "Offset", "class": "narrow-number"}),
    )
    unit = forms.ChoiceField(
        choices=[(u, u) for u in rules.UNITS], widget=forms.Select(attrs={"aria-label": "Unit"})
    )
    side = forms.ChoiceField(
        choices=[("after", "after"), ("before", "before")],
        widget=forms.Select(attrs={"aria-label": "Before or after"}),
    )
    relative_to = forms.ChoiceField(
        choices=[("invoice_date", "the invoice date"), ("shoot_date", "the shoot date")],
        widget=forms.Select(attrs={"aria-label": "Relative to"}),
    )

    def step(self, currency: str) -> dict | None:
        """The API's shape of this row; None for an empty row."""
        data = self.cleaned_data
        if not data.get("kind"):
            return None
        offset = abs(data["offset"]) * (-1 if data["side"] == "before" else 1)
        body: dict = {
            "kind": data["kind"],
            "due": {"offset": offset, "unit": data["unit"], "relative_to": data["relative_to"]},
        }
        value = (data.get("value") or "").strip().rstrip("%").strip()
        if data["kind"] == "percent":
            body["percent"] = value
        elif data["kind"] == "fixed":
            try:
                body["amount_minor"] = to_minor(value, currency)
            except MoneyError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return body

    @staticmethod
    def initial_of(step: dict) -> dict:
        due = step["due"]
        value = step.get("percent", "")
        return {
            "kind": step["kind"],
            "value": f"{value:g}" if isinstance(value, float) else value,
            "offset": abs(due["offset"]),
            "side": "before" if due["offset"] < 0 else "after",
            "unit": due["unit"],
            "relative_to": due["relative_to"],
        }


StepFormSet = forms.formset_factory(StepForm, extra=0, max_num=24)


def steps_from(formset: forms.BaseFormSet, currency: str) -> list[dict]:
    """The filled rows as steps; a percent stays text for schedule_rules to check."""
    steps = []
    for form in formset.forms:
        step = form.step(currency)
        if step is not None:
            if "percent" in step:
                try:
                    step["percent"] = float(step["percent"])
                except ValueError:
                    step["percent"] = None
            steps.append(step)
    return steps


class AddPaymentForm(forms.Form):
    how = forms.ChoiceField(
        label="Pay",
        choices=[
            ("next", "The next instalment"),
            ("outstanding", "Everything outstanding"),
            ("amount", "A sum of your choice"),
        ],
        initial="next",
        widget=forms.RadioSelect,
    )
    amount = forms.CharField(required=False, max_length=30, label="Sum")
    paid_on = forms.DateField(label="Paid on", widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.CharField(max_length=60, required=False, help_text="e.g. card, cash")

    def __init__(self, *args: object, currency: str, **kwargs: object) -> None:
        kwargs.setdefault("prefix", "pay")
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean(self) -> dict:
        data = super().clean()
        if data.get("how") == "amount":
            try:
                data["amount_minor"] = to_minor(data.get("amount") or "", self.currency)
            except MoneyError as exc:
                self.add_error("amount", str(exc))
        return data
