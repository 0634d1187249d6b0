"""sales.services: validation saves nothing half-way; payments, refunds, edits, duplicates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sales.models import Payment, Refund, Sale, SaleLine
from sales.services import (
    DuplicateSale,
    PaymentInput,
    RefundInput,
    add_payment,
    add_refund,
    cancel_sale,
    delete_sale,
    recompute_totals,
    update_sale,
)
from testkit.factories import line

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 5, 3)


def nothing_saved() -> bool:
    return not (
        Sale.objects.exists()
        or SaleLine.objects.exists()
        or Payment.objects.exists()
        or Refund.objects.exists()
    )


def line_errors(exc: pytest.ExceptionInfo) -> list[tuple[int, str | None]]:
    return [(e.params["index"], e.params["field"]) for e in exc.value.error_dict["lines"]]


def test_one_bad_line_among_good_ones_saves_nothing(make_sale):
    with pytest.raises(ValidationError) as exc:
        make_sale(
            lines=[line(), line(quantity=-2), line(description="Album")],
            payments=[PaymentInput(500, DAY)],
        )
    assert line_errors(exc) == [(1, "quantity")]
    assert "Line 2: The quantity must be at least 1." in exc.value.messages
    assert nothing_saved()


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": 1.5}, "quantity"),
        ({"unit_price_minor": -1}, "unit_price_minor"),
        ({"unit_price_minor": 10.5}, "unit_price_minor"),
        ({"tax_minor": -5}, "tax_minor"),
        ({"discount_minor": 1001}, "discount_minor"),
        ({"description": "   "}, "description"),
        ({"product_kind": "spaceship"}, "product_kind"),
        ({"description": "x" * 301}, "description"),
    ],
)
def test_line_problems_are_reported_at_the_line_field(make_sale, bad, field):
    with pytest.raises(ValidationError) as exc:
        make_sale(lines=[line(**bad)])
    assert line_errors(exc) == [(0, field)]
    assert nothing_saved()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"currency": "XYZ"}, "currency"),
        ({"currency": ""}, "currency"),
        ({"sale_date": "2026-02-30"}, "sale_date"),
        ({"sale_date": "yesterday"}, "sale_date"),
        ({"lines": []}, "lines"),
        ({"shipping_minor": -1}, "shipping_minor"),
        ({"platform_fee_minor": -1}, "platform_fee_minor"),
        ({"source": "ebay"}, "source"),
        ({"status": "lost"}, "status"),
        ({"gallery_url": "not a url"}, "gallery_url"),
        ({"order_discount_minor": 1001}, "order_discount_minor"),
        ({"payments": [PaymentInput(0, DAY)]}, "payments"),
        ({"payments": [PaymentInput(100, "soon")]}, "payments"),
        ({"refunds": [RefundInput(1001, DAY)]}, "refunds"),
    ],
)
def test_bad_sale_input_is_refused_at_its_field(make_sale, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        make_sale(**kwargs)
    assert field in exc.value.error_dict
    assert nothing_saved()


def test_iso_date_strings_are_accepted(make_sale):
    assert make_sale(sale_date="2026-05-04").sale_date == dt.date(2026, 5, 4)


def test_contact_and_shoot_of_another_studio_are_refused(make_sale, foreign):
    their_contact, their_shoot = foreign
    with pytest.raises(ValidationError) as exc:
        make_sale(contact=their_contact, shoot=their_shoot)
    assert set(exc.value.error_dict) == {"contact", "shoot"}
    assert nothing_saved()


def test_duplicate_source_and_reference_raises_duplicate_sale_with_the_existing_id(make_sale):
    first = make_sale(source="pictime", external_ref="PT-1001")
    with pytest.raises(DuplicateSale) as exc:
        make_sale(source="pictime", external_ref="PT-1001", lines=[line(), line()])
    assert exc.value.existing_sale_id == first.pk
    assert isinstance(exc.value, ValidationError)
    assert f"Sale #{first.pk}" in exc.value.message_dict["external_ref"][0]
    assert Sale.objects.count() == 1 and SaleLine.objects.count() == 1
    # The same reference from another source, or no reference at all, is not a duplicate.
    make_sale(source="shootproof", external_ref="PT-1001")
    make_sale()
    make_sale()
    assert Sale.objects.count() == 4


def test_database_constraint_race_becomes_duplicate_sale(make_sale, monkeypatch):
    first = make_sale(source="api", external_ref="Z-9")
    # As if a concurrent writer inserted between the check and the insert.
    monkeypatch.setattr("sales.services._raise_if_duplicate", lambda sale: None)
    with pytest.raises(DuplicateSale) as exc:
        make_sale(source="api", external_ref="Z-9")
    assert exc.value.existing_sale_id == first.pk
    assert Sale.objects.count() == 1


def test_payments_and_refunds_at_creation(make_sale):
    sale = make_sale(
        lines=[line(unit_price_minor=5000)],
        payments=[PaymentInput(3000, DAY, "card"), PaymentInput(2000, DAY)],
        refunds=[RefundInput(1500, DAY, "damaged print", "R-1")],
    )
    assert (sale.paid_minor, sale.refunded_minor) == (5000, 1500)
    assert (sale.net_minor, sale.balance_minor) == (3500, 0)


def test_refunds_may_not_exceed_what_was_paid(make_sale):
    sale = make_sale(lines=[line(unit_price_minor=5000)], payments=[PaymentInput(2000, DAY)])
    add_refund(sale=sale, amount_minor=1500, refunded_on=DAY)
    with pytest.raises(ValidationError) as exc:
        add_refund(sale=sale, amount_minor=501, refunded_on=DAY)
    assert "At most $5.00 more can be refunded" in exc.value.message_dict["amount_minor"][0]
    add_refund(sale=sale, amount_minor=500, refunded_on=DAY)
    sale.refresh_from_db()
    assert (sale.refunded_minor, sale.net_minor) == (2000, 3000)


def test_without_payments_refunds_are_capped_by_the_total(make_sale):
    sale = make_sale(lines=[line(unit_price_minor=5000)], payment_collected_by="provider")
    with pytest.raises(ValidationError):
        add_refund(sale=sale, amount_minor=5001, refunded_on=DAY)
    add_refund(sale=sale, amount_minor=5000, refunded_on=DAY)
    assert Refund.objects.get().amount_minor == 5000


def test_overpaid_sale_still_refunds_no_more_than_the_total(make_sale):
    sale = make_sale(lines=[line(unit_price_minor=1000)], payments=[PaymentInput(1500, DAY)])
    assert sale.balance_minor == -500
    with pytest.raises(ValidationError):
        add_refund(sale=sale, amount_minor=1001, refunded_on=DAY)


def test_refund_with_the_same_external_ref_is_recorded_once(make_sale):
    sale = make_sale(payments=[PaymentInput(1000, DAY)])
    first = add_refund(sale=sale, amount_minor=400, refunded_on=DAY, external_ref="RF-1")
    again = add_refund(sale=sale, amount_minor=400, refunded_on=DAY, external_ref="RF-1")
    assert again.pk == first.pk
    sale.refresh_from_db()
    assert sale.refunded_minor == 400


def test_add_payment_validates_and_updates_totals(make_sale):
    sale = make_sale()
    for amount, paid_on in [(0, DAY), (-5, DAY), (100, "31/12/2026"), ("12.50", DAY)]:
        with pytest.raises(ValidationError):
            add_payment(sale=sale, amount_minor=amount, paid_on=paid_on)
    payment = add_payment(sale=sale, amount_minor=600, paid_on=DAY, method=" card ")
    assert payment.method == "card"
    assert sale.paid_minor == 600 and sale.balance_minor == 400
    assert Sale.objects.get(pk=sale.pk).paid_minor == 600


def test_cancelled_sale_takes_refunds_but_not_payments(make_sale):
    sale = make_sale(payments=[PaymentInput(1000, DAY)])
    cancel_sale(sale=sale, reason="Client changed their mind")
    sale.refresh_from_db()
    assert sale.status == Sale.Status.CANCELLED and sale.cancelled_at is not None
    assert sale.cancel_reason == "Client changed their mind"
    with pytest.raises(ValidationError):
        add_payment(sale=sale, amount_minor=100, paid_on=DAY)
    with pytest.raises(ValidationError):
        cancel_sale(sale=sale)
    add_refund(sale=sale, amount_minor=1000, refunded_on=DAY)
    assert Sale.objects.get(pk=sale.pk).refunded_minor == 1000


def test_update_replaces_lines_and_recomputes(make_sale, other_contact):
    sale = make_sale(lines=[line(), line()])
    update_sale(
        sale=sale,
        lines=[line(quantity=2, unit_price_minor=700, tax_minor=100)],
        contact=other_contact,
        shipping_minor=300,
        notes="  keep my spaces ",
    )
    stored = Sale.objects.get(pk=sale.pk)
    assert stored.contact == other_contact and stored.notes == "  keep my spaces "
    assert stored.lines.count() == 1
    assert stored.total_minor == 1400 + 100 + 300


def test_failed_update_changes_nothing_and_resets_the_object(make_sale, foreign):
    sale = make_sale(lines=[line(), line(description="Album")])
    with pytest.raises(ValidationError) as exc:
        update_sale(sale=sale, lines=[line(quantity=0)], contact=foreign[0], shipping_minor=99)
    assert {"lines", "contact"} <= set(exc.value.error_dict)
    assert sale.shipping_minor == 0 and sale.contact.studio_id == sale.studio_id
    assert SaleLine.objects.filter(sale=sale).count() == 2


def test_update_may_not_lower_the_total_below_refunds(make_sale):
    sale = make_sale(lines=[line(unit_price_minor=5000)])
    add_refund(sale=sale, amount_minor=4000, refunded_on=DAY)
    with pytest.raises(ValidationError) as exc:
        update_sale(sale=sale, lines=[line(unit_price_minor=3000)])
    assert "less than what was already refunded" in exc.value.messages[0]
    assert Sale.objects.get(pk=sale.pk).total_minor == 5000


def test_currency_change_needs_lines_and_no_money_moved(make_sale):
    sale = make_sale()
    with pytest.raises(ValidationError) as exc:
        update_sale(sale=sale, currency="JPY")
    assert "currency" in exc.value.error_dict
    update_sale(sale=sale, currency="JPY", lines=[line(unit_price_minor=1500)])
    assert Sale.objects.get(pk=sale.pk).currency == "JPY"
    add_payment(sale=sale, amount_minor=1500, paid_on=DAY)
    with pytest.raises(ValidationError):
        update_sale(sale=sale, currency="USD", lines=[line()])


def test_update_to_an_existing_reference_is_a_duplicate(make_sale):
    first = make_sale(source="pictime", external_ref="A")
    second = make_sale(source="pictime", external_ref="B")
    with pytest.raises(DuplicateSale) as exc:
        update_sale(sale=second, external_ref="A")
    assert exc.value.existing_sale_id == first.pk
    assert Sale.objects.get(pk=second.pk).external_ref == "B"
    update_sale(sale=second, external_ref="B", notes="same reference is fine")


def test_update_refuses_unknown_fields(make_sale):
    with pytest.raises(TypeError):
        update_sale(sale=make_sale(), total_minor=1)


def test_reopening_clears_the_cancellation(make_sale):
    sale = make_sale()
    cancel_sale(sale=sale, reason="oops")
    update_sale(sale=sale, status=Sale.Status.ACTIVE)
    stored = Sale.objects.get(pk=sale.pk)
    assert (stored.status, stored.cancelled_at, stored.cancel_reason) == ("active", None, "")


def test_delete_removes_lines_payments_refunds(make_sale):
    sale = make_sale(payments=[PaymentInput(1000, DAY)], refunds=[RefundInput(10, DAY)])
    delete_sale(sale=sale)
    assert nothing_saved()


def test_recompute_totals_repairs_drifted_columns(make_sale):
    sale = make_sale(lines=[line(quantity=2, tax_minor=50)], shipping_minor=100)
    Sale.objects.filter(pk=sale.pk).update(total_minor=1, paid_minor=77)
    SaleLine.objects.filter(sale=sale).update(total_minor=0)
    stale = Sale.objects.get(pk=sale.pk)
    stale.shipping_minor = 999_999  # an unsaved change must not leak into the totals
    recompute_totals(sale=stale)
    stored = Sale.objects.get(pk=sale.pk)
    assert (stored.total_minor, stored.paid_minor) == (2000 + 50 + 100, 0)
    assert SaleLine.objects.get(sale=sale).total_minor == 2050


class TestMoveSales:
    def test_moves_the_sales_and_both_clients_totals(self, studio, make_sale, make_contact):
        from sales import client_rollup
        from sales.models import ClientSales
        from sales.services import move_sales

        ada, bea = make_contact("Ada", "One"), make_contact("Bea", "Two")
        make_sale(ada, total_minor=1000)
        make_sale(ada, total_minor=500)
        assert move_sales(sales=Sale.objects.filter(contact=ada), contact=bea) == 2
        assert not Sale.objects.filter(contact=ada).exists()
        assert list(ClientSales.objects.values_list("contact_id", "sales_count")) == [(bea.pk, 2)]
        assert client_rollup.check(studio.pk) == []

    def test_refuses_a_contact_of_another_studio_and_moves_nothing(
        self, make_sale, make_contact, other_studio
    ):
        from sales.services import move_sales

        ada = make_contact("Ada", "One")
        sale = make_sale(ada)
        theirs = make_contact("Zed", "Other", studio=other_studio)
        with pytest.raises(ValidationError, match="another studio"):
            move_sales(sales=Sale.objects.filter(pk=sale.pk), contact=theirs)
        sale.refresh_from_db()
        assert sale.contact_id == ada.pk
