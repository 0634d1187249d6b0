"""The stand-in's data: studios (accounts), brands, events, orders with their items and
payments, the notification feed and the fault switch. Public ids are integers handed out
by ``ids.next_id`` (never reused, even after a delete); money is kept in integer minor
units of the order's currency and shown as decimal numbers at the edge."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from . import money


class Counter(models.Model):
    """The last id handed out per kind of record (``ids.next_id``)."""

    name = models.CharField(max_length=30, primary_key=True)
    last = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.name}={self.last}"


class Account(models.Model):
    """A ShootProof studio; logs in as its Django user and owns one or more brands."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shootproof_account"
    )
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name

    @property
    def email(self) -> str:
        return self.user.email


class Brand(models.Model):
    id = models.BigIntegerField(primary_key=True)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="brands")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    currency = models.CharField(max_length=3, default="USD")
    tax_rate = models.DecimalField(max_digits=5, decimal_places=3, default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    """A gallery ("event" in ShootProof's API); orders are placed from one."""

    id = models.BigIntegerField(primary_key=True)
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="events")
    name = models.CharField(max_length=200)
    event_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-event_date", "id"]

    def __str__(self) -> str:
        return self.name


class Order(models.Model):
    class Status(models.TextChoices):
        OPEN = "open"
        PROCESSING = "processing"
        SHIPPED = "shipped"
        COMPLETED = "completed"
        CANCELLED = "cancelled"

    class PaymentStatus(models.TextChoices):
        UNPAID = "unpaid"
        PARTIALLY_PAID = "partially-paid"
        PAID = "paid"
        PARTIALLY_REFUNDED = "partially-refunded"
        REFUNDED = "refunded"

    id = models.BigIntegerField(primary_key=True)
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="orders")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    payment_status = models.CharField(max_length=20, choices=PaymentStatus.choices)
    customer_name = models.CharField(max_length=300)
    customer_email = models.CharField(max_length=254)
    customer_phone = models.CharField(max_length=60, null=True, blank=True)
    billing_address = models.JSONField(null=True, blank=True)
    shipping_address = models.JSONField(null=True, blank=True)
    currency = models.CharField(max_length=3)
    subtotal_minor = models.BigIntegerField()
    adjustment_minor = models.BigIntegerField(default=0)
    shipping_minor = models.BigIntegerField(default=0)
    tax_minor = models.BigIntegerField(default=0)
    total_minor = models.BigIntegerField()
    amount_paid_minor = models.BigIntegerField(default=0)
    amount_refunded_minor = models.BigIntegerField(default=0)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["brand", "updated_at", "id"]),
            models.Index(fields=["brand", "created_at", "id"]),
        ]

    def __str__(self) -> str:
        return str(self.id)

    @property
    def balance_due_minor(self) -> int:
        return self.total_minor - self.amount_paid_minor + self.amount_refunded_minor

    @property
    def refundable_minor(self) -> int:
        return self.amount_paid_minor - self.amount_refunded_minor

    def fmt(self, minor: int) -> str:
        return money.display(minor, self.currency)


class OrderItem(models.Model):
    class ProductType(models.TextChoices):
        PRINT = "print"
        DIGITAL = "digital"
        ALBUM = "album"
        WALL_ART = "wall-art"
        PACKAGE = "package"
        PRODUCT = "product"

    id = models.BigIntegerField(primary_key=True)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    product_type = models.CharField(max_length=20, choices=ProductType.choices)
    name = models.CharField(max_length=200)
    photo_name = models.CharField(max_length=200, null=True, blank=True)
    options = models.JSONField(default=dict)
    quantity = models.PositiveIntegerField()
    unit_price_minor = models.BigIntegerField()
    discount_minor = models.BigIntegerField(default=0)
    total_minor = models.BigIntegerField()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.name}"


class Payment(models.Model):
    class Kind(models.TextChoices):
        PAYMENT = "payment"
        REFUND = "refund"

    class Method(models.TextChoices):
        CARD = "card"
        PAYPAL = "paypal"
        CASH = "cash"
        OTHER = "other"

    id = models.BigIntegerField(primary_key=True)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    amount_minor = models.BigIntegerField()
    method = models.CharField(max_length=10, choices=Method.choices)
    reason = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_minor}"


class Notification(models.Model):
    """One entry of a brand's notification feed; outlives a deleted order on purpose."""

    class Type(models.TextChoices):
        ORDER_PLACED = "order-placed"
        ORDER_UPDATED = "order-updated"
        ORDER_CANCELLED = "order-cancelled"
        ORDER_REFUNDED = "order-refunded"
        ORDER_DELETED = "order-deleted"

    id = models.BigIntegerField(primary_key=True)
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="notifications")
    notification_type = models.CharField(max_length=30, choices=Type.choices)
    order_id = models.BigIntegerField()
    message = models.CharField(max_length=300)
    dismissed = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.notification_type} {self.order_id}"


class Fault(models.Model):
    """Singleton row (pk=1): the fault injected into /studio responses."""

    class Mode(models.TextChoices):
        NONE = "none"
        SLOW = "slow"
        RATE_LIMIT = "rate_limit"
        RATE_LIMIT_NO_RETRY_AFTER = "rate_limit_no_retry_after"
        SERVER_ERROR = "server_error"

    mode = models.CharField(max_length=30, choices=Mode.choices, default=Mode.NONE)
    seconds = models.FloatField(default=0)
    status = models.PositiveIntegerField(default=503)
    remaining = models.IntegerField(null=True, blank=True)  # None: until switched off
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.mode
