"""Sales: what a client bought. Money is integer minor units + the sale's ISO 4217 currency.

The totals on Sale (subtotal, tax, total, paid, refunded) are derived from its lines,
payments and refunds and kept in step by sales.services on every write; they are stored
so reports can aggregate a million sales without re-summing lines.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from accounts.models import StudioOwned
from contacts.models import Contact
from core.providers import Provider, with_providers
from shoots.models import Shoot


class Sale(StudioOwned):
    # Entered by hand, imported from a gallery provider, or written through the API.
    Source = with_providers(
        "Source", before=(("MANUAL", "manual", "Manual"),), after=(("API", "api", "API"),)
    )

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CANCELLED = "cancelled", "Cancelled"

    class CollectedBy(models.TextChoices):
        STUDIO = "studio", "The studio"
        PROVIDER = "provider", "The gallery provider"

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="sales")
    shoot = models.ForeignKey(
        Shoot, on_delete=models.SET_NULL, null=True, blank=True, related_name="sales"
    )
    sale_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)
    # Free text (an order number, an invoice reference): shown and searched, and unique
    # per source among sales that were not imported. An imported sale's identity is its
    # Inbox item (InboxItem.sale, one-to-one), never this reference: the API, the sale
    # form or another provider may write the same text.
    external_ref = models.CharField(max_length=120, blank=True)
    # Set once, by "Import Order" (inbox.importing); no form or API field writes it.
    imported = models.BooleanField(default=False, editable=False)
    currency = models.CharField(max_length=3)
    prices_include_tax = models.BooleanField(default=False)
    discount_code = models.CharField(max_length=60, blank=True)
    order_discount_minor = models.BigIntegerField(default=0)
    shipping_minor = models.BigIntegerField(default=0)
    shipping_method = models.CharField(max_length=100, blank=True)
    platform_fee_minor = models.BigIntegerField(null=True, blank=True)
    lab_cost_minor = models.BigIntegerField(null=True, blank=True)
    payment_collected_by = models.CharField(
        max_length=20, choices=CollectedBy.choices, default=CollectedBy.STUDIO
    )
    gallery_provider = models.CharField(max_length=20, blank=True)
    gallery_id = models.CharField(max_length=100, blank=True)
    gallery_name = models.CharField(max_length=200, blank=True)
    gallery_url = models.URLField(max_length=500, blank=True)
    notes = models.TextField(blank=True)
    # Set by sales.services.cancel_sale (and cleared when a sale is made active again).
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    # Derived (see module docstring).
    subtotal_minor = models.BigIntegerField(default=0)
    tax_minor = models.BigIntegerField(default=0)
    total_minor = models.BigIntegerField(default=0)
    paid_minor = models.BigIntegerField(default=0)
    refunded_minor = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-sale_date", "-id"]
        indexes = [
            models.Index(fields=["studio", "sale_date"]),
            models.Index(fields=["studio", "contact", "sale_date"]),
            models.Index(fields=["studio", "source", "sale_date"]),
            models.Index(fields=["studio", "shoot"]),
            # Covers the client-value and sales-by-month reports (benchmarks/reports).
            models.Index(
                fields=[
                    "studio",
                    "status",
                    "currency",
                    "contact",
                    "sale_date",
                    "source",
                    "total_minor",
                    "refunded_minor",
                ],
                name="sale_reports_cover_idx",
            ),
            # The sales that still owe (reports.selectors.owed): most sales are paid, so
            # the money-owed report reads this small index instead of every sale.
            models.Index(
                fields=["studio"],
                condition=Q(status="active") & Q(total_minor__gt=F("paid_minor")),
                name="sale_owing_idx",
            ),
        ]
        constraints = [
            # One sale per (source, reference) among sales made by hand or by the API, so a
            # retried create is refused. Imported sales are outside it: one sale per order
            # is InboxItem.sale's unique link, whatever the order's id says.
            models.UniqueConstraint(
                "studio",
                "source",
                "external_ref",
                condition=~Q(external_ref="") & Q(imported=False),
                name="uniq_sale_external_ref",
            ),
            models.CheckConstraint(condition=Q(shipping_minor__gte=0), name="sale_shipping_gte_0"),
            models.CheckConstraint(
                condition=Q(order_discount_minor__gte=0), name="sale_discount_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"Sale #{self.pk} ({self.sale_date})"

    @property
    def net_minor(self) -> int:
        return self.total_minor - self.refunded_minor

    @property
    def balance_minor(self) -> int:
        return self.total_minor - self.paid_minor

    @property
    def gallery_provider_label(self) -> str:
        """The gallery's name as the studio knows it (Pic-Time), whatever the stored id."""
        labels = dict(Provider.choices)
        return labels.get(self.gallery_provider, self.gallery_provider.replace("_", " ").title())

    @property
    def line_discounts_minor(self) -> int:
        """The discounts inside the lines (a gallery's 10 % off prints lands there, not in
        the order-level discount); the subtotal is after them."""
        return sum(line.discount_minor for line in self.lines.all())


class SaleLine(StudioOwned):
    class Kind(models.TextChoices):
        PRINT = "print", "Print"
        ALBUM = "album", "Album"
        WALL_ART = "wall_art", "Wall art"
        DIGITAL = "digital", "Digital"
        PACKAGE = "package", "Package"
        SESSION = "session", "Session fee"
        PRODUCT = "product", "Other product"
        SERVICE = "service", "Service"

    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    description = models.CharField(max_length=300)
    product_kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PRODUCT)
    options = models.JSONField(default=dict, blank=True)
    quantity = models.PositiveIntegerField(default=1)
    unit_price_minor = models.BigIntegerField()
    discount_minor = models.BigIntegerField(default=0)
    tax_minor = models.BigIntegerField(default=0)
    total_minor = models.BigIntegerField(default=0)
    external_ref = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="line_quantity_gte_1"),
            models.CheckConstraint(condition=Q(unit_price_minor__gte=0), name="line_price_gte_0"),
            models.CheckConstraint(condition=Q(discount_minor__gte=0), name="line_discount_gte_0"),
            models.CheckConstraint(condition=Q(tax_minor__gte=0), name="line_tax_gte_0"),
        ]

    def __str__(self) -> str:
        return self.description


class Payment(StudioOwned):
    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="payments")
    amount_minor = models.BigIntegerField()
    paid_on = models.DateField()
    method = models.CharField(max_length=60, blank=True)
    reference = models.CharField(max_length=120, blank=True)
    # Taken at the gallery (written by "Import Order" or a later version of the order),
    # not recorded in Cyan: un-importing may delete it, never a payment the studio recorded.
    from_gallery = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="payment_amount_gt_0"),
        ]


class Refund(StudioOwned):
    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="refunds")
    amount_minor = models.BigIntegerField()
    refunded_on = models.DateField()
    reason = models.CharField(max_length=300, blank=True)
    external_ref = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["refunded_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="refund_amount_gt_0"),
        ]


class SaleAudit(StudioOwned):
    """One line of a sale's money history: a payment or refund edited or deleted (what
    it was and what it became), so a changed record is never silently rewritten."""

    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="audit_lines")
    at = models.DateTimeField(auto_now_add=True)
    by = models.CharField(max_length=254, blank=True)  # who (an email, "api"), when known
    text = models.CharField(max_length=500)
    # The gallery's id of a refund the studio deleted ("refund:<id>"): a later version of
    # the order that still lists it does not bring it back (inbox.imported_updates).
    external_ref = models.CharField(max_length=130, blank=True)

    class Meta:
        ordering = ["-at", "-id"]


class SaleDay(StudioOwned):
    """Active sales of one day, currency, source and invoice state: how many, Σ total and
    Σ refunded. Reports read these rows instead of scanning every sale; sales.rollup keeps
    them, in the transaction of every write to a sale (a day, not a month, so any date
    range is exact). `invoiced` is "has a current invoice", for the studio preference
    "reports count invoiced sales only". Rows whose count went back to 0 are left and
    ignored by readers."""

    day = models.DateField()
    currency = models.CharField(max_length=3)
    source = models.CharField(max_length=20)
    invoiced = models.BooleanField()
    sales_count = models.BigIntegerField(default=0)
    total_minor = models.BigIntegerField(default=0)
    refunded_minor = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["studio", "day", "currency", "source", "invoiced"], name="sale_day_key"
            )
        ]


class SaleDue(StudioOwned):
    """What an owing sale still owes, one row per due date: the money-owed report's rows
    (reports.selectors.owed), so it ages a few rows per owing sale with one GROUP BY
    instead of allocating every owing sale's payments to its instalments. Kept by
    sales.owing for the sales every `sales.rollup.keeping` block wrote; a sale that owes
    nothing has no rows."""

    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="+")
    currency = models.CharField(max_length=3)
    sale_date = models.DateField()
    due_on = models.DateField()
    amount_minor = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["studio", "sale"])]


class ClientSales(StudioOwned):
    """One client's active sales in one currency: how many, Σ total (gross), Σ (total −
    refunded) (net), Σ total of gallery orders, first and last sale date. The client value
    report reads these rows instead of grouping every sale; sales.client_rollup keeps them
    in the transaction of every write to a sale (sales.rollup.keeping). Two rows per client
    and currency: `invoiced_only` False counts every active sale, True only those with a
    current invoice (the studio preference "reports count invoiced sales only"). A row
    whose count falls to 0 is deleted."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    currency = models.CharField(max_length=3)
    invoiced_only = models.BooleanField()
    sales_count = models.BigIntegerField(default=0)
    gross_minor = models.BigIntegerField(default=0)
    net_minor = models.BigIntegerField(default=0)
    gallery_minor = models.BigIntegerField(default=0)
    first_sale = models.DateField(null=True)
    last_sale = models.DateField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["studio", "contact", "currency", "invoiced_only"], name="client_sales_key"
            )
        ]
        indexes = [
            # The page's top N per currency: ORDER BY net DESC, contact LIMIT n reads N
            # index entries (reports.selectors.client_value).
            models.Index(
                fields=["studio", "invoiced_only", "currency", "-net_minor", "contact"],
                condition=Q(sales_count__gt=0),
                name="client_sales_top_idx",
            )
        ]
