"""Forms: photographer login (by email), the gallery order form, refunds."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from . import catalog, money, orders
from .models import Event, Order, Payment

ADDRESS_FIELDS = ("address1", "address2", "city", "state", "postal", "country")


class EmailLoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


def qty_name(code: str) -> str:
    return "qty_" + code.replace("-", "_")


class ShopForm(forms.Form):
    """A client's order from one event (gallery)."""

    coupon = forms.CharField(required=False, max_length=30)
    shipping_method = forms.ChoiceField(
        choices=[(m, m) for m in catalog.SHIPPING_USD], initial="Standard"
    )
    payment = forms.ChoiceField(
        choices=[("card", "Card"), ("paypal", "PayPal"), ("later", "Pay later (unpaid)")],
        initial="card",
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField()
    phone = forms.CharField(max_length=40, required=False)
    address1 = forms.CharField(label="Address", max_length=200)
    address2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    city = forms.CharField(max_length=100)
    state = forms.CharField(label="State / region", max_length=100, required=False)
    postal = forms.CharField(label="Postal code", max_length=20, required=False)
    country = forms.CharField(label="Country (ISO code)", max_length=2, min_length=2)

    def __init__(self, *args: object, event: Event, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.currency = event.brand.currency
        self.fields["country"].initial = "GB" if self.currency == "GBP" else "US"
        for product in catalog.PRODUCTS:
            self.fields[qty_name(product.code)] = forms.IntegerField(
                min_value=0, max_value=99, required=False, initial=0, label=product.name
            )

    def products(self) -> list[dict]:
        return [
            {
                "product": p,
                "price": money.display(p.price(self.currency), self.currency),
                "field": self[qty_name(p.code)],
            }
            for p in catalog.PRODUCTS
        ]

    def clean_country(self) -> str:
        return self.cleaned_data["country"].upper()

    def clean_coupon(self) -> str:
        code = self.cleaned_data["coupon"].strip().upper()
        if code and code not in catalog.COUPONS:
            raise forms.ValidationError(f"The coupon {code} is not valid.")
        return code

    def _lines(self) -> list[orders.LineInput]:
        lines = []
        for n, product in enumerate(catalog.PRODUCTS):
            quantity = self.cleaned_data.get(qty_name(product.code)) or 0
            if quantity:
                options = {key: values[0] for key, values in product.options.items()}
                photo = f"IMG_{423 + n:04d}.jpg" if product.needs_photo else None
                lines.append(
                    orders.LineInput(
                        product.product_type,
                        product.name,
                        quantity,
                        product.price(self.currency),
                        0,
                        photo,
                        options,
                    )
                )
        return lines

    def order_request(self) -> orders.OrderRequest:
        data = self.cleaned_data
        lines = self._lines()
        physical = any(ln.product_type != "digital" for ln in lines)
        subtotal = sum(ln.unit_price * ln.quantity for ln in lines)
        adjustment = 0
        if data.get("coupon"):
            adjustment = money.percent_of(subtotal, catalog.COUPONS[data["coupon"]])
        address = {key: data.get(key) or "" for key in ADDRESS_FIELDS}
        payments = None
        if data["payment"] == "later":
            payments = []
        elif data["payment"] == "paypal":
            payments = [orders.PaymentInput(None, Payment.Method.PAYPAL)]
        shipping = catalog.shipping_price(data["shipping_method"], self.currency)
        return orders.OrderRequest(
            event=self.event,
            customer_name=data["name"],
            customer_email=data["email"],
            customer_phone=data.get("phone") or None,
            billing_address=address,
            shipping_address=address if physical else None,
            lines=lines,
            adjustment=adjustment,
            shipping=shipping if physical else 0,
            payments=payments,
        )


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        required=False, min_value=Decimal("0"), help_text="Leave empty to refund everything left."
    )
    reason = forms.CharField(required=False, max_length=300)

    def amount_minor(self, order: Order) -> int | None:
        amount = self.cleaned_data.get("amount")
        return None if amount is None else money.parse(amount, order.currency)
