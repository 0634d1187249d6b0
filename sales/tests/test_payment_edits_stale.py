"""Editing a payment or refund checks the refund rule against the amounts in the database,
not the caller's copy: two people (or an API client and a person) editing the same
payment could otherwise leave refunds above what was paid. Before the fix, the check
took the caller's old amount out of the sale's paid total."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sales import payments
from sales.models import Payment, Refund, Sale
from sales.services import add_payment, add_refund

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 5, 2)


@pytest.fixture
def paid_sale(make_sale) -> Sale:
    sale = make_sale(total_minor=10_000)
    add_payment(sale=sale, amount_minor=10_000, paid_on=DAY)
    return sale


def test_a_stale_payment_cannot_bring_paid_below_what_was_refunded(paid_sale):
    add_refund(sale=paid_sale, amount_minor=6_000, refunded_on=DAY)
    stale = Payment.objects.get(sale=paid_sale)  # read by the second editor: 10,000
    payments.update_payment(payment=Payment.objects.get(pk=stale.pk), amount_minor=15_000)
    # Paid is 15,000 now; 2,000 would leave 2,000 paid against 6,000 refunded.
    with pytest.raises(ValidationError):
        payments.update_payment(payment=stale, amount_minor=2_000)
    paid_sale.refresh_from_db()
    assert paid_sale.refunded_minor <= paid_sale.paid_minor == 15_000


def test_a_stale_refund_cannot_take_refunds_above_what_was_paid(paid_sale):
    add_refund(sale=paid_sale, amount_minor=1_000, refunded_on=DAY)
    stale = Refund.objects.get(sale=paid_sale)  # 1,000
    payments.update_refund(refund=Refund.objects.get(pk=stale.pk), amount_minor=6_000)
    # Refunded is 6,000 now; 9,000 in its place is fine, but the stale copy's arithmetic
    # (6,000 − 1,000 + 9,000 = 14,000) must not be what decides: 9,000 ≤ 10,000 paid.
    payments.update_refund(refund=stale, amount_minor=9_000)
    paid_sale.refresh_from_db()
    assert paid_sale.refunded_minor == 9_000
    with pytest.raises(ValidationError):
        payments.update_refund(refund=stale, amount_minor=10_001)
    paid_sale.refresh_from_db()
    assert paid_sale.refunded_minor == 9_000 <= paid_sale.paid_minor


@pytest.mark.parametrize("edit", ["update_payment", "delete_payment"])
def test_a_payment_deleted_meanwhile_is_not_found(paid_sale, edit):
    stale = Payment.objects.get(sale=paid_sale)
    payments.delete_payment(payment=Payment.objects.get(pk=stale.pk))
    kwargs = {"amount_minor": 1} if edit == "update_payment" else {}
    with pytest.raises(Payment.DoesNotExist):
        getattr(payments, edit)(payment=stale, **kwargs)
