"""The contact page's form and its email, phone and address rows.

The forms check shapes (lengths, choices); what a valid email or phone number is, and
whether the contact has enough to identify it, is decided by contacts.services, whose
errors `apply_service_errors` puts back on the field (and row) they are about.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from accounts.models import country_choices
from contacts.details import ADDRESS_FIELDS
from contacts.models import Contact
from core import limits


class ContactForm(forms.Form):
    first_name = forms.CharField(max_length=limits.FIRST_NAME, required=False)
    last_name = forms.CharField(max_length=limits.LAST_NAME, required=False)
    company = forms.CharField(max_length=limits.COMPANY, required=False)
    source = forms.ChoiceField(choices=Contact.Source.choices, initial=Contact.Source.MANUAL)
    tags = forms.CharField(
        required=False,
        help_text="Separate tags with commas, e.g. wedding, repeat client.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["tags"] = [name for name in data["tags"].split(",") if name.strip()]
        return data

    @staticmethod
    def initial_for(contact: Contact) -> dict[str, Any]:
        fields = ("first_name", "last_name", "company", "source", "notes")
        initial = {name: getattr(contact, name) for name in fields}
        initial["tags"] = ", ".join(tag.name for tag in contact.tags.all())
        return initial


class EmailForm(forms.Form):
    email = forms.CharField(
        label="Email address",
        max_length=limits.EMAIL,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    label = forms.CharField(
        max_length=limits.DETAIL_LABEL,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "e.g. work", "size": 10}),
    )

    def item(self) -> dict[str, Any]:
        return {"email": self.cleaned_data["email"], "label": self.cleaned_data["label"]}


class PhoneForm(forms.Form):
    number = forms.CharField(
        label="Phone number",
        max_length=limits.PHONE,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    label = forms.CharField(
        max_length=limits.DETAIL_LABEL,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "e.g. mobile", "size": 10}),
    )

    def item(self) -> dict[str, Any]:
        return {"raw": self.cleaned_data["number"], "label": self.cleaned_data["label"]}


class AddressForm(forms.Form):
    label = forms.CharField(
        max_length=limits.DETAIL_LABEL,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "e.g. home"}),
    )
    line1 = forms.CharField(label="Address line 1", max_length=limits.ADDRESS_LINE, required=False)
    line2 = forms.CharField(label="Address line 2", max_length=limits.ADDRESS_LINE, required=False)
    city = forms.CharField(label="Town or city", max_length=limits.CITY, required=False)
    region = forms.CharField(
        label="County, state or region", max_length=limits.REGION, required=False
    )
    postcode = forms.CharField(label="Postcode", max_length=limits.POSTCODE, required=False)
    country = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, default_country: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *country_choices()]
        # A blank row shows the studio's country and still counts as unchanged (skipped).
        self.fields["country"].initial = default_country

    def item(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ADDRESS_FIELDS}


class DetailFormSet(forms.BaseFormSet):
    def kept_forms(self) -> list[forms.Form]:
        """The rows that go to the service, in order: the saved ones and the filled-in new
        ones, less those marked to remove (service errors point at rows by this order)."""
        saved = self.initial_form_count()
        return [
            form
            for position, form in enumerate(self.forms)
            if (position < saved or form.has_changed()) and not self._should_delete_form(form)
        ]

    def items(self) -> list[dict[str, Any]]:
        return [form.item() for form in self.kept_forms()]


EmailFormSet = forms.formset_factory(EmailForm, formset=DetailFormSet, extra=1, can_delete=True)
PhoneFormSet = forms.formset_factory(PhoneForm, formset=DetailFormSet, extra=1, can_delete=True)
AddressFormSet = forms.formset_factory(AddressForm, formset=DetailFormSet, extra=1, can_delete=True)

# Service field → form field, where the names differ.
FORM_FIELD = {"raw": "number"}


def apply_service_errors(
    exc: ValidationError, form: ContactForm, formsets: dict[str, DetailFormSet]
) -> None:
    """Put each service error on the field it is about: a row's field for a problem with
    one email/phone/address, the form's field otherwise, the top of the form as a last
    resort."""
    for name, errors in exc.error_dict.items():
        for error in errors:
            _apply_one(name, error, form, formsets)


def _apply_one(
    name: str, error: ValidationError, form: ContactForm, formsets: dict[str, DetailFormSet]
) -> None:
    params = error.params if isinstance(error.params, dict) else {}
    index, field = params.get("index"), params.get("field")
    if name in formsets and isinstance(index, int):
        rows = formsets[name].kept_forms()
        if index < len(rows):
            row = rows[index]
            field = FORM_FIELD.get(field, field)
            row.add_error(field if field in row.fields else None, error)
            return
    form.add_error(name if name in form.fields else None, error)
