"""PDFs (WeasyPrint) and emailing them to the client through a real SMTP server."""

import datetime as dt

import pytest
from django.urls import reverse

from invoicing import pdf, services
from testkit.factories import line

pytestmark = pytest.mark.django_db


def laid_out_text(context: dict) -> str:
    """The text WeasyPrint lays out on the PDF's pages (its content streams hold glyph
    ids, not text, so the test reads the layout the PDF is drawn from)."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    document = HTML(string=render_to_string("invoicing/pdf.html", context)).render()
    texts: list[str] = []

    def walk(box) -> None:
        if getattr(box, "text", None):
            texts.append(box.text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(texts)


@pytest.fixture
def invoiced(studio, make_sale, make_contact):
    services.update_preferences(
        studio=studio, tax_number="GB123456789", address="1 High Street\nLeeds"
    )
    client = make_contact("مريم", "العلي", emails=["maryam@example.com"])
    sale = make_sale(client, lines=[line("album", 45000, tax_minor=9000)])
    return sale, services.create_invoice(sale=sale, issued_on=dt.date(2026, 5, 4))


def test_the_invoice_pdf_has_the_studio_client_number_and_money(invoiced):
    _, invoice = invoiced
    context = pdf.context_for(invoice=invoice)
    assert pdf.render_pdf(context).startswith(b"%PDF-")
    text = laid_out_text(context)
    for expected in ("INV-1", "GB123456789", "1 High Street", "مريم العلي", "£540.00", "20 %"):
        assert expected in text, expected


def test_an_order_confirmation_says_the_number_is_yet_to_be_assigned(make_sale):
    text = laid_out_text(pdf.context_for(sale=make_sale()))
    assert "Order confirmation" in text and "Invoice number yet to be assigned" in text


def test_pdf_pages_and_api(auth_client, api, invoiced):
    sale, invoice = invoiced
    page = auth_client.get(reverse("invoicing:invoice_pdf", args=[invoice.pk]))
    assert page["Content-Type"] == "application/pdf" and page.content.startswith(b"%PDF-")
    response = api.get(f"/api/v1/invoices/{invoice.pk}/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    confirmation = auth_client.get(reverse("invoicing:confirmation_pdf", args=[sale.pk]))
    assert confirmation.content.startswith(b"%PDF-")


def test_emailing_the_invoice_sends_the_pdf_to_a_real_smtp_server(
    auth_client, smtp_server, invoiced
):
    sale, _ = invoiced
    auth_client.post(reverse("invoicing:email", args=[sale.pk]), {"to": ""})
    [message] = smtp_server.messages
    assert message["To"] == "maryam@example.com"
    assert "Invoice INV-1" in message["Subject"]
    [attachment] = [part for part in message.walk() if part.get_filename()]
    assert attachment.get_filename() == "invoice-INV-1.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_payload(decode=True).startswith(b"%PDF-")


def test_no_address_is_a_clear_error_and_nothing_is_sent(auth_client, smtp_server, make_sale):
    sale = make_sale()
    response = auth_client.post(reverse("invoicing:email", args=[sale.pk]), {"to": ""}, follow=True)
    assert "has no email address" in response.content.decode()
    assert smtp_server.messages == []
