"""A money form sent twice (a double click, a resend after a slow answer, Back and Submit)
records once: every form that records a payment, a refund or a new sale carries a one-time
token (core.submissions). Before, each sending recorded again: two payments, the sale
shown overpaid; two sales for one."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sales.models import Payment, Refund, Sale

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="submission" value="([0-9a-f]{32})"')


def tokens(page: str) -> list[str]:
    return TOKEN.findall(page)


@pytest.fixture
def sale(make_sale):
    return make_sale(total_minor=10_000)


def _page(client, url: str) -> str:
    return client.get(url).content.decode()


FORMS = {
    "payment": ("sales:add_payment", {"payment-amount": "30", "payment-paid_on": "2026-05-03"}),
    "refund": ("sales:add_refund", {"refund-amount": "5", "refund-refunded_on": "2026-05-04"}),
    "schedule-payment": (
        "invoicing:add_payment",
        {"pay-how": "amount", "pay-amount": "20.00", "pay-paid_on": "2026-05-03"},
    ),
}


@pytest.mark.parametrize("form", FORMS)
def test_a_payment_or_refund_form_sent_twice_records_once(auth_client, sale, form):
    name, data = FORMS[form]
    page = _page(auth_client, reverse("sales:detail", args=[sale.pk]))
    assert len(set(tokens(page))) >= 3  # one per money form on the page, each its own
    token = tokens(page)[0]  # any unused token will do
    url = reverse(name, args=[sale.pk])
    first = auth_client.post(url, {**data, "submission": token})
    second = auth_client.post(url, {**data, "submission": token})
    assert first.status_code == second.status_code == 302
    rows = (
        Refund.objects.filter(sale=sale) if form == "refund" else Payment.objects.filter(sale=sale)
    )
    assert rows.count() == 1
    third = auth_client.post(
        url, {**data, "submission": tokens(_page(auth_client, url_of(sale)))[0]}
    )
    assert third.status_code == 302 and rows.count() == 2  # a new page's form records again


def url_of(sale: Sale) -> str:
    return reverse("sales:detail", args=[sale.pk])


def test_a_refused_form_can_be_corrected_and_sent_with_the_same_token(auth_client, sale):
    url = reverse("sales:add_payment", args=[sale.pk])
    token = tokens(_page(auth_client, url_of(sale)))[0]
    refused = auth_client.post(url, {"payment-amount": "30.005", "payment-paid_on": "2026-05-03",
                                     "submission": token})  # fmt: skip
    assert refused.status_code == 200 and not Payment.objects.exists()
    auth_client.post(url, {"payment-amount": "30", "payment-paid_on": "2026-05-03",
                           "submission": token})  # fmt: skip
    assert Payment.objects.get().amount_minor == 3000


def test_a_new_sale_sent_twice_is_one_sale_and_both_go_to_it(auth_client, contact):
    token = tokens(_page(auth_client, reverse("sales:create")))[0]
    data = {
        "contact": contact.pk, "shoot": "", "sale_date": "2026-05-02", "currency": "USD",
        "source": "manual", "payment_collected_by": "studio", "order_discount": "",
        "shipping": "", "lines-INITIAL_FORMS": "0", "lines-TOTAL_FORMS": "1",
        "lines-0-description": "8x10 print", "lines-0-product_kind": "print",
        "lines-0-quantity": "1", "lines-0-unit_price": "12.50", "submission": token,
    }  # fmt: skip
    first = auth_client.post(reverse("sales:create"), data)
    second = auth_client.post(reverse("sales:create"), data)
    sale = Sale.objects.get()
    assert first["Location"] == second["Location"] == reverse("sales:detail", args=[sale.pk])
