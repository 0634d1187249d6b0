"""The Inbox: every order or enquiry that reached the studio, kept with its raw payload.

One InboxItem per (studio, source, account, external id): later versions of the same
order update it. Deliveries record each webhook / poll / API push that brought a version.
"""

from __future__ import annotations

from functools import cached_property

from django.db import models

from accounts.models import StudioOwned
from core import limits
from core.providers import Provider
from galleries.schema import GalleryOrder

# Where an item came from: a gallery provider, or an order/enquiry pushed through the API.
SOURCE_LABELS = {**dict(Provider.choices), "api": "API"}


class InboxItem(StudioOwned):
    class Kind(models.TextChoices):
        ORDER = "order", "Order"
        ENQUIRY = "enquiry", "Enquiry"

    class State(models.TextChoices):
        NEW = "new", "New"
        IMPORTED = "imported", "Imported"
        DISMISSED = "dismissed", "Dismissed"
        NEEDS_ATTENTION = "needs_attention", "Needs attention"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ORDER)
    source = models.CharField(max_length=limits.PROVIDER)
    account_id = models.CharField(max_length=limits.ACCOUNT_ID, blank=True)
    external_id = models.CharField(max_length=limits.ORDER_ID)
    state = models.CharField(max_length=20, choices=State.choices, default=State.NEW)
    # Verbatim body as received (text, so nothing is reformatted) and the normalized order.
    raw_payload = models.TextField()
    normalized = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    # Denormalized for the list page, search and filters.
    order_number = models.CharField(max_length=limits.ORDER_NUMBER, blank=True)
    customer_name = models.CharField(max_length=limits.FULL_NAME, blank=True)
    customer_email = models.CharField(max_length=limits.EMAIL, blank=True)
    gallery_name = models.CharField(max_length=limits.GALLERY_NAME, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    total_minor = models.BigIntegerField(null=True, blank=True)
    order_status = models.CharField(max_length=20, blank=True)
    refunded_minor = models.BigIntegerField(default=0)
    # When a later version of an imported order changed what the sale should say (a
    # refund, a cancellation, a new total): the Inbox's "Changed since import" list.
    changed_after_import_at = models.DateTimeField(null=True, blank=True)
    provider_updated_at = models.DateTimeField(null=True, blank=True)
    placed_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # The imported sale: the order's identity (this item's provider, account and order id)
    # is what links it to its sale, one-to-one, so no two orders can ever share a sale.
    sale = models.OneToOneField(
        "sales.Sale", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        # Newest first by id: keyset pagination stays fast at any depth.
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                "studio", "source", "account_id", "external_id", name="uniq_inbox_item"
            ),
        ]
        indexes = [
            models.Index(fields=["studio", "-id"]),
            models.Index(fields=["studio", "state", "-id"]),
            models.Index(fields=["studio", "source", "-id"]),
            models.Index(fields=["studio", "read_at", "state"]),
            models.Index(fields=["studio", "customer_email"]),
            models.Index(fields=["studio", "order_number"]),
            models.Index(fields=["studio", "external_id"]),
            models.Index(fields=["studio", "-changed_after_import_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.order_number or self.external_id}"

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source.title())

    @property
    def after_import_badge(self) -> str:
        """What happened at the gallery to an imported order, for its row: "Cancelled",
        "Refunded" (the amount is shown beside it), or ""."""
        if self.state != self.State.IMPORTED:
            return ""
        if self.order_status == "cancelled":
            return "Cancelled"
        return "Refunded" if self.refunded_minor else ""

    @cached_property
    def order(self) -> GalleryOrder:
        """The normalized order, parsed once per instance (the receiving service sets it
        when it writes a version). ValueError when the item holds none: an enquiry, or a
        payload Cyan could not read."""
        if self.kind != self.Kind.ORDER or not self.normalized:
            raise ValueError("Only an order that Cyan could read can be imported.")
        return GalleryOrder.model_validate(self.normalized)

    def refresh_from_db(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.__dict__.pop("order", None)  # the stored order may have changed meanwhile
        super().refresh_from_db(*args, **kwargs)


class InboxDelivery(StudioOwned):
    """One arrival of a version of an item: a webhook (keyed by webhook-id), a poll or a push."""

    class Channel(models.TextChoices):
        WEBHOOK = "webhook", "Webhook"
        POLL = "poll", "Polling"
        API = "api", "API push"

    item = models.ForeignKey(InboxItem, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    delivery_key = models.CharField(max_length=limits.DELIVERY_KEY)
    event_type = models.CharField(max_length=limits.EVENT_TYPE, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    changed = models.BooleanField(default=False)
    note = models.CharField(max_length=limits.DELIVERY_NOTE, blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(
                "studio", "channel", "delivery_key", name="uniq_inbox_delivery_key"
            ),
        ]


class WebhookDelivery(StudioOwned):
    """A signed webhook as accepted: its raw body, stored once per (studio, provider,
    webhook-id) before the 2xx, then turned into an Inbox item by a task on the "intake"
    queue (inbox.accepting). Until then the Inbox shows it as arriving; a delivery the
    task could not process keeps the reason in `error`.

    The webhook view writes it with one raw `INSERT … ON CONFLICT DO NOTHING`, so its
    columns are few and its indexes fewer: the unique key and the partial index of what
    is still waiting (the Inbox's arriving rows and the sweep)."""

    # Redefined without its own index: the unique key below starts with the studio.
    studio = models.ForeignKey("accounts.Studio", on_delete=models.CASCADE, related_name="+",
                               db_index=False)  # fmt: skip
    provider = models.CharField(max_length=limits.PROVIDER)
    account_id = models.CharField(max_length=limits.ACCOUNT_ID)
    link = models.ForeignKey(
        "galleries.GalleryLink", on_delete=models.SET_NULL, null=True, related_name="+",
        db_index=False,
    )  # fmt: skip
    delivery_key = models.CharField(max_length=limits.DELIVERY_KEY)
    event_type = models.CharField(max_length=limits.EVENT_TYPE, blank=True)
    body = models.TextField()
    received_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)
    item = models.ForeignKey(
        InboxItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        db_index=False,
    )  # fmt: skip
    # Why processing failed (the delivery is kept; the sweep tries again a few times).
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "studio", "provider", "delivery_key", name="uniq_webhook_delivery_key"
            ),
        ]
        indexes = [
            models.Index(
                fields=["studio", "id"],
                condition=models.Q(processed_at__isnull=True),
                name="webhook_delivery_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} delivery {self.delivery_key}"
