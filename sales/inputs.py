"""What a new sale is made of: one value object (SaleInput) that every caller builds —
the sale form, the REST API, "Import Order" (inbox.importing.sale_input), the test kit —
instead of spelling two dozen keywords to create_sale() and again in its body."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the models only annotate here; importing them is the services' job
    from contacts.models import Contact
    from shoots.models import Shoot


@dataclasses.dataclass(frozen=True)
class LineInput:
    description: str
    product_kind: str
    quantity: int
    unit_price_minor: int
    discount_minor: int = 0
    tax_minor: int = 0
    options: dict = dataclasses.field(default_factory=dict)
    external_ref: str = ""


@dataclasses.dataclass(frozen=True)
class PaymentInput:
    amount_minor: int
    paid_on: dt.date
    method: str = ""
    reference: str = ""
    from_gallery: bool = False  # taken at the gallery (Payment.from_gallery)


@dataclasses.dataclass(frozen=True)
class RefundInput:
    amount_minor: int
    refunded_on: dt.date
    reason: str = ""
    external_ref: str = ""


# The defaults are Sale's own (sales.models): a manual, active sale collected by the studio.
@dataclasses.dataclass(frozen=True)
class SaleInput:
    contact: Contact
    sale_date: dt.date
    currency: str
    lines: Sequence[LineInput]
    shoot: Shoot | None = None
    source: str = "manual"
    external_ref: str = ""
    prices_include_tax: bool = False
    discount_code: str = ""
    order_discount_minor: int = 0
    shipping_minor: int = 0
    shipping_method: str = ""
    platform_fee_minor: int | None = None
    lab_cost_minor: int | None = None
    payment_collected_by: str = "studio"
    gallery_provider: str = ""
    gallery_id: str = ""
    gallery_name: str = ""
    gallery_url: str = ""
    notes: str = ""
    payments: Sequence[PaymentInput] = ()
    refunds: Sequence[RefundInput] = ()
    status: str = "active"

    # Not columns of the sale row: its relations and the rows written beside it.
    RELATED = frozenset({"contact", "shoot", "lines", "payments", "refunds"})

    def column_values(self) -> dict[str, Any]:
        """The sale row's own fields (everything but contact, shoot and the child rows)."""
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if f.name not in self.RELATED
        }

    def but(self, **changes: Any) -> SaleInput:
        """A copy with some fields changed (the object itself is frozen)."""
        return dataclasses.replace(self, **changes)
