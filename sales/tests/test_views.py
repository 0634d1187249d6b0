"""Sale pages: list with filters and totals, create/edit with the lines formset, payments,
refunds, cancel, delete; other studios' sales are 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse

from sales.models import Payment, Refund, Sale, SaleLine
from sales.services import PaymentInput
from testkit.factories import line

pytestmark = pytest.mark.django_db


def sale_post(contact, *, lines=(), **overrides) -> dict:
    data = {
        "contact": contact.pk,
        "shoot": "",
        "sale_date": "2026-05-02",
        "currency": "USD",
        "source": "manual",
        "payment_collected_by": "studio",
        "order_discount": "",
        "shipping": "4.50",
        "lines-INITIAL_FORMS": "0",
    }
    rows = list(lines) or [{"description": "8x10 print", "unit_price": "12.50"}]
    data["lines-TOTAL_FORMS"] = str(len(rows) + 1)  # plus one blank row, as the page draws
    for index, row in enumerate(rows):
        values = {"product_kind": "print", "quantity": "1", "discount": "", "tax": ""} | row
        for name, value in values.items():
            data[f"lines-{index}-{name}"] = value
    blank = len(rows)
    data |= {f"lines-{blank}-product_kind": "product", f"lines-{blank}-quantity": "1"}
    return data | overrides


def page_text(response) -> str:
    return response.content.decode()


def test_list_empty_state(auth_client):
    response = auth_client.get(reverse("sales:list"))
    assert response.status_code == 200
    assert "No sales yet." in page_text(response)


def test_list_filters_and_totals_per_currency(auth_client, make_sale, other_contact):
    make_sale(sale_date=dt.date(2026, 5, 1), lines=[line(unit_price_minor=1000)])
    make_sale(sale_date=dt.date(2026, 6, 1), lines=[line(unit_price_minor=2500)])
    make_sale(
        sale_date=dt.date(2026, 6, 2),
        currency="JPY",
        lines=[line(unit_price_minor=3000)],
        source="pictime",
        external_ref="PT-42",
        contact=other_contact,
    )
    html = page_text(auth_client.get(reverse("sales:list")))
    assert "$35.00" in html and "¥3,000" in html and "PT-42" in html

    june = page_text(auth_client.get(reverse("sales:list"), {"date_from": "2026-06-01"}))
    assert "$25.00" in june and "$10.00" not in june

    pictime = page_text(auth_client.get(reverse("sales:list"), {"source": "pictime"}))
    assert "PT-42" in pictime and "$25.00" not in pictime

    theirs = page_text(auth_client.get(reverse("sales:list"), {"contact": other_contact.pk}))
    assert "Sales of <strong>Grace Hopper</strong>" in theirs and "$25.00" not in theirs

    nothing = page_text(auth_client.get(reverse("sales:list"), {"source": "shootproof"}))
    assert "No sales match these filters." in nothing


def test_list_reports_a_bad_date_at_the_field(auth_client, make_sale):
    make_sale()
    html = page_text(auth_client.get(reverse("sales:list"), {"date_from": "2026-13-45"}))
    assert "Enter a real date as YYYY-MM-DD" in html
    assert "$10.00" in html  # the bad filter is left out, the list still shows


def test_create_with_formset(auth_client, contact, shoot):
    data = sale_post(
        contact,
        shoot=shoot.pk,
        lines=[
            {"description": "Album", "product_kind": "album", "unit_price": "300", "tax": "30"},
            {
                "description": "Prints",
                "quantity": "3",
                "unit_price": "12.50",
                "discount": "2.50",
                "options": "Size: 8x10; Paper: Lustre",
            },
        ],
    )
    response = auth_client.post(reverse("sales:create"), data)
    sale = Sale.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("sales:detail", args=[sale.pk])
    assert (sale.shoot, sale.currency, sale.shipping_minor) == (shoot, "USD", 450)
    lines = list(sale.lines.all())
    assert [(ln.description, ln.quantity, ln.unit_price_minor) for ln in lines] == [
        ("Album", 1, 30000),
        ("Prints", 3, 1250),
    ]
    assert lines[1].options == {"Size": "8x10", "Paper": "Lustre"}
    assert sale.total_minor == 30000 + 3000 + 3500 + 450

    detail = page_text(auth_client.get(response["Location"]))
    assert "Paper: Lustre" in detail and "$369.50" in detail


def test_amount_with_too_many_decimals_is_an_error_at_the_field(auth_client, contact):
    data = sale_post(contact, lines=[{"description": "Print", "unit_price": "12.345"}])
    response = auth_client.post(reverse("sales:create"), data)
    assert response.status_code == 200
    html = page_text(response)
    assert 'id="id_lines-0-unit_price_error"' in html
    assert "12.345 has more decimal places than USD allows (at most 2 decimal places)." in html
    assert not Sale.objects.exists()


def test_jpy_refuses_decimals_bhd_takes_three(auth_client, contact):
    jpy = sale_post(
        contact, currency="JPY", shipping="", lines=[{"description": "P", "unit_price": "100.5"}]
    )
    assert "than JPY allows (no decimal places)" in page_text(
        auth_client.post(reverse("sales:create"), jpy)
    )
    bhd = sale_post(
        contact,
        currency="BHD",
        shipping="1.005",
        lines=[{"description": "P", "unit_price": "2.125"}],
    )
    assert auth_client.post(reverse("sales:create"), bhd).status_code == 302
    assert Sale.objects.get().total_minor == 2125 + 1005


@pytest.mark.parametrize(
    ("overrides", "row", "error_id", "message"),
    [
        ({"currency": "XYZ"}, {}, "id_currency_error", "Unknown currency code: XYZ."),
        ({"sale_date": "2026-02-30"}, {}, "id_sale_date_error", "Enter a real date"),
        ({"shipping": "-1"}, {}, "id_shipping_error", "cannot be negative"),
        ({"shipping": "abc"}, {}, "id_shipping_error", "Enter an amount as a number"),
        ({}, {"quantity": "-1"}, "id_lines-0-quantity_error", "at least 1"),
        ({}, {"discount": "20"}, "id_lines-0-discount_error", "larger than quantity × unit price"),
        ({}, {"options": "no colon"}, "id_lines-0-options_error", "name: value"),
        ({"order_discount": "100"}, {}, "id_order_discount_error", "order discount is larger"),
    ],
)
def test_bad_input_is_shown_at_the_field_and_nothing_saved(
    auth_client, contact, overrides, row, error_id, message
):
    rows = [{"description": "Print", "unit_price": "12.50"} | row]
    response = auth_client.post(
        reverse("sales:create"), sale_post(contact, lines=rows, **overrides)
    )
    assert response.status_code == 200
    html = page_text(response)
    assert f'id="{error_id}"' in html
    assert message in html
    assert not Sale.objects.exists() and not SaleLine.objects.exists()


def test_a_sale_needs_a_line(auth_client, contact):
    data = sale_post(contact)
    for name in ("description", "unit_price"):
        data[f"lines-0-{name}"] = ""
    data["lines-0-product_kind"] = "product"  # untouched rows, as the page draws them
    html = page_text(auth_client.post(reverse("sales:create"), data))
    assert "Add at least one line." in html
    assert not Sale.objects.exists()


def test_other_studios_contact_cannot_be_posted(auth_client, foreign):
    response = auth_client.post(reverse("sales:create"), sale_post(foreign[0]))
    assert 'id="id_contact_error"' in page_text(response)
    assert not Sale.objects.exists()


def test_duplicate_reference_is_shown_at_the_field(auth_client, contact, make_sale):
    existing = make_sale(source="pictime", external_ref="PT-5")
    data = sale_post(contact, source="pictime", external_ref="PT-5")
    html = page_text(auth_client.post(reverse("sales:create"), data))
    assert 'id="id_external_ref_error"' in html and f"Sale #{existing.pk}" in html
    assert Sale.objects.count() == 1


def test_new_sale_prefills_contact_shoot_and_currency(auth_client, studio, contact, shoot):
    url = reverse("sales:create") + f"?contact={contact.pk}&shoot={shoot.pk}"
    response = auth_client.get(url)
    form = response.context["form"]
    assert form.initial["contact"] == contact.pk and form.initial["shoot"] == shoot.pk
    assert form["currency"].value() == studio.default_currency == "GBP"
    assert list(form.fields["shoot"].queryset) == [shoot]


def test_shoot_options_follow_the_contact(auth_client, contact, other_contact, shoot):
    url = reverse("sales:shoot_options")
    assert shoot.title in page_text(auth_client.get(url, {"contact": contact.pk}))
    assert shoot.title not in page_text(auth_client.get(url, {"contact": other_contact.pk}))


def test_edit_replaces_lines(auth_client, make_sale, contact):
    sale = make_sale(lines=[line(), line(description="Old album")])
    form_page = auth_client.get(reverse("sales:edit", args=[sale.pk]))
    assert form_page.context["formset"].forms[1]["description"].value() == "Old album"
    data = sale_post(contact, lines=[{"description": "New print", "unit_price": "15"}])
    response = auth_client.post(reverse("sales:edit", args=[sale.pk]), data)
    assert response.status_code == 302
    sale.refresh_from_db()
    assert [ln.description for ln in sale.lines.all()] == ["New print"]
    assert sale.total_minor == 1500 + 450


def test_edit_keeps_unchanged_lines_and_drops_removed_ones(auth_client, make_sale, contact):
    sale = make_sale(lines=[line(description="Keep"), line(description="Drop")])
    data = sale_post(
        contact,
        lines=[
            {"description": "Keep", "unit_price": "10.00"},
            {"description": "Drop", "unit_price": "10.00", "DELETE": "on"},
        ],
        **{"lines-INITIAL_FORMS": "2"},
    )
    assert auth_client.post(reverse("sales:edit", args=[sale.pk]), data).status_code == 302
    assert [ln.description for ln in Sale.objects.get(pk=sale.pk).lines.all()] == ["Keep"]


def test_payment_and_refund_forms(auth_client, make_sale):
    sale = make_sale(lines=[line(unit_price_minor=5000)])
    pay = reverse("sales:add_payment", args=[sale.pk])
    response = auth_client.post(pay, {"payment-amount": "30.005", "payment-paid_on": "2026-05-03"})
    assert 'id="id_payment-amount_error"' in page_text(response)
    response = auth_client.post(pay, {"payment-amount": "30", "payment-paid_on": "2026-05-03"})
    assert response.status_code == 302
    assert Payment.objects.get().amount_minor == 3000

    refund = reverse("sales:add_refund", args=[sale.pk])
    response = auth_client.post(refund, {"refund-amount": "31", "refund-refunded_on": "2026-05-04"})
    assert 'id="id_refund-amount_error"' in page_text(response)
    assert "At most $30.00 more can be refunded" in page_text(response)
    auth_client.post(refund, {"refund-amount": "5", "refund-refunded_on": "2026-05-04"})
    sale.refresh_from_db()
    assert (sale.paid_minor, sale.refunded_minor, sale.balance_minor) == (3000, 500, 2000)
    detail = page_text(auth_client.get(reverse("sales:detail", args=[sale.pk])))
    assert "$45.00" in detail  # net


def test_cancel_asks_first_then_cancels(auth_client, make_sale):
    sale = make_sale(payments=[PaymentInput(100, dt.date(2026, 5, 2))])
    url = reverse("sales:cancel", args=[sale.pk])
    assert "Yes, cancel the sale" in page_text(auth_client.get(url))
    assert Sale.objects.get(pk=sale.pk).status == "active"
    response = auth_client.post(url, {"reason": "Duplicate order"}, follow=True)
    assert "cancelled" in page_text(response)
    sale.refresh_from_db()
    assert (sale.status, sale.cancel_reason) == ("cancelled", "Duplicate order")


def test_delete_asks_first_then_deletes(auth_client, make_sale):
    sale = make_sale(payments=[PaymentInput(100, dt.date(2026, 5, 2))])
    url = reverse("sales:delete", args=[sale.pk])
    assert "Yes, delete" in page_text(auth_client.get(url))
    assert Sale.objects.filter(pk=sale.pk).exists()
    response = auth_client.post(url)
    assert response["Location"] == reverse("sales:list")
    assert (
        not Sale.objects.exists() and not Payment.objects.exists() and not Refund.objects.exists()
    )


def test_other_studios_sale_is_404_everywhere(client, make_sale, other_studio_and_owner):
    sale = make_sale()
    client.force_login(other_studio_and_owner[1])
    for name in ("detail", "edit", "delete", "cancel"):
        assert client.get(reverse(f"sales:{name}", args=[sale.pk])).status_code == 404
    for name in ("delete", "cancel", "add_payment", "add_refund"):
        assert client.post(reverse(f"sales:{name}", args=[sale.pk])).status_code == 404
    assert Sale.objects.get(pk=sale.pk).status == "active"
    assert "No sales yet." in page_text(client.get(reverse("sales:list")))


def test_pages_need_login(client):
    response = client.get(reverse("sales:list"))
    assert response.status_code == 302


def test_money_filter():
    template = Template(
        "{% load money_tags %}{{ a|money:'USD' }} {{ b|money:'JPY' }} {{ c|money:'BHD' }}"
    )
    assert (
        template.render(Context({"a": 123450, "b": 1235, "c": 1235})) == "$1,234.50 ¥1,235 BHD1.235"
    )


def test_the_currency_list_offers_current_currencies_only(auth_client, contact):
    body = page_text(auth_client.get(reverse("sales:create")))
    for current in ("GBP", "EUR", "USD", "JPY", "BHD"):
        assert f'<option value="{current}"' in body, current
    for gone in ("DEM", "FRF", "BGN", "ANG"):  # BGN: Bulgaria pays in euros since 2026
        assert f'<option value="{gone}"' not in body, gone
    response = auth_client.post(reverse("sales:create"), sale_post(contact, currency="DEM"))
    assert response.status_code == 200 and "Unknown currency code: DEM." in page_text(response)
    assert not Sale.objects.exists()


def test_a_sale_in_a_retired_currency_can_still_be_edited(auth_client, make_sale):
    sale = make_sale(currency="BGN", lines=[line(unit_price_minor=1000)])
    url = reverse("sales:edit", args=[sale.pk])
    assert '<option value="BGN" selected>' in page_text(auth_client.get(url))
    response = auth_client.post(url, sale_post(sale.contact, currency="BGN", shipping=""))
    assert response.status_code == 302, page_text(response)
    sale.refresh_from_db()
    assert sale.currency == "BGN"


def test_the_contact_picker_lists_a_few_and_searches_the_rest(auth_client, studio, contact):
    from sales.selectors import CONTACT_CHOICES
    from testkit.factories import make_contact

    for n in range(CONTACT_CHOICES + 5):
        make_contact(studio, first_name="Aaron", last_name=f"Aardvark{n:03d}")
    far = make_contact(studio, first_name="Zelda", last_name="Zyzzyva", emails=["zz@example.com"])
    body = page_text(auth_client.get(reverse("sales:create")))
    assert body.count("Aardvark") == CONTACT_CHOICES  # not all 55, not 100,000
    assert "Zyzzyva" not in body
    options = reverse("sales:contact_options")
    for query in ("zyzz", "zz@example.com", "Zelda Zyz"):
        found = page_text(auth_client.get(options, {"contact_search": query}))
        assert f'<option value="{far.pk}">Zelda Zyzzyva</option>' in found, query
        assert "Aardvark" not in found
    kept = page_text(auth_client.get(options, {"contact_search": "zyzz", "contact": contact.pk}))
    assert f'<option value="{contact.pk}" selected>' in kept  # the chosen one stays
    nothing = page_text(auth_client.get(options, {"contact_search": "qqqq"}))
    assert "No contact matches" in nothing
    # A contact the page never listed is still accepted, and shown when the form returns.
    response = auth_client.post(reverse("sales:create"), sale_post(far, sale_date="bad"))
    assert f'<option value="{far.pk}" selected>' in page_text(response)
    assert auth_client.post(reverse("sales:create"), sale_post(far)).status_code == 302
    assert Sale.objects.get().contact == far


def test_the_contact_picker_never_offers_another_studios_contact(auth_client, foreign, contact):
    theirs = foreign[0]
    options = reverse("sales:contact_options")
    for query in ("", "Yours"):
        found = page_text(auth_client.get(options, {"contact_search": query, "contact": theirs.pk}))
        assert f'value="{theirs.pk}"' not in found and "Not Yours" not in found
    response = auth_client.post(reverse("sales:create"), sale_post(theirs))
    assert response.status_code == 200 and not Sale.objects.exists()


def test_a_discount_the_gallery_put_on_the_lines_shows_with_its_code(auth_client, make_sale):
    sale = make_sale(
        lines=[line(unit_price_minor=10000, discount_minor=7500)],
        discount_code="SPRING10",
        payment_collected_by=Sale.CollectedBy.PROVIDER,
        gallery_provider="pictime",
    )
    body = page_text(auth_client.get(reverse("sales:detail", args=[sale.pk])))
    assert "Discount on the lines (SPRING10)" in body and "−$75.00" in body
    assert "−$0.00" not in body
    assert "Payment collected by</dt><dd>Pic-Time</dd>" in body, body[
        body.find("collected by") : body.find("collected by") + 120
    ]
