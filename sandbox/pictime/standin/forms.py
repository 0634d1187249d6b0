"""Forms: photographer login (by email), the gallery shop, and refunds."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from . import catalog, money, orders
from .generator import line_for
from .models import Gallery, Order

ADDRESS_FIELDS = ("line1", "line2", "city", "region", "postcode", "country")


class EmailLoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


def _qty_name(sku: str) -> str:
    return "qty_" + sku.replace("-", "_")


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v.replace("_", " ").title()) for v in values]


class ShopForm(forms.Form):
    """A client's order in one gallery."""

    paper = forms.ChoiceField(choices=_choices(catalog.PRINT_PAPERS), initial="lustre")
    cover = forms.ChoiceField(choices=_choices(catalog.ALBUM_COVERS), initial="linen")
    frame = forms.ChoiceField(choices=_choices(catalog.FRAME_COLOURS), initial="black")
    discount_code = forms.CharField(required=False, max_length=30)
    shipping_method = forms.ChoiceField(
        choices=[(m, m) for m in catalog.SHIPPING_USD], initial="Standard"
    )
    tax_rate = forms.DecimalField(min_value=0, max_value=50, decimal_places=2)
    tax_included = forms.BooleanField(required=False, label="Tax is included in prices")
    payment_collected_by = forms.ChoiceField(
        choices=[("pictime", "Pic-Time (card checkout)"), ("photographer", "The photographer")],
        initial="pictime",
        widget=forms.RadioSelect,
    )
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    email = forms.EmailField()
    phone = forms.CharField(max_length=40, required=False)
    line1 = forms.CharField(label="Address", max_length=200)
    line2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    city = forms.CharField(max_length=100)
    region = forms.CharField(label="State / region", max_length=100, required=False)
    postcode = forms.CharField(max_length=20, required=False)
    country = forms.CharField(label="Country (ISO code)", max_length=2, min_length=2)
    ship_elsewhere = forms.BooleanField(required=False, label="Ship to a different address")

    def __init__(self, *args: object, gallery: Gallery, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.gallery = gallery
        self.currency = gallery.effective_currency
        rate, included = catalog.TAX_DEFAULTS[self.currency]
        self.fields["tax_rate"].initial = rate
        self.fields["tax_included"].initial = included
        self.fields["country"].initial = gallery.account.country
        for product in catalog.PRODUCTS:
            self.fields[_qty_name(product.sku)] = forms.IntegerField(
                min_value=0, max_value=99, required=False, initial=0, label=product.name
            )
        for key in ADDRESS_FIELDS:
            label = self.fields[key].label or key.title()
            self.fields[f"ship_{key}"] = forms.CharField(
                required=False, max_length=200, label=label
            )

    def products(self) -> list[dict]:
        """Catalog rows for the template: product, its price and its quantity field."""
        return [
            {
                "product": p,
                "price": money.display(p.price(self.currency), self.currency),
                "field": self[_qty_name(p.sku)],
            }
            for p in catalog.PRODUCTS
        ]

    def clean_country(self) -> str:
        return self.cleaned_data["country"].upper()

    def _lines(self) -> list:
        data = self.cleaned_data
        lines = []
        for product in catalog.PRODUCTS:
            quantity = data.get(_qty_name(product.sku)) or 0
            if quantity:
                options = catalog.with_choices(
                    product, paper=data["paper"], cover=data["cover"], frame=data["frame"]
                )
                lines.append(line_for(product, quantity, self.currency, options))
        return lines

    def _address(self, prefix: str = "") -> dict:
        return {key: self.cleaned_data.get(prefix + key) or "" for key in ADDRESS_FIELDS}

    def order_request(self) -> orders.OrderRequest:
        data = self.cleaned_data
        lines = self._lines()
        physical = any(not ln.digital for ln in lines)
        method = data["shipping_method"]
        if not physical:
            method = catalog.DIGITAL_SHIPPING
        shipping = self._address("ship_") if data.get("ship_elsewhere") else None
        return orders.OrderRequest(
            gallery=self.gallery,
            client={k: data.get(k, "") for k in ("first_name", "last_name", "email", "phone")},
            billing_address=self._address(),
            shipping_address=shipping,
            lines=lines,
            discount_code=data.get("discount_code", ""),
            shipping_method=method,
            tax_rate=data["tax_rate"],
            tax_included=data["tax_included"],
            payment_collected_by=data["payment_collected_by"],
        )


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        required=False, min_value=Decimal("0"), help_text="Leave empty to refund everything left."
    )
    reason = forms.CharField(required=False, max_length=300)

    def amount_minor(self, order: Order) -> int | None:
        amount = self.cleaned_data.get("amount")
        if amount is None:
            return None
        return money.parse(amount, order.currency)
