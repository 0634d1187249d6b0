"""The normalized gallery order: the one schema every provider maps into (docs/gallery-order.md).

Amounts are integer minor units of `currency`. Validation lives here, in one place:
field types and ranges, a known currency, and totals that add up.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core import limits
from core.dates import ApiDate, ApiTimestamp
from core.limits import text
from core.money import MoneyError, normalize_currency
from core.numbers import MAX_AMOUNT_MINOR, AmountMinor, PositiveAmountMinor, Quantity

SCHEMA_VERSION = 1

NonNegative = AmountMinor
LineKind = Literal["print", "album", "wall_art", "digital", "package", "product", "service"]
OrderStatus = Literal["placed", "processing", "shipped", "completed", "cancelled"]
PaymentStatus = Literal["unpaid", "partially_paid", "paid", "partially_refunded", "refunded"]

# The same values as a photographer reads them (pages, notes, emails).
LINE_KIND_LABELS = {
    "print": "Print",
    "album": "Album",
    "wall_art": "Wall art",
    "digital": "Digital",
    "package": "Package",
    "product": "Product",
    "service": "Service",
}
ORDER_STATUS_LABELS = {
    "placed": "Placed",
    "processing": "Processing",
    "shipped": "Shipped",
    "completed": "Completed",
    "cancelled": "Cancelled",
}
PAYMENT_STATUS_LABELS = {
    "unpaid": "Unpaid",
    "partially_paid": "Partly paid",
    "paid": "Paid",
    "partially_refunded": "Partly refunded",
    "refunded": "Refunded",
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)


class Address(Strict):
    line1: text(limits.ADDRESS_LINE) = ""
    line2: text(limits.ADDRESS_LINE) = ""
    city: text(limits.CITY) = ""
    region: text(limits.REGION) = ""
    postcode: text(limits.POSTCODE) = ""
    country: text(limits.COUNTRY) = ""

    @field_validator("country")
    @classmethod
    def country_upper(cls, value: str) -> str:
        return value.upper()


class Customer(Strict):
    first_name: text(limits.FIRST_NAME) = ""
    last_name: text(limits.LAST_NAME) = ""
    email: text(limits.EMAIL) = ""
    phone: text(limits.PHONE) = ""
    billing_address: Address | None = None
    shipping_address: Address | None = None

    @model_validator(mode="after")
    def someone(self) -> Customer:
        if not (self.first_name or self.last_name or self.email):
            raise ValueError("customer needs a name or an email")
        return self

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Gallery(Strict):
    id: text(limits.GALLERY_ID)
    name: text(limits.GALLERY_NAME) = ""
    url: text(limits.URL) = ""
    event_date: ApiDate | None = None


class LineItem(Strict):
    id: text(limits.LINE_ID) = ""
    sku: text(limits.SKU) = ""
    kind: LineKind
    name: text(limits.LINE_NAME)
    options: dict[text(limits.OPTION_NAME), text(limits.OPTION_VALUE)] = Field(default_factory=dict)
    quantity: Quantity
    unit_price_minor: NonNegative
    discount_minor: NonNegative = 0
    tax_minor: NonNegative = 0
    total_minor: NonNegative
    digital: bool = False


class Discount(Strict):
    code: text(limits.DISCOUNT_CODE) = ""
    description: text(limits.DISCOUNT_DESCRIPTION) = ""
    amount_minor: NonNegative


class Refund(Strict):
    id: text(limits.LINE_ID)
    amount_minor: PositiveAmountMinor
    reason: text(limits.REFUND_REASON) = ""
    refunded_at: ApiTimestamp


class Fees(Strict):
    platform_fee_minor: NonNegative | None = None
    lab_cost_minor: NonNegative | None = None


class GalleryOrder(Strict):
    schema_version: Literal[1] = SCHEMA_VERSION
    provider: text(limits.PROVIDER, min_length=1)
    account_id: text(limits.ACCOUNT_ID, min_length=1)
    order_id: text(limits.ORDER_ID, min_length=1)
    order_number: text(limits.ORDER_NUMBER) = ""
    gallery: Gallery | None = None
    customer: Customer
    currency: text(limits.CURRENCY)
    prices_include_tax: bool = False
    lines: Annotated[list[LineItem], Field(min_length=1, max_length=1000)]
    # Order-level discounts (gift cards…): subtracted from the total.
    discounts: list[Discount] = Field(default_factory=list)
    # Codes whose amounts are already inside the lines' discount_minor (e.g. 10% off items).
    promotions: list[Discount] = Field(default_factory=list)
    shipping_method: text(limits.SHIPPING_METHOD) = ""
    shipping_minor: NonNegative = 0
    tax_minor: NonNegative = 0
    subtotal_minor: NonNegative
    total_minor: NonNegative
    amount_paid_minor: NonNegative = 0
    refunds: list[Refund] = Field(default_factory=list)
    fees: Fees | None = None
    payment_collected_by: Literal["provider", "studio"] = "studio"
    status: OrderStatus = "placed"
    status_raw: text(limits.RAW_STATUS) = ""
    payment_status: PaymentStatus = "paid"
    payment_status_raw: text(limits.RAW_STATUS) = ""
    placed_at: ApiTimestamp
    updated_at: ApiTimestamp

    @field_validator("currency")
    @classmethod
    def known_currency(cls, value: str) -> str:
        try:
            return normalize_currency(value)
        except MoneyError as exc:
            raise ValueError(str(exc)) from exc

    @model_validator(mode="after")
    def totals_add_up(self) -> GalleryOrder:
        for index, line in enumerate(self.lines):
            _check_line_amounts(index, line, self.prices_include_tax)
            expected = line_total(line, self.prices_include_tax)
            if line.total_minor != expected:
                raise ValueError(
                    f"lines[{index}].total_minor is {line.total_minor} but quantity × unit price"
                    f" − discount{'' if self.prices_include_tax else ' + tax'} is {expected}"
                )
        subtotal = sum(ln.quantity * ln.unit_price_minor - ln.discount_minor for ln in self.lines)
        if self.subtotal_minor != subtotal:
            raise ValueError(f"subtotal_minor is {self.subtotal_minor}, lines add up to {subtotal}")
        line_tax = sum(ln.tax_minor for ln in self.lines)
        if self.tax_minor != line_tax:
            raise ValueError(f"tax_minor is {self.tax_minor}, line taxes add up to {line_tax}")
        expected_total = order_total(self)
        if self.total_minor != expected_total:
            raise ValueError(
                f"total_minor is {self.total_minor} but subtotal + tax + shipping − discounts"
                f" is {expected_total}"
            )
        if self.discount_minor > MAX_AMOUNT_MINOR:
            raise ValueError(
                f"discounts add up to {self.discount_minor},"
                f" more than {MAX_AMOUNT_MINOR} minor units"
            )
        line_discounts = sum(ln.discount_minor for ln in self.lines)
        promoted = sum(p.amount_minor for p in self.promotions)
        if promoted > line_discounts:
            raise ValueError(
                f"promotions ({promoted}) exceed the lines' discounts ({line_discounts})"
            )
        if self.refunded_minor > max(self.amount_paid_minor, 0):
            raise ValueError(
                f"refunds ({self.refunded_minor}) exceed the amount paid ({self.amount_paid_minor})"
            )
        if self.refunded_minor > self.total_minor:
            raise ValueError(
                f"refunds ({self.refunded_minor}) exceed the total ({self.total_minor})"
            )
        return self

    @property
    def refunded_minor(self) -> int:
        return sum(r.amount_minor for r in self.refunds)

    @property
    def balance_minor(self) -> int:
        return self.total_minor - self.amount_paid_minor

    @property
    def discount_minor(self) -> int:
        return sum(d.amount_minor for d in self.discounts)


def _check_line_amounts(index: int, line: LineItem, prices_include_tax: bool) -> None:
    # The same rules as a sale's line (sales.validation): what the Inbox accepts, Import
    # can store.
    gross = line.quantity * line.unit_price_minor
    if gross > MAX_AMOUNT_MINOR:
        raise ValueError(
            f"lines[{index}]: quantity × unit price is more than {MAX_AMOUNT_MINOR} minor units"
        )
    if line.discount_minor > gross:
        raise ValueError(f"lines[{index}].discount_minor is more than quantity × unit price")
    if prices_include_tax and line.tax_minor > gross - line.discount_minor:
        raise ValueError(
            f"lines[{index}].tax_minor: the included tax is more than the line's price after"
            " discount"
        )


def line_total(line: LineItem, prices_include_tax: bool) -> int:
    gross = line.quantity * line.unit_price_minor - line.discount_minor
    return gross if prices_include_tax else gross + line.tax_minor


def order_total(order: GalleryOrder) -> int:
    tax = 0 if order.prices_include_tax else order.tax_minor
    return order.subtotal_minor + tax + order.shipping_minor - order.discount_minor


def describe_errors(exc: Exception) -> str:
    """One readable line per problem, with the field path, for Inbox items and 4xx bodies."""
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return str(exc)
    lines = []
    for error in errors():
        where = ".".join(str(part) for part in error.get("loc", ())) or "order"
        lines.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(lines)
