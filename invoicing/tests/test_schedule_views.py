"""The sale page's schedule, Add Payment, payment edits, templates in Preferences."""

import datetime as dt

import pytest
from django.urls import reverse

from invoicing import schedules
from invoicing.models import ScheduleTemplate
from sales.models import SaleAudit
from sales.services import add_refund
from testkit.factories import line

pytestmark = pytest.mark.django_db


def rows(*steps):
    data = {"steps-TOTAL_FORMS": str(len(steps)), "steps-INITIAL_FORMS": "0"}
    for i, (kind, value, offset, unit, side, relative) in enumerate(steps):
        data |= {
            f"steps-{i}-kind": kind,
            f"steps-{i}-value": value,
            f"steps-{i}-offset": str(offset),
            f"steps-{i}-unit": unit,
            f"steps-{i}-side": side,
            f"steps-{i}-relative_to": relative,
        }
    return data


def due(offset, unit):
    return {"offset": offset, "unit": unit, "relative_to": "invoice_date"}


def test_a_template_saved_in_preferences_warns_without_a_remaining_step(auth_client, studio):
    url = reverse("invoicing:templates")
    response = auth_client.post(
        url, {"name": "Half", **rows(("percent", "50", 0, "days", "after", "invoice_date"))}
    )
    assert response.status_code == 302
    page = auth_client.get(url).content.decode()
    assert "remaining balance" in page and "Half" in page
    assert ScheduleTemplate.objects.get().steps[0]["percent"] == 50.0


def test_edit_by_hand_apply_a_template_and_add_payments(auth_client, studio, make_sale):
    sale = make_sale(lines=[line("package", 100000)], sale_date=dt.date(2026, 5, 1))
    auth_client.post(
        reverse("invoicing:edit_schedule", args=[sale.pk]),
        rows(
            ("fixed", "300.00", 0, "days", "after", "invoice_date"),
            ("remaining", "", 2, "weeks", "after", "invoice_date"),
        ),
    )
    assert [i.amount_minor for i in sale.instalments.all()] == [30000, 70000]
    template, _ = schedules.save_template(
        studio=studio,
        name="Thirds",
        steps=[
            {"kind": "percent", "percent": 50, "due": due(0, "days")},
            {"kind": "remaining", "due": due(1, "months")},
        ],
    )
    auth_client.post(reverse("invoicing:apply_template", args=[sale.pk]), {"template": template.pk})
    assert [i.amount_minor for i in sale.instalments.all()] == [50000, 50000]
    pay = reverse("invoicing:add_payment", args=[sale.pk])
    auth_client.post(pay, {"pay-how": "next", "pay-paid_on": "2026-05-02", "pay-method": "card"})
    auth_client.post(
        pay, {"pay-how": "amount", "pay-amount": "600.00", "pay-paid_on": "2026-05-03"}
    )
    sale.refresh_from_db()
    assert sale.paid_minor == 110000
    page = auth_client.get(reverse("sales:detail", args=[sale.pk])).content.decode()
    assert "Credit" in page and "£100.00" in page


def test_a_payment_is_edited_and_deleted_from_the_sale_page(auth_client, make_sale):
    sale = make_sale()
    payment = schedules.record_payment(sale=sale, amount_minor=500, method="cash")
    auth_client.post(
        reverse("invoicing:edit_payment", args=[payment.pk]),
        {"payment-amount": "6.00", "payment-paid_on": "2026-05-04", "payment-method": "cash"},
    )
    payment.refresh_from_db()
    assert payment.amount_minor == 600
    auth_client.post(reverse("invoicing:delete_payment", args=[payment.pk]))
    assert not sale.payments.exists()
    assert SaleAudit.objects.filter(sale=sale).count() == 2
    page = auth_client.get(reverse("sales:detail", args=[sale.pk])).content.decode()
    assert "History" in page and "deleted." in page


def test_another_studios_payment_is_not_found(auth_client, other_studio, make_sale, make_contact):
    theirs = make_sale(make_contact(studio=other_studio), studio=other_studio)
    payment = schedules.record_payment(sale=theirs, amount_minor=500)
    response = auth_client.post(reverse("invoicing:delete_payment", args=[payment.pk]))
    assert response.status_code == 404 and theirs.payments.exists()


@pytest.mark.parametrize("edit", ["abc", "²", "999999", "-1"])
def test_editing_a_template_that_is_not_there_is_a_404_and_saves_nothing(auth_client, studio, edit):
    """Not a server error, and not a new template saved in place of the one being edited
    (deleted meanwhile in another tab, or a mistyped link)."""
    url = reverse("invoicing:templates") + f"?edit={edit}"
    assert auth_client.get(url).status_code == 404
    row = ("percent", "50", 0, "days", "after", "invoice_date")
    assert auth_client.post(url, {"name": "Half", **rows(row)}).status_code == 404
    assert not ScheduleTemplate.objects.exists()


@pytest.mark.parametrize("kind", ["payment", "refund"])
def test_deleting_a_payment_or_refund_asks_first_and_says_what_it_means(
    auth_client, make_sale, kind
):
    """A link on the sale page opens a confirmation (the amount, the date, what the balance
    does); only the confirmation's POST deletes."""
    sale = make_sale()
    payment = schedules.record_payment(
        sale=sale, amount_minor=750, method="cash", paid_on=dt.date(2026, 5, 4)
    )
    row = payment
    if kind == "refund":
        row = add_refund(sale=sale, amount_minor=750, refunded_on=dt.date(2026, 5, 4))
    url = reverse(f"invoicing:delete_{kind}", args=[row.pk])
    sale_page = auth_client.get(reverse("sales:detail", args=[sale.pk])).content.decode()
    assert f'href="{url}"' in sale_page
    page = auth_client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "£7.50" in text and "4 May 2026" in text and "Yes, delete" in text
    assert ("owes that much more" if kind == "payment" else "owed that much less") in text
    model = type(row)
    assert model.objects.filter(pk=row.pk).exists()  # asking deleted nothing
    assert auth_client.post(url).status_code == 302
    assert not model.objects.filter(pk=row.pk).exists()


def test_deleting_a_template_asks_first_and_a_second_click_is_harmless(auth_client, studio):
    template, _ = schedules.save_template(
        studio=studio, name="Half now", steps=[{"kind": "remaining", "due": due(0, "days")}]
    )
    url = reverse("invoicing:delete_template", args=[template.pk])
    listing = auth_client.get(reverse("invoicing:templates")).content.decode()
    assert f'href="{url}"' in listing
    page = auth_client.get(url).content.decode()
    assert "Half now" in page and "Yes, delete" in page
    assert ScheduleTemplate.objects.filter(pk=template.pk).exists()
    assert auth_client.post(url).status_code == 302
    assert not ScheduleTemplate.objects.filter(pk=template.pk).exists()
    assert auth_client.post(url).status_code == 302  # deleted already: back to the list
    assert auth_client.get(url).status_code == 404


def test_a_delete_that_would_be_refused_says_why_before_asking(auth_client, make_sale):
    """A payment the refunds still need, a refund on a credit note: the page says why
    instead of offering the button (the POST is refused as before)."""
    from invoicing import services
    from sales.payments import REFUND_ON_CREDIT_NOTE

    sale = make_sale()
    payment = schedules.record_payment(sale=sale, amount_minor=500, paid_on=dt.date(2026, 5, 4))
    schedules.record_payment(sale=sale, amount_minor=250, paid_on=dt.date(2026, 5, 4))
    services.create_invoice(sale=sale, issued_on=dt.date(2026, 5, 4))
    refund = add_refund(sale=sale, amount_minor=700, refunded_on=dt.date(2026, 5, 5))
    services.follow_sale(sale=sale)
    for row, why in (
        (payment, "Refunds would exceed what was paid"),
        (refund, REFUND_ON_CREDIT_NOTE),
    ):
        kind = "payment" if row is payment else "refund"
        url = reverse(f"invoicing:delete_{kind}", args=[row.pk])
        page = auth_client.get(url).content.decode().replace("&#x27;", "'")
        assert why in page and "Yes, delete" not in page
        auth_client.post(url)
        assert type(row).objects.filter(pk=row.pk).exists()
