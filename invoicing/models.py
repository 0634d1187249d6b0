"""Invoices, credit notes, their number sequences, tax filings and the studio's
invoicing preferences.

An invoice freezes a sale's figures as issued (lines, discount, shipping, tax, totals,
currency, the client's name and address); the sale may change later, the invoice does
not change by itself (invoicing.services decides what a change does: see docs/invoicing.md).
Numbers come from the studio's InvoicingSettings row, which is also the counter: it is
locked while a number is taken, in the same transaction as the invoice, so numbers are
gap-free and unique.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from accounts.models import StudioOwned
from sales.models import Refund, Sale, SaleLine


class InvoicingSettings(StudioOwned):
    """One row per studio: invoicing preferences, and the two number counters."""

    invoice_prefix = models.CharField(max_length=20, default="INV-", blank=True)
    next_invoice_number = models.PositiveIntegerField(default=1)
    credit_note_prefix = models.CharField(max_length=20, default="CN-", blank=True)
    next_credit_note_number = models.PositiveIntegerField(default=1)
    tax_number = models.CharField("Tax number (VAT/GST)", max_length=60, blank=True)
    address = models.TextField("Studio address", blank=True)
    auto_invoice_collected_orders = models.BooleanField(
        "Invoice gallery orders paid at the gallery when they are imported", default=True
    )
    reports_invoiced_only = models.BooleanField("Reports count invoiced sales only", default=False)
    remind_days_before = models.PositiveSmallIntegerField(
        "Remind clients this many days before an instalment is due", null=True, blank=True
    )
    remind_days_after = models.PositiveSmallIntegerField(
        "Remind clients this many days after an instalment is overdue", null=True, blank=True
    )
    # The logo printed on invoices: the image itself (PNG or JPEG, at most LOGO_MAX_BYTES),
    # so PDFs need no media storage or URL.
    logo = models.BinaryField(null=True, blank=True, editable=False)
    logo_type = models.CharField(max_length=20, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint("studio", name="uniq_invoicing_settings_studio"),
            models.CheckConstraint(
                condition=Q(next_invoice_number__gte=1) & Q(next_credit_note_number__gte=1),
                name="invoicing_next_numbers_gte_1",
            ),
        ]


class TaxFiling(StudioOwned):
    """A tax report the studio filed: the invoices and credit notes it included lock."""

    period_from = models.DateField()
    period_to = models.DateField()
    filed_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-period_to", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_from__lte=models.F("period_to")), name="filing_period_order"
            )
        ]


class Document(StudioOwned):
    """What an invoice and a credit note share: a number, a date, frozen money."""

    number = models.CharField(max_length=40)
    sequence = models.PositiveIntegerField()
    issued_on = models.DateField()
    currency = models.CharField(max_length=3)
    prices_include_tax = models.BooleanField(default=False)
    client_name = models.CharField(max_length=300)
    client_address = models.TextField(blank=True)
    subtotal_minor = models.BigIntegerField(default=0)
    order_discount_minor = models.BigIntegerField(default=0)
    shipping_minor = models.BigIntegerField(default=0)
    tax_minor = models.BigIntegerField(default=0)
    total_minor = models.BigIntegerField(default=0)
    filing = models.ForeignKey(
        TaxFiling, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def locked(self) -> bool:
        """Included in a filed tax report: its figures never change again."""
        return self.filing_id is not None

    def __str__(self) -> str:
        return self.number


class Invoice(Document):
    # PROTECT: an invoiced sale is not deleted (cancel it: its invoice is credited). Only
    # un-importing an order detaches its documents first (services.release_sale): null.
    sale = models.ForeignKey(
        Sale, on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    # A credit note cancelled this invoice in full (a locked invoice whose sale changed
    # is credited and the sale invoiced again): the sale's current invoice is its one
    # invoice that is not superseded.
    superseded = models.BooleanField(default=False)

    class Meta:
        ordering = ["-sequence"]
        constraints = [
            models.UniqueConstraint("studio", "number", name="uniq_invoice_number"),
            models.UniqueConstraint("studio", "sequence", name="uniq_invoice_sequence"),
            models.UniqueConstraint(
                "sale", condition=Q(superseded=False), name="uniq_current_invoice_per_sale"
            ),
        ]
        indexes = [
            models.Index(fields=["studio", "issued_on"]),
            # The tax report's "not yet filed" count reads only the unfiled documents.
            models.Index(
                fields=["studio", "issued_on"],
                condition=Q(filing__isnull=True),
                name="invoice_unfiled_idx",
            ),
        ]


class CreditNote(Document):
    class Reason(models.TextChoices):
        REFUND = "refund", "Refund"
        CHANGE = "change", "Change to a filed invoice"
        CANCELLED = "cancelled", "Sale cancelled"

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_notes")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    # The refund this credit note records (one credit note per refund, at most).
    refund = models.OneToOneField(
        Refund, on_delete=models.PROTECT, null=True, blank=True, related_name="credit_note"
    )

    class Meta:
        ordering = ["-sequence"]
        constraints = [
            models.UniqueConstraint("studio", "number", name="uniq_credit_note_number"),
            models.UniqueConstraint("studio", "sequence", name="uniq_credit_note_sequence"),
        ]
        indexes = [
            models.Index(fields=["studio", "issued_on"]),
            models.Index(
                fields=["studio", "issued_on"],
                condition=Q(filing__isnull=True),
                name="credit_note_unfiled_idx",
            ),
        ]


class DocumentLine(StudioOwned):
    position = models.PositiveIntegerField(default=0)
    description = models.CharField(max_length=300)
    product_kind = models.CharField(
        max_length=20, choices=SaleLine.Kind.choices, default=SaleLine.Kind.PRODUCT
    )
    quantity = models.PositiveIntegerField(default=1)
    unit_price_minor = models.BigIntegerField(default=0)
    discount_minor = models.BigIntegerField(default=0)
    net_minor = models.BigIntegerField(default=0)  # without tax, after the line discount
    tax_minor = models.BigIntegerField(default=0)
    total_minor = models.BigIntegerField(default=0)  # as the sale shows it
    # The tax rate in hundredths of a percent (2000 = 20 %), derived from the line's tax
    # and net (sales record the tax amount, not the rate): see invoicing.figures.
    tax_rate_bp = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class InvoiceLine(DocumentLine):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")


class CreditNoteLine(DocumentLine):
    credit_note = models.ForeignKey(CreditNote, on_delete=models.CASCADE, related_name="lines")


class TaxDay(StudioOwned):
    """The tax report's running totals: per day, currency, kind of document and tax rate,
    what the invoices (or credit notes) issued that day add. Kept by
    invoicing.tax_rollup in the transaction that freezes a document's figures; the tax
    report adds up these rows instead of every document line.

    A row with a rate (≥ 0) holds the documents' lines at that rate: `count` lines,
    Σ net, Σ tax. The row with rate DOCUMENTS (−1) holds the documents themselves:
    `count` documents and, in `net_minor`, Σ (shipping − order discount), which the report
    puts at 0 %. Rows whose count went back to 0 are left and ignored."""

    DOCUMENTS = -1

    class Kind(models.TextChoices):
        INVOICE = "invoice", "Invoice"
        CREDIT_NOTE = "credit_note", "Credit note"

    day = models.DateField()
    currency = models.CharField(max_length=3)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    rate_bp = models.IntegerField()
    count = models.BigIntegerField(default=0)
    net_minor = models.BigIntegerField(default=0)
    tax_minor = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["studio", "day", "currency", "kind", "rate_bp"], name="tax_day_key"
            )
        ]


class ScheduleTemplate(StudioOwned):
    """A payment schedule kept in Preferences; its steps have the same shape as the API's
    instalments: {"kind", "percent"?, "amount_minor"?, "due": {"offset", "unit",
    "relative_to"}} (checked by invoicing.schedules)."""

    name = models.CharField(max_length=100)
    steps = models.JSONField(default=list)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint("studio", "name", name="uniq_schedule_template_name")
        ]

    def __str__(self) -> str:
        return self.name


class Instalment(StudioOwned):
    """One step of a sale's payment schedule, its amount and due date resolved from its
    rule (invoicing.schedules) whenever the sale, its invoice or its shoot changes."""

    class Kind(models.TextChoices):
        PERCENT = "percent", "Percentage"
        FIXED = "fixed", "Fixed amount"
        REMAINING = "remaining", "The remaining balance"

    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="instalments")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Hundredths of a percent (2500 = 25 %) for PERCENT; minor units for FIXED.
    percent_bp = models.PositiveIntegerField(null=True, blank=True)
    fixed_minor = models.BigIntegerField(null=True, blank=True)
    due_offset = models.IntegerField()  # negative = before
    due_unit = models.CharField(max_length=6)  # days | weeks | months
    due_relative_to = models.CharField(max_length=12)  # invoice_date | shoot_date
    amount_minor = models.BigIntegerField(default=0)
    due_on = models.DateField()
    # The worker's reminder emails, sent once each (invoicing.reminders).
    reminded_before_at = models.DateTimeField(null=True, blank=True)
    reminded_after_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["studio", "due_on"])]
