"""Invoicing pages (thin: services write, selectors read)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.decorators import studio_required
from core.clock import studio_today
from invoicing import documents, pdf, selectors, services
from invoicing.forms import PeriodForm, PreferencesForm
from invoicing.models import CreditNote, Invoice
from sales.models import Sale
from sales.selectors import sale_detail


def _sale(request: HttpRequest, pk: int) -> Sale:
    try:
        return sale_detail(studio=request.studio, pk=pk)
    except Sale.DoesNotExist as exc:
        raise Http404("No such sale.") from exc


@studio_required
def invoice_list(request: HttpRequest) -> HttpResponse:
    context = {
        "invoices": selectors.invoice_list(studio=request.studio)[:200],
        "credit_notes": selectors.credit_note_list(studio=request.studio)[:200],
    }
    return render(request, "invoicing/list.html", context)


@require_POST
@studio_required
def create_invoice(request: HttpRequest, sale_pk: int) -> HttpResponse:
    sale = _sale(request, sale_pk)
    try:
        invoice = services.create_invoice(sale=sale)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("sales:detail", pk=sale.pk)
    messages.success(request, f"Invoice {invoice.number} created.")
    return redirect("sales:detail", pk=sale.pk)


@studio_required
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        invoice = selectors.get_invoice(studio=request.studio, pk=pk)
    except Invoice.DoesNotExist as exc:
        raise Http404("No such invoice.") from exc
    return render(request, "invoicing/document.html", documents.invoice_context(invoice))


@studio_required
def credit_note_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        note = selectors.get_credit_note(studio=request.studio, pk=pk)
    except CreditNote.DoesNotExist as exc:
        raise Http404("No such credit note.") from exc
    return render(request, "invoicing/document.html", documents.credit_note_context(note))


@studio_required
def order_confirmation(request: HttpRequest, sale_pk: int) -> HttpResponse:
    sale = _sale(request, sale_pk)
    return render(request, "invoicing/document.html", documents.confirmation_context(sale))


@studio_required
def tax_report(request: HttpRequest) -> HttpResponse:
    today = studio_today(request.studio)
    first = today.replace(day=1)
    last_month_end = first - dt.timedelta(days=1)
    initial = {"period_from": last_month_end.replace(day=1), "period_to": last_month_end}
    form = PeriodForm(request.GET or None, initial=initial)
    period = initial
    if form.is_bound and form.is_valid():
        period = form.cleaned_data
    report = selectors.tax_report(studio=request.studio, **period)
    context = {
        "form": form,
        "report": report,
        "filings": selectors.filings(studio=request.studio)[:20],
    }
    return render(request, "invoicing/tax_report.html", context)


@require_POST
@studio_required
def file_tax_report(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the period to file.")
        return redirect("invoicing:tax_report")
    try:
        services.file_tax_report(studio=request.studio, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Tax report filed: its invoices and credit notes are locked.")
    return redirect("invoicing:tax_report")


@studio_required
def preferences(request: HttpRequest) -> HttpResponse:
    instance = selectors.preferences(studio=request.studio)
    form = PreferencesForm(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            with transaction.atomic():
                services.update_preferences(studio=request.studio, **fields)
                upload = form.cleaned_data.get("logo_file")
                if upload is not None:
                    services.set_logo(studio=request.studio, image=upload.read())
                elif form.cleaned_data.get("remove_logo"):
                    services.set_logo(studio=request.studio, image=None)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Invoicing preferences saved.")
            return redirect("invoicing:preferences")
    return render(request, "invoicing/preferences.html", {"form": form, "tab": "invoicing"})


def _pdf_response(context: dict) -> HttpResponse:
    response = HttpResponse(pdf.render_pdf(context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.filename(context)}"'
    return response


@studio_required
def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        invoice = selectors.get_invoice(studio=request.studio, pk=pk)
    except Invoice.DoesNotExist as exc:
        raise Http404("No such invoice.") from exc
    return _pdf_response(pdf.context_for(invoice=invoice))


@studio_required
def credit_note_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        note = selectors.get_credit_note(studio=request.studio, pk=pk)
    except CreditNote.DoesNotExist as exc:
        raise Http404("No such credit note.") from exc
    return _pdf_response(pdf.context_for(credit_note=note))


@studio_required
def confirmation_pdf(request: HttpRequest, sale_pk: int) -> HttpResponse:
    return _pdf_response(pdf.context_for(sale=_sale(request, sale_pk)))


@require_POST
@studio_required
def email_document(request: HttpRequest, sale_pk: int) -> HttpResponse:
    """Email the invoice (or the order confirmation before invoicing) as a PDF."""
    sale = _sale(request, sale_pk)
    try:
        sent_to = pdf.email_document(sale=sale, to=request.POST.get("to", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except OSError as exc:  # the mail server refused or could not be reached
        messages.error(
            request, f"The email could not be sent ({exc}). Nothing was lost: try again."
        )
    else:
        messages.success(request, f"Emailed to {sent_to}.")
    return redirect(reverse("sales:detail", args=[sale.pk]) + "#invoice")


@studio_required
def logo(request: HttpRequest) -> HttpResponse:
    prefs = selectors.preferences(studio=request.studio)
    if not prefs.logo:
        raise Http404("No logo.")
    return HttpResponse(bytes(prefs.logo), content_type=prefs.logo_type)
