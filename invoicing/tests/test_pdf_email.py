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


def png(width: int = 40, height: int = 20) -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (width, height), (0, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def has_image(context: dict) -> bool:
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from invoicing.pdf import fetcher

    document = HTML(string=render_to_string("invoicing/pdf.html", context), url_fetcher=fetcher())
    found = []

    def walk(box) -> None:
        if type(box).__name__ == "InlineReplacedBox":
            found.append(box)
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in document.render().pages:
        walk(page._page_box)
    return bool(found)


def test_a_logo_uploaded_in_preferences_is_on_the_pdf(auth_client, studio, invoiced):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _, invoice = invoiced
    assert not has_image(pdf.context_for(invoice=invoice))
    form = {
        "invoice_prefix": "INV-",
        "next_invoice_number": "2",
        "credit_note_prefix": "CN-",
        "next_credit_note_number": "1",
        "auto_invoice_collected_orders": "on",
        "logo_file": SimpleUploadedFile("logo.png", png(), content_type="image/png"),
    }
    response = auth_client.post(reverse("invoicing:preferences"), form)
    assert response.status_code == 302
    assert has_image(pdf.context_for(invoice=invoice))
    assert auth_client.get(reverse("invoicing:logo"))["Content-Type"] == "image/png"


def test_a_logo_that_is_not_an_image_is_refused(auth_client, studio, invoiced):
    from django.core.files.uploadedfile import SimpleUploadedFile

    form = {
        "invoice_prefix": "INV-",
        "next_invoice_number": "2",
        "credit_note_prefix": "CN-",
        "next_credit_note_number": "1",
        "tax_number": "GB999",
        "logo_file": SimpleUploadedFile("logo.png", b"not an image", content_type="image/png"),
    }
    response = auth_client.post(reverse("invoicing:preferences"), form)
    assert "must be a PNG or JPEG image" in response.content.decode()
    from invoicing.selectors import preferences

    prefs = preferences(studio=studio)
    assert prefs.logo is None and prefs.tax_number == "GB123456789"  # nothing saved


def test_a_pdf_fetches_no_url(invoiced):
    _, invoice = invoiced
    context = pdf.context_for(invoice=invoice)
    context["studio"] = {**context["studio"], "logo": "http://127.0.0.1:9/logo.png"}
    assert not has_image(context)  # refused, not fetched
    assert pdf.render_pdf(context).startswith(b"%PDF-")
