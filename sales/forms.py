"""Forms of the sale pages. They parse input (amounts into minor units of the sale's
currency with core.money.to_minor); the rules live in sales.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse

from accounts.models import Studio, currency_choices
from contacts.models import Contact
from sales import selectors
from sales.models import Sale, SaleLine
from sales.parsing import (
    AMOUNT_HELP,
    amount_text,
    convert_amounts,
    date_field,
    known_currency,
    money_field,
    options_text,
    parse_options,
)
from sales.services import LineInput
from shoots.models import Shoot

# Form fields holding amounts → the service's keyword (minor units).
SALE_MONEY_FIELDS = {
    "order_discount": "order_discount_minor",
    "shipping": "shipping_minor",
    "platform_fee": "platform_fee_minor",
    "lab_cost": "lab_cost_minor",
}
LINE_MONEY_FIELDS = {
    "unit_price": "unit_price_minor",
    "discount": "discount_minor",
    "tax": "tax_minor",
}
SERVICE_TO_SALE_FIELD = {v: k for k, v in SALE_MONEY_FIELDS.items()}
SERVICE_TO_LINE_FIELD = {v: k for k, v in LINE_MONEY_FIELDS.items()}


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Contact) -> str:
        return obj.display_name


class ShootChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Shoot) -> str:
        return f"{obj.title} ({obj.starts_at:%d %b %Y})"


class SaleForm(forms.Form):
    """A sale's own fields; the lines are a formset beside it."""

    contact = ContactChoiceField(queryset=Contact.objects.none(), empty_label="— choose —")
    shoot = ShootChoiceField(
        queryset=Shoot.objects.none(), required=False, empty_label="— no shoot —"
    )
    sale_date = date_field(label="Date")
    currency = forms.ChoiceField(
        choices=currency_choices,
        error_messages={"invalid_choice": "Unknown currency code: %(value)s."},
    )
    prices_include_tax = forms.BooleanField(
        required=False, label="Prices include tax", help_text="Line tax is then the included part."
    )
    source = forms.ChoiceField(choices=Sale.Source.choices, initial=Sale.Source.MANUAL)
    external_ref = forms.CharField(
        label="External reference", max_length=120, required=False, help_text="e.g. order number"
    )
    discount_code = forms.CharField(max_length=60, required=False)
    order_discount = money_field("Order discount", required=False, help_text=AMOUNT_HELP)
    shipping = money_field(required=False)
    shipping_method = forms.CharField(max_length=100, required=False)
    platform_fee = money_field("Platform fee", required=False)
    lab_cost = money_field("Lab cost", required=False)
    payment_collected_by = forms.ChoiceField(
        label="Payment collected by", choices=Sale.CollectedBy.choices
    )
    gallery_provider = forms.ChoiceField(
        label="Gallery provider",
        choices=[("", "— none —"), *Shoot.GalleryProvider.choices],
        required=False,
    )
    gallery_id = forms.CharField(label="Gallery ID", max_length=100, required=False)
    gallery_name = forms.CharField(max_length=200, required=False)
    gallery_url = forms.URLField(
        label="Gallery link", max_length=500, required=False, assume_scheme="https"
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(
        self, *args: Any, studio: Studio, contact: Contact | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = selectors.contacts_for_sale_form(studio=studio)
        # Choosing a contact redraws the shoot choices as that contact's shoots (htmx).
        self.fields["contact"].widget.attrs.update(
            {
                "hx-get": reverse("sales:shoot_options"),
                "hx-target": f"#{self['shoot'].auto_id}",
                "hx-trigger": "change",
            }
        )
        # A bound form accepts any of the studio's shoots (the contact may have changed
        # since the page was drawn); a fresh one lists the chosen contact's shoots.
        shoots_of = None if self.is_bound else contact
        self.fields["shoot"].queryset = selectors.shoots_for_sale_form(
            studio=studio, contact=shoots_of
        )
        if not self.is_bound:
            self.fields["currency"].initial = studio.default_currency
        self._keep_current_choice("gallery_provider")

    def _keep_current_choice(self, name: str) -> None:
        """An imported sale may carry a value the select does not list: keep it choosable."""
        field = self.fields[name]
        current = self.initial.get(name) or self.data.get(self.add_prefix(name))
        if current and current not in {value for value, _ in field.choices}:
            field.choices = [*field.choices, (current, current)]

    @classmethod
    def initial_for(cls, sale: Sale) -> dict[str, Any]:
        names = [n for n in cls.base_fields if n not in SALE_MONEY_FIELDS]
        initial = {name: getattr(sale, name) for name in names}
        initial["contact"], initial["shoot"] = sale.contact_id, sale.shoot_id
        for name, service_name in SALE_MONEY_FIELDS.items():
            initial[name] = amount_text(getattr(sale, service_name), sale.currency)
        return initial

    @property
    def chosen_currency(self) -> str | None:
        """The currency typed into the bound form, if it is a real one (the lines need it)."""
        return known_currency(self.data.get(self.add_prefix("currency")))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        optional = {"platform_fee", "lab_cost"}
        convert_amounts(self, SALE_MONEY_FIELDS, known_currency(data.get("currency")), optional)
        return data

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values as create_sale()/update_sale() keywords."""
        data = self.cleaned_data
        names = [n for n in self.fields if n not in SALE_MONEY_FIELDS]
        return {n: data[n] for n in names} | {s: data[s] for s in SALE_MONEY_FIELDS.values()}


class LineForm(forms.Form):
    """One line of the sale, in a table row: the labels are ARIA labels."""

    description = forms.CharField(
        max_length=300, widget=forms.TextInput(attrs={"aria-label": "Description"})
    )
    product_kind = forms.ChoiceField(
        choices=SaleLine.Kind.choices,
        initial=SaleLine.Kind.PRODUCT,
        widget=forms.Select(attrs={"aria-label": "Kind"}),
    )
    quantity = forms.IntegerField(
        initial=1,
        min_value=1,
        max_value=1_000_000,
        widget=forms.NumberInput(
            attrs={"aria-label": "Quantity", "min": 1, "class": "narrow-number"}
        ),
        error_messages={"min_value": "The quantity must be at least 1."},
    )
    unit_price = money_field(attrs={"aria-label": "Unit price"})
    discount = money_field(required=False, attrs={"aria-label": "Discount"})
    tax = money_field(required=False, attrs={"aria-label": "Tax"})
    options = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.TextInput(
            attrs={"aria-label": "Options", "placeholder": "Size: 8x10", "size": 16}
        ),
    )

    def __init__(self, *args: Any, currency: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean_options(self) -> dict[str, str]:
        return parse_options(self.cleaned_data.get("options", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        convert_amounts(self, LINE_MONEY_FIELDS, self.currency, optional=set())
        return data

    def line_input(self) -> LineInput:
        data = self.cleaned_data
        return LineInput(
            description=data["description"],
            product_kind=data["product_kind"],
            quantity=data["quantity"],
            unit_price_minor=data["unit_price_minor"],
            discount_minor=data["discount_minor"],
            tax_minor=data["tax_minor"],
            options=data["options"],
        )


class BaseLineFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, currency: str | None = None, **kwargs: Any) -> None:
        self.currency = currency
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {"currency": self.currency}

    def kept_forms(self) -> list[LineForm]:
        """Filled-in rows not ticked for removal, in order: the sale's lines. (A blank
        extra row is never cleaned, so its cleaned_data stays empty.)"""
        return [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not self._should_delete_form(form)
        ]

    def clean(self) -> None:
        if any(self.errors):
            return
        if not self.kept_forms():
            raise ValidationError("Add at least one line.")

    def line_inputs(self) -> list[LineInput]:
        return [form.line_input() for form in self.kept_forms()]

    @staticmethod
    def initial_for(sale: Sale) -> list[dict[str, Any]]:
        return [
            {
                "description": line.description,
                "product_kind": line.product_kind,
                "quantity": line.quantity,
                "unit_price": amount_text(line.unit_price_minor, sale.currency),
                "discount": amount_text(line.discount_minor, sale.currency),
                "tax": amount_text(line.tax_minor, sale.currency),
                "options": options_text(line.options),
            }
            for line in sale.lines.all()
        ]


LineFormSet = forms.formset_factory(LineForm, formset=BaseLineFormSet, extra=0, can_delete=True)


def add_service_errors(error: ValidationError, form: SaleForm, formset: BaseLineFormSet) -> None:
    """Show each problem the service found at its field, its line's field, or on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    lines = formset.kept_forms()
    for key, problems in error.error_dict.items():
        for problem in problems:
            params = problem.params or {}
            if key == "lines" and "index" in params and params["index"] < len(lines):
                line_form = lines[params["index"]]
                field = SERVICE_TO_LINE_FIELD.get(params["field"], params["field"])
                line_form.add_error(field if field in line_form.fields else None, params["text"])
                continue
            field = SERVICE_TO_SALE_FIELD.get(key, key)
            form.add_error(field if field in form.fields else None, problem)


class PaymentForm(forms.Form):
    amount = money_field(help_text=AMOUNT_HELP)
    paid_on = date_field(label="Paid on")
    method = forms.CharField(max_length=60, required=False, help_text="e.g. card, cash")
    reference = forms.CharField(max_length=120, required=False)

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "payment")
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        convert_amounts(self, {"amount": "amount_minor"}, self.currency, optional=set())
        return data


class RefundForm(forms.Form):
    amount = money_field(help_text=AMOUNT_HELP)
    refunded_on = date_field(label="Refunded on")
    reason = forms.CharField(max_length=300, required=False)

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "refund")
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        convert_amounts(self, {"amount": "amount_minor"}, self.currency, optional=set())
        return data


def add_row_service_errors(error: ValidationError, form: PaymentForm | RefundForm) -> None:
    """Payment/refund service errors: amount_minor → amount; the rest by name or on top."""
    for key, problems in getattr(error, "error_dict", {NON_FIELD_ERRORS: [error]}).items():
        field = "amount" if key == "amount_minor" else key
        form.add_error(field if field in form.fields else None, problems)


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=300, required=False, help_text="Optional; shown on the sale."
    )


class SaleFilterForm(forms.Form):
    """The list's filters (GET). Invalid values are reported and left out of the filter."""

    date_from = date_field(label="From", required=False)
    date_to = date_field(label="To", required=False)
    source = forms.ChoiceField(choices=[("", "All sources"), *Sale.Source.choices], required=False)
    status = forms.ChoiceField(choices=[("", "Any status"), *Sale.Status.choices], required=False)
    q = forms.CharField(label="Search", required=False, max_length=200)
    contact = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, studio: Studio, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.studio = studio

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("contact"):
            # A hidden field's error would not show at the field: report it on top.
            data["contact"] = selectors.contact_for_studio(studio=self.studio, pk=data["contact"])
            if data["contact"] is None:
                self.add_error(None, "That contact is not one of your studio's contacts.")
        else:
            data["contact"] = None
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The “to” date is before the “from” date.")
        return data

    def filters(self) -> dict[str, Any]:
        """Keywords for selectors.sale_list() from the fields that parsed."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "source": data.get("source") or None,
            "status": data.get("status") or None,
            "contact": data.get("contact"),
            "query": data.get("q") or "",
        }
