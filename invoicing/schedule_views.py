"""Pages of payment schedules, Add Payment, and changing one payment or refund (thin)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.decorators import studio_required
from core import submissions
from core.numbers import query_id
from core.templatetags.money_tags import money
from invoicing import schedules
from invoicing.forms import AddPaymentForm, StepForm, StepFormSet, steps_from
from invoicing.models import ScheduleTemplate
from invoicing.services import follow_sale
from sales import payments
from sales.forms import PaymentForm, RefundForm
from sales.models import Payment, Refund, Sale
from sales.parsing import amount_text
from sales.selectors import sale_detail

BLANK_ROWS = 4


def _sale(request: HttpRequest, pk: int) -> Sale:
    return sale_detail(studio=request.studio, pk=pk)


def _back(sale: Sale, anchor: str = "#schedule") -> HttpResponse:
    return redirect(reverse("sales:detail", args=[sale.pk]) + anchor)


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _formset(request: HttpRequest, steps: list[dict]) -> forms.BaseFormSet:
    if request.method == "POST":
        return StepFormSet(request.POST, prefix="steps")
    initial = [StepForm.initial_of(step) for step in steps]
    formset = StepFormSet(initial=initial, prefix="steps")
    formset.extra = BLANK_ROWS
    return formset


@studio_required
def edit_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a sale's schedule by hand (rows of instalments)."""
    sale = _sale(request, pk)
    current = [step.as_json() for step in schedules.steps_of(sale)]
    formset = _formset(request, current)
    if request.method == "POST" and formset.is_valid():
        try:
            schedules.set_schedule(sale=sale, instalments=steps_from(formset, sale.currency))
        except (ValidationError, forms.ValidationError) as exc:
            _errors(request, exc)
        else:
            messages.success(request, "Payment schedule saved.")
            return _back(sale)
    context = {"sale": sale, "formset": formset, "title": f"Payment schedule of sale #{sale.pk}"}
    return render(request, "invoicing/schedule_form.html", context)


@require_POST
@studio_required
def apply_template(request: HttpRequest, pk: int) -> HttpResponse:
    sale = _sale(request, pk)
    template = ScheduleTemplate.objects.filter(
        studio=request.studio, pk=query_id(request.POST.get("template"))
    ).first()
    if template is None:
        messages.error(request, "Choose a schedule template.")
        return _back(sale)
    try:
        schedules.apply_template(sale=sale, template=template)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, f"Schedule “{template.name}” applied.")
    return _back(sale)


@require_POST
@studio_required
def add_payment(request: HttpRequest, pk: int) -> HttpResponse:
    sale = _sale(request, pk)
    form = AddPaymentForm(request.POST, currency=sale.currency)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(sale)
    data = form.cleaned_data
    how = data["how"]
    if submissions.seen_before(request) is not None:  # sent twice: recorded once
        messages.info(request, submissions.TWICE)
        return _back(sale)
    try:
        with transaction.atomic():
            schedules.record_payment(
                sale=sale,
                instalment=None if how == "amount" else how,
                amount_minor=data.get("amount_minor") if how == "amount" else None,
                paid_on=data["paid_on"],
                method=data["method"],
            )
            follow_sale(sale=sale)
    except ValidationError as exc:
        submissions.release(request)
        _errors(request, exc)
    except BaseException:
        submissions.release(request)
        raise
    else:
        submissions.done(request)
        messages.success(request, "Payment recorded.")
    return _back(sale)


def _row(request: HttpRequest, model: type, pk: int) -> Payment | Refund:
    row = model.objects.filter(studio=request.studio, pk=pk).select_related("sale").first()
    if row is None:
        raise Http404("Not found.")
    return row


def _who(request: HttpRequest) -> str:
    return getattr(request.user, "email", "") or ""


@studio_required
def edit_payment(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, _row(request, Payment, pk), PaymentForm, payments.update_payment)


@studio_required
def edit_refund(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, _row(request, Refund, pk), RefundForm, payments.update_refund)


def _edit(request: HttpRequest, row: Payment | Refund, form_class: type, update) -> HttpResponse:
    sale = row.sale
    is_payment = isinstance(row, Payment)
    names = ("paid_on", "method", "reference") if is_payment else ("refunded_on", "reason")
    initial = {n: getattr(row, n) for n in names} | {
        "amount": amount_text(row.amount_minor, sale.currency)
    }
    form = form_class(request.POST or None, currency=sale.currency, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {n: form.cleaned_data[n] for n in names}
        fields["amount_minor"] = form.cleaned_data["amount_minor"]
        try:
            with transaction.atomic():
                update(**{"payment" if is_payment else "refund": row}, by=_who(request), **fields)
                follow_sale(sale=sale)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "Saved; the sale's history keeps what it was.")
            return _back(sale, "#payments" if is_payment else "#refunds")
    title = f"{'Payment' if is_payment else 'Refund'} on sale #{sale.pk}"
    return render(
        request, "invoicing/money_row_form.html", {"form": form, "sale": sale, "title": title}
    )


@studio_required
def delete_payment(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what deleting the payment means, to confirm; POST: delete it."""
    row = _row(request, Payment, pk)
    return _delete(request, row, lambda: payments.delete_payment(payment=row, by=_who(request)))


@studio_required
def delete_refund(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what deleting the refund means, to confirm; POST: delete it."""
    row = _row(request, Refund, pk)
    return _delete(request, row, lambda: payments.delete_refund(refund=row, by=_who(request)))


def _confirm_money_row(request: HttpRequest, row: Payment | Refund) -> HttpResponse:
    sale = row.sale
    is_payment = isinstance(row, Payment)
    on = row.paid_on if is_payment else row.refunded_on
    amount = money(row.amount_minor, sale.currency)
    what = "payment" if is_payment else "refund"
    balance = "owes that much more" if is_payment else "is owed that much less"
    context = {
        "object_label": f"the {what} of {amount} on {on.day} {on:%b %Y} (sale #{sale.pk})",
        "consequence": f"The sale then {balance}. The sale's history keeps what it was.",
        "blocked_reason": payments.deletion_refused(row),
        "cancel_url": reverse("sales:detail", args=[sale.pk]) + f"#{what}s",
    }
    return render(request, "includes/confirm_delete.html", context)


def _delete(request: HttpRequest, row: Payment | Refund, delete) -> HttpResponse:
    if request.method != "POST":
        return _confirm_money_row(request, row)
    sale = row.sale
    try:
        with transaction.atomic():
            delete()
            follow_sale(sale=sale)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "Deleted; the sale's history keeps what it was.")
    return _back(sale, "#payments" if isinstance(row, Payment) else "#refunds")


@studio_required
def templates(request: HttpRequest) -> HttpResponse:
    """Preferences → Invoicing → payment schedule templates: list, add, change."""
    template = None
    if request.GET.get("edit"):
        editing = query_id(request.GET["edit"])
        template = ScheduleTemplate.objects.filter(studio=request.studio, pk=editing).first()
        if template is None:  # never a new template saved in place of one that isn't there
            raise Http404("No such schedule template.")
    steps = list(template.steps) if template else []
    formset = _formset(request, steps)
    name = request.POST.get("name", template.name if template else "")
    if request.method == "POST" and formset.is_valid():
        try:
            currency = request.studio.default_currency
            saved, warnings = schedules.save_template(
                studio=request.studio,
                name=name,
                steps=steps_from(formset, currency),
                template=template,
            )
        except (ValidationError, forms.ValidationError) as exc:
            _errors(request, exc)
        else:
            messages.success(request, f"Template “{saved.name}” saved.")
            for warning in warnings:
                messages.warning(request, warning)
            return redirect("invoicing:templates")
    context = {
        "templates": ScheduleTemplate.objects.filter(studio=request.studio),
        "formset": formset,
        "name": name,
        "editing": template,
        "tab": "invoicing",
    }
    return render(request, "invoicing/templates.html", context)


@studio_required
def delete_template(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: confirm; POST: delete the template (schedules made from it are kept)."""
    template = ScheduleTemplate.objects.filter(studio=request.studio, pk=pk).first()
    if template is None:
        if request.method == "POST":  # deleted already (a second click): nothing to do
            return redirect("invoicing:templates")
        raise Http404("No such schedule template.")
    if request.method != "POST":
        context = {
            "object_label": f"the payment schedule template “{template.name}”",
            "consequence": "Schedules already made from it are kept as they are.",
            "cancel_url": reverse("invoicing:templates"),
        }
        return render(request, "includes/confirm_delete.html", context)
    schedules.delete_template(template=template)
    messages.success(request, f"Template “{template.name}” deleted.")
    return redirect("invoicing:templates")
