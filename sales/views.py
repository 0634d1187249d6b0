"""Sale pages: list, detail, create/edit, cancel, delete, payments and refunds. Thin: the
rules are in sales.services and every read is scoped to request.studio by sales.selectors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.decorators import studio_required
from accounts.models import Studio
from contacts.models import Contact
from core import submissions
from core.clock import studio_today
from core.numbers import query_id
from core.paging import paginate
from invoicing import services as invoicing
from sales import selectors, services
from sales.forms import (
    BaseLineFormSet,
    CancelForm,
    LineFormSet,
    PaymentForm,
    RefundForm,
    SaleFilterForm,
    SaleForm,
    add_row_service_errors,
    add_service_errors,
)
from sales.models import Sale
from shoots.models import Shoot

LINES_PREFIX = "lines"
# Blank line rows drawn without JavaScript (with it, "Add a line" adds more).
BLANK_ROWS_NEW, BLANK_ROWS_EDIT = 3, 1


@studio_required
def sale_list(request: HttpRequest) -> HttpResponse:
    studio = request.studio
    filter_form = SaleFilterForm(request.GET or None, studio=studio)
    filters = filter_form.filters() if request.GET else {}
    sales = selectors.sale_list(studio=studio, **filters)
    page, query_string = paginate(request, sales)
    without_contact = request.GET.copy()
    for key in ("contact", "page"):
        without_contact.pop(key, None)
    context = {
        "filter_form": filter_form,
        "filtered": any(filters.values()),
        "filter_contact": filters.get("contact"),
        "without_contact": without_contact.urlencode(),
        "page_obj": page,
        "query_string": query_string,
        "currency_totals": selectors.totals_by_currency(
            sales.exclude(status=Sale.Status.CANCELLED)
        ),
        "has_any": bool(page.object_list) or selectors.studio_has_sales(studio=studio),
    }
    return render(request, "sales/list.html", context)


@studio_required
def sale_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, selectors.sale_detail(studio=request.studio, pk=pk))


def _detail_page(
    request: HttpRequest,
    sale: Sale,
    *,
    payment_form: PaymentForm | None = None,
    refund_form: RefundForm | None = None,
) -> HttpResponse:
    today = studio_today(request.studio)
    context = {
        "sale": sale,
        "lines": sale.lines.all(),
        "payments": sale.payments.all(),
        "refunds": sale.refunds.all(),
        "payment_form": payment_form
        or PaymentForm(currency=sale.currency, initial={"paid_on": today}),
        "refund_form": refund_form
        or RefundForm(currency=sale.currency, initial={"refunded_on": today}),
        "is_active": sale.status == Sale.Status.ACTIVE,
    }
    return render(request, "sales/detail.html", context)


@studio_required
def sale_create(request: HttpRequest) -> HttpResponse:
    studio = request.studio
    if request.method == "POST":
        first = submissions.seen_before(request)
        if first is not None:  # the same form sent twice: one sale, the first's
            messages.info(request, submissions.TWICE)
            made = Sale.objects.for_studio(studio).filter(pk=query_id(first)).first()
            return redirect("sales:detail", pk=made.pk) if made else redirect("sales:list")
        form = SaleForm(request.POST, studio=studio)
        formset = _line_formset(request, form)
        try:
            sale = _save(request, form, formset, sale=None)
        except BaseException:
            submissions.release(request)
            raise
        if sale is None:
            submissions.release(request)  # refused: the corrected form may be sent again
        else:
            submissions.done(request, sale.pk)
            messages.success(request, f"Sale #{sale.pk} added.")
            return redirect("sales:detail", pk=sale.pk)
    else:
        contact = selectors.contact_for_studio(studio=studio, pk=request.GET.get("contact"))
        shoot = selectors.shoot_for_studio(studio=studio, pk=request.GET.get("shoot"))
        initial = {
            "sale_date": studio_today(studio),
            "contact": contact.pk if contact else None,
            "shoot": shoot.pk if shoot else None,
        }
        form = SaleForm(
            initial=initial, studio=studio, contact=_shoot_filter(studio, contact, shoot)
        )
        formset = _line_formset(request, form, blank_rows=BLANK_ROWS_NEW)
    return _form_page(request, form, formset, sale=None)


@studio_required
def sale_edit(request: HttpRequest, pk: int) -> HttpResponse:
    studio = request.studio
    sale = selectors.sale_detail(studio=studio, pk=pk)
    if request.method == "POST":
        form = SaleForm(request.POST, studio=studio, sale=sale)
        formset = _line_formset(request, form)
        if _save(request, form, formset, sale=sale) is not None:
            messages.success(request, f"Sale #{sale.pk} saved.")
            return redirect("sales:detail", pk=sale.pk)
    else:
        form = SaleForm(
            initial=SaleForm.initial_for(sale),
            studio=studio,
            sale=sale,
            contact=_shoot_filter(studio, sale.contact, sale.shoot),
        )
        formset = _line_formset(
            request, form, initial=BaseLineFormSet.initial_for(sale), blank_rows=BLANK_ROWS_EDIT
        )
    return _form_page(request, form, formset, sale=sale)


def _line_formset(
    request: HttpRequest,
    form: SaleForm,
    *,
    initial: list[dict] | None = None,
    blank_rows: int = 0,
) -> BaseLineFormSet:
    if request.method == "POST":
        return LineFormSet(request.POST, prefix=LINES_PREFIX, currency=form.chosen_currency)
    formset = LineFormSet(initial=initial, prefix=LINES_PREFIX)
    formset.extra = blank_rows
    return formset


def _save(
    request: HttpRequest, form: SaleForm, formset: BaseLineFormSet, *, sale: Sale | None
) -> Sale | None:
    """Create or update from valid forms; None (errors put at their fields) otherwise."""
    form_ok = form.is_valid()
    lines_ok = formset.is_valid()  # validated even when the form is not, to show every error
    if not (form_ok and lines_ok):
        return None
    try:
        if sale is None:
            data = services.SaleInput(lines=formset.line_inputs(), **form.service_fields())
            return services.create_sale(studio=request.studio, data=data)
        with transaction.atomic():
            sale = services.update_sale(
                sale=sale, lines=formset.line_inputs(), **form.service_fields()
            )
            invoicing.follow_sale(sale=sale)  # an open invoice follows; a filed one is credited
        return sale
    except ValidationError as exc:
        add_service_errors(exc, form, formset)
        return None


def _form_page(
    request: HttpRequest, form: SaleForm, formset: BaseLineFormSet, *, sale: Sale | None
) -> HttpResponse:
    cancel_url = reverse("sales:detail", args=[sale.pk]) if sale else reverse("sales:list")
    context = {
        "form": form,
        "formset": formset,
        "sale": sale,
        "cancel_url": cancel_url,
        "contact_choices_limit": selectors.CONTACT_CHOICES,
    }
    return render(request, "sales/form.html", context)


def _shoot_filter(studio: Studio, contact: Contact | None, shoot: Shoot | None) -> Contact | None:
    """Whose shoots the select lists: the contact's, unless the chosen shoot is not one
    of them (then every shoot, so the choice is not lost)."""
    if contact is None or shoot is None:
        return contact
    theirs = selectors.shoots_for_sale_form(studio=studio, contact=contact)
    return contact if theirs.filter(pk=shoot.pk).exists() else None


@studio_required
def contact_options(request: HttpRequest) -> HttpResponse:
    """The contact select's options for what was typed in the search box (htmx); the
    contact already chosen stays first and selected."""
    contacts = selectors.contact_choices_for_sale_form(
        studio=request.studio,
        query=request.GET.get("contact_search", ""),
        selected=request.GET.get("contact"),
    )
    chosen = str(request.GET.get("contact", ""))
    return render(
        request, "sales/includes/contact_options.html", {"contacts": contacts, "chosen": chosen}
    )


@studio_required
def shoot_options(request: HttpRequest) -> HttpResponse:
    """The shoot select's options for the contact chosen on the form (htmx)."""
    contact = selectors.contact_for_studio(studio=request.studio, pk=request.GET.get("contact"))
    shoots = selectors.shoots_for_sale_form(studio=request.studio, contact=contact)
    return render(request, "sales/includes/shoot_options.html", {"shoots": shoots})


def _record_on_sale(
    request: HttpRequest,
    pk: int,
    *,
    form_class: type,
    record: Any,
    fields: tuple[str, ...],
    done: str,
    anchor: str,
    form_key: str,
) -> HttpResponse:
    """Add a payment or a refund from the detail page's small form; errors at the field."""
    sale = selectors.sale_detail(studio=request.studio, pk=pk)
    form = form_class(request.POST, currency=sale.currency)
    back = reverse("sales:detail", args=[sale.pk]) + anchor
    if form.is_valid():
        if submissions.seen_before(request) is not None:  # sent twice: recorded once
            messages.info(request, submissions.TWICE)
            return redirect(back)
        try:
            with transaction.atomic():
                record(sale=sale, **{name: form.cleaned_data[name] for name in fields})
                invoicing.follow_sale(sale=sale)  # a refund on an invoice: a credit note
        except ValidationError as exc:
            submissions.release(request)
            add_row_service_errors(exc, form)
        except BaseException:
            submissions.release(request)
            raise
        else:
            submissions.done(request)
            messages.success(request, done)
            return redirect(back)
    return _detail_page(request, sale, **{form_key: form})


@require_POST
@studio_required
def add_payment(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_on_sale(
        request,
        pk,
        form_class=PaymentForm,
        record=services.add_payment,
        fields=("amount_minor", "paid_on", "method", "reference"),
        done="Payment recorded.",
        anchor="#payments",
        form_key="payment_form",
    )


@require_POST
@studio_required
def add_refund(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_on_sale(
        request,
        pk,
        form_class=RefundForm,
        record=services.add_refund,
        fields=("amount_minor", "refunded_on", "reason"),
        done="Refund recorded.",
        anchor="#refunds",
        form_key="refund_form",
    )


@studio_required
def sale_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    sale = selectors.get_sale(studio=request.studio, pk=pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.cancel_sale(sale=sale, reason=form.cleaned_data["reason"])
                invoicing.follow_sale(sale=sale)  # an invoiced sale's invoice is credited
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Sale #{sale.pk} cancelled.")
        return redirect("sales:detail", pk=sale.pk)
    return render(request, "sales/cancel.html", {"sale": sale, "form": form})


@studio_required
def sale_delete(request: HttpRequest, pk: int) -> HttpResponse:
    sale = selectors.get_sale(studio=request.studio, pk=pk)
    if request.method == "POST":
        try:
            services.delete_sale(sale=sale)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("sales:detail", pk=pk)
        messages.success(request, f"Sale #{pk} deleted.")
        return redirect("sales:list")
    context = {
        "object_label": f"sale #{sale.pk} ({sale.contact}, {sale.sale_date:%d %b %Y})",
        "consequence": "Its lines, payments and refunds are deleted with it. "
        "This cannot be undone; to keep a record, cancel the sale instead.",
        "cancel_url": reverse("sales:detail", args=[sale.pk]),
    }
    return render(request, "includes/confirm_delete.html", context)
