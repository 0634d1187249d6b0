"""Contact pages: list and search, detail, create/edit (one page with formsets), delete,
merge two contacts (pick the other one, then choose the surviving values side by side)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.decorators import studio_required
from contacts import merging, selectors, services
from contacts.details import ADDRESS_FIELDS
from contacts.forms import (
    AddressFormSet,
    ContactForm,
    DetailFormSet,
    EmailFormSet,
    PhoneFormSet,
    apply_service_errors,
)
from contacts.models import Contact
from core.paging import paginate

PAGE_SIZE = 50


def _contact_or_404(request: HttpRequest, pk: int, reader: Callable[..., Contact]) -> Contact:
    try:
        return reader(studio=request.studio, pk=pk)
    except Contact.DoesNotExist:
        raise Http404("No such contact.") from None


@studio_required
def contact_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    contacts = selectors.contact_table(studio=request.studio, query=query)
    page, query_string = paginate(request, contacts, per_page=PAGE_SIZE)
    context = {"page_obj": page, "query_string": query_string, "query": query}
    return render(request, "contacts/list.html", context)


@studio_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact_or_404(request, pk, selectors.contact_detail)
    return render(request, "contacts/detail.html", {"contact": contact})


def _formsets(request: HttpRequest, contact: Contact | None) -> dict[str, DetailFormSet]:
    """The email, phone and address rows, filled from the contact when editing."""
    data = request.POST if request.method == "POST" else None
    country = request.studio.country
    initial: dict[str, list[dict[str, Any]]] = {"emails": [], "phones": [], "addresses": []}
    if contact is not None:
        initial["emails"] = [{"email": e.email, "label": e.label} for e in contact.emails.all()]
        initial["phones"] = [{"number": p.raw, "label": p.label} for p in contact.phones.all()]
        initial["addresses"] = list(contact.addresses.values(*ADDRESS_FIELDS))
    return {
        "emails": EmailFormSet(data, prefix="emails", initial=initial["emails"]),
        "phones": PhoneFormSet(data, prefix="phones", initial=initial["phones"]),
        "addresses": AddressFormSet(
            data,
            prefix="addresses",
            initial=initial["addresses"],
            form_kwargs={"default_country": country},
        ),
    }


def _save(
    request: HttpRequest,
    form: ContactForm,
    formsets: dict[str, DetailFormSet],
    contact: Contact | None,
) -> Contact | None:
    """Validate everything, then create or update through the service; None when refused
    (the errors are then on the form and rows)."""
    valid = [form.is_valid()] + [formset.is_valid() for formset in formsets.values()]
    if not all(valid):
        return None
    fields = {**form.service_fields(), **{k: fs.items() for k, fs in formsets.items()}}
    try:
        if contact is None:
            return services.create_contact(studio=request.studio, **fields)
        return services.update_contact(contact=contact, **fields)
    except ValidationError as exc:
        apply_service_errors(exc, form, formsets)
        return None


def _edit_page(request: HttpRequest, contact: Contact | None) -> HttpResponse:
    initial = ContactForm.initial_for(contact) if contact is not None else {}
    form = ContactForm(request.POST if request.method == "POST" else None, initial=initial)
    formsets = _formsets(request, contact)
    if request.method == "POST":
        saved = _save(request, form, formsets, contact)
        if saved is not None:
            verb = "added" if contact is None else "saved"
            messages.success(request, f"Contact {saved.display_name} {verb}.")
            return redirect("contacts:detail", pk=saved.pk)
        messages.error(request, "Nothing was saved: please correct the fields marked below.")
    cancel_url = (
        reverse("contacts:detail", kwargs={"pk": contact.pk})
        if contact is not None
        else reverse("contacts:list")
    )
    phone_help = (
        "The first is the main number. Numbers without a country code are read as "
        f"numbers of {request.studio.country}."
    )
    context = {
        "form": form,
        **formsets,
        "contact": contact,
        "cancel_url": cancel_url,
        "phone_help": phone_help,
    }
    return render(request, "contacts/form.html", context)


@studio_required
def contact_create(request: HttpRequest) -> HttpResponse:
    return _edit_page(request, None)


@studio_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact_or_404(request, pk, selectors.get_contact)
    return _edit_page(request, contact)


def _deletion_consequence(contact: Contact) -> str:
    shoot_count = contact.shoot_links.count()
    text = "Their emails, phone numbers and addresses are deleted too."
    if shoot_count == 1:
        text += " They are taken off their shoot; the shoot itself stays."
    elif shoot_count:
        text += f" They are taken off their {shoot_count} shoots; the shoots themselves stay."
    return text + " This cannot be undone."


def _sales_block(contact: Contact) -> str:
    """Why the contact cannot be deleted (it has sales), or ''."""
    sale_count = contact.sales.count()
    return " ".join(services.ContactHasSales(contact, sale_count).messages) if sale_count else ""


@studio_required
def contact_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation (or says why deleting is refused); POST deletes."""
    contact = _contact_or_404(request, pk, selectors.get_contact)
    status = 200
    if request.method == "POST":
        try:
            services.delete_contact(contact=contact)
        except services.ContactHasSales as exc:
            blocked_reason, status = " ".join(exc.messages), 409
        else:
            messages.success(request, f"Contact {contact.display_name} deleted.")
            return redirect("contacts:list")
    else:
        blocked_reason = _sales_block(contact)
    context = {
        "object_label": f"contact {contact.display_name}",
        "consequence": _deletion_consequence(contact),
        "blocked_reason": blocked_reason,
        "cancel_url": reverse("contacts:detail", kwargs={"pk": contact.pk}),
    }
    return render(request, "includes/confirm_delete.html", context, status=status)


MERGE_SEARCH_LIMIT = 20


@studio_required
def contact_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1 of merging: pick the other contact (likely duplicates first, or search)."""
    contact = _contact_or_404(request, pk, selectors.get_contact)
    query = request.GET.get("q", "").strip()
    results = []
    if query:
        found = selectors.contact_table(studio=request.studio, query=query).exclude(pk=contact.pk)
        results = list(found[:MERGE_SEARCH_LIMIT])
    context = {
        "contact": contact,
        "query": query,
        "results": results,
        "more_results": len(results) == MERGE_SEARCH_LIMIT,
        "suggestions": merging.likely_duplicates(studio=request.studio, contact=contact),
        "next": _safe_next(request),
    }
    return render(request, "contacts/merge_pick.html", context)


def _safe_next(request: HttpRequest) -> str:
    """Where to go after merging (e.g. back to the import window), if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


def _merge_rows(survivor: Contact, duplicate: Contact, chosen: dict[str, str]) -> list[dict]:
    """One row per field of the side-by-side page: both values and the current choice."""
    rows = []
    for name in merging.FIELDS:
        mine, theirs = getattr(survivor, name), getattr(duplicate, name)
        if name == "source":
            mine, theirs = survivor.get_source_display(), duplicate.get_source_display()
        rows.append(
            {
                "name": name,
                "label": merging.FIELD_LABELS[name].capitalize(),
                "mine": mine,
                "theirs": theirs,
                "chosen": chosen.get(name, merging.SURVIVOR),
                "differs": mine != theirs and bool(theirs),
            }
        )
    return rows


@studio_required
def contact_merge_with(request: HttpRequest, pk: int, other_pk: int) -> HttpResponse:
    """Step 2: both contacts side by side, a choice per differing field; POST merges the
    other contact into this one and deletes it."""
    survivor = _contact_or_404(request, pk, selectors.contact_detail)
    duplicate = _contact_or_404(request, other_pk, selectors.contact_detail)
    if survivor.pk == duplicate.pk:
        messages.error(request, "A contact cannot be merged with itself: pick another one.")
        return redirect("contacts:merge", pk=survivor.pk)
    chosen = merging.default_choices(survivor, duplicate)
    status = 200
    if request.method == "POST":
        posted = {name: request.POST[name] for name in merging.FIELDS if name in request.POST}
        merged_in = f"{duplicate.display_name} (#{duplicate.pk})"
        chosen.update(posted)
        try:
            merging.merge_contacts(
                studio=request.studio, survivor=survivor, duplicate=duplicate, choices=posted
            )
        except ValidationError as exc:
            messages.error(request, "Nothing was merged: " + " ".join(exc.messages))
            status = 400
        else:
            messages.success(request, f"{merged_in} merged into {survivor.display_name}.")
            return redirect(_safe_next(request) or reverse("contacts:detail", args=[survivor.pk]))
    context = {
        "contact": survivor,
        "other": duplicate,
        "rows": _merge_rows(survivor, duplicate, chosen),
        "next": _safe_next(request),
    }
    return render(request, "contacts/merge.html", context, status=status)
