"""The stand-in's data: photographer accounts, galleries, orders, webhook subscriptions
and deliveries. Money is stored in integer minor units of the order's currency."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from . import ids, money


class Account(models.Model):
    """A Pic-Time photographer (studio) account; logs in as its Django user."""

    public_id = models.CharField(max_length=32, unique=True, default=ids.account_id)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pictime_account"
    )
    name = models.CharField(max_length=200)
    currency = models.CharField(max_length=3, default="USD")
    country = models.CharField(max_length=2, default="US")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name

    @property
    def email(self) -> str:
        return self.user.email


class Gallery(models.Model):
    public_id = models.CharField(max_length=32, unique=True, default=ids.gallery_id)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="galleries")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    event_date = models.DateField()
    currency = models.CharField(max_length=3, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-event_date", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_currency(self) -> str:
        return self.currency or self.account.currency

    @property
    def url(self) -> str:
        return f"{settings.PICTIME_BASE_URL}/g/{self.slug}"


class Order(models.Model):
    class Status(models.TextChoices):
        PLACED = "placed"
        IN_PRODUCTION = "in_production"
        SHIPPED = "shipped"
        CANCELLED = "cancelled"

    class PaymentStatus(models.TextChoices):
        PAID = "paid"
        PARTIALLY_REFUNDED = "partially_refunded"
        REFUNDED = "refunded"

    class CollectedBy(models.TextChoices):
        PICTIME = "pictime"
        PHOTOGRAPHER = "photographer"

    public_id = models.CharField(max_length=32, unique=True, default=ids.order_id)
    number = models.CharField(max_length=20, blank=True, default="")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="orders")
    gallery = models.ForeignKey(Gallery, on_delete=models.PROTECT, related_name="orders")
    currency = models.CharField(max_length=3)
    client = models.JSONField(default=dict)
    billing_address = models.JSONField(default=dict)
    shipping_address = models.JSONField(null=True, blank=True)
    discounts = models.JSONField(default=list)  # [{code, description, scope, amount_minor}]
    shipping_method = models.CharField(max_length=40)
    shipping_minor = models.BigIntegerField(default=0)
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2)
    tax_included = models.BooleanField(default=False)
    subtotal_minor = models.BigIntegerField()  # items after their discounts, before tax
    items_discount_minor = models.BigIntegerField(default=0)
    tax_minor = models.BigIntegerField(default=0)
    order_discount_minor = models.BigIntegerField(default=0)
    total_minor = models.BigIntegerField()
    amount_paid_minor = models.BigIntegerField()
    amount_refunded_minor = models.BigIntegerField(default=0)
    platform_fee_minor = models.BigIntegerField(default=0)
    lab_cost_minor = models.BigIntegerField(default=0)
    payment_collected_by = models.CharField(max_length=20, choices=CollectedBy.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLACED)
    payment_status = models.CharField(
        max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PAID
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "updated_at", "id"])]

    def __str__(self) -> str:
        return self.number or self.public_id

    @property
    def refundable_minor(self) -> int:
        return self.amount_paid_minor - self.amount_refunded_minor

    def fmt(self, minor: int) -> str:
        return money.display(minor, self.currency)


class OrderItem(models.Model):
    class Kind(models.TextChoices):
        PRINT = "print"
        ALBUM = "album"
        WALL_ART = "wall_art"
        DIGITAL = "digital"
        PACKAGE = "package"

    public_id = models.CharField(max_length=32, unique=True, default=ids.item_id)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sku = models.CharField(max_length=60, blank=True, default="")
    product = models.CharField(max_length=200)
    options = models.JSONField(default=dict)
    quantity = models.PositiveIntegerField()
    unit_price_minor = models.BigIntegerField()
    discount_minor = models.BigIntegerField(default=0)
    tax_minor = models.BigIntegerField(default=0)
    total_minor = models.BigIntegerField()
    digital = models.BooleanField(default=False)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product}"


class Refund(models.Model):
    public_id = models.CharField(max_length=32, unique=True, default=ids.refund_id)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="refunds")
    amount_minor = models.BigIntegerField()
    reason = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.public_id


class WebhookEndpoint(models.Model):
    """A subscription: where an OAuth client wants an account's order events sent."""

    public_id = models.CharField(max_length=32, unique=True, default=ids.endpoint_id)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="endpoints")
    application = models.ForeignKey(
        "oauth2_provider.Application", null=True, blank=True, on_delete=models.CASCADE
    )
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=80, default=ids.webhook_secret)
    created_at = models.DateTimeField(default=timezone.now)
    disabled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.url


class Delivery(models.Model):
    """One webhook message to one endpoint; its ``msg_id`` is the ``webhook-id`` header."""

    class Status(models.TextChoices):
        PENDING = "pending"
        SENDING = "sending"
        SUCCEEDED = "succeeded"
        FAILED = "failed"
        DROPPED = "dropped"
        CANCELLED = "cancelled"

    msg_id = models.CharField(max_length=32, unique=True, default=ids.message_id)
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="deliveries")
    event_type = models.CharField(max_length=40)
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.SET_NULL)
    payload = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempt_count = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    release_rank = models.IntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return self.msg_id


class DeliveryAttempt(models.Model):
    class Outcome(models.TextChoices):
        SUCCEEDED = "succeeded"
        FAILED = "failed"
        DROPPED = "dropped"

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True, default="")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    duplicate = models.BooleanField(default=False)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery_id}#{self.number}"


class DeliveryControl(models.Model):
    """Singleton row (pk=1): the fault-injection mode of webhook delivery."""

    class Mode(models.TextChoices):
        NORMAL = "normal"
        PAUSED = "paused"
        DROP = "drop"
        DUPLICATE = "duplicate"
        REVERSE = "reverse"

    mode = models.CharField(max_length=20, choices=Mode.choices, default=Mode.NORMAL)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.mode
