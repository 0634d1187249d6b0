"""The "Import Order" window, un-import, and bulk import (thin: rules are in importing)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.decorators import studio_required
from contacts.models import Contact
from contacts.selectors import get_contact
from core.numbers import query_id
from inbox.import_window import plan_import
from inbox.importing import bulk_import, import_item, money_recorded_in_cyan, unimport_item
from inbox.models import InboxItem
from inbox.selectors import get_item

# Why each order of the last bulk import was left for review, shown once on its row.
LEFT_FOR_REVIEW = "inbox_left_for_review"


def _item(request: HttpRequest, pk: int) -> InboxItem:
    try:
        return get_item(studio=request.studio, pk=pk)
    except InboxItem.DoesNotExist as exc:
        raise Http404("No such Inbox item.") from exc


def _recorded_here(item: InboxItem) -> str:
    """What stops the un-import, said before the studio confirms it."""
    recorded = money_recorded_in_cyan(item.sale) if item.sale_id else []
    if not recorded:
        return ""
    return (
        f" This sale holds money recorded in Cyan ({'; '.join(recorded)}): it is not "
        "un-imported until that is moved or deleted."
    )


def _chosen_contact(request: HttpRequest, raw: str | None) -> Contact | None:
    pk = query_id(raw)
    if pk is None:
        return None
    try:
        return get_contact(studio=request.studio, pk=pk)
    except Contact.DoesNotExist:
        return None


@studio_required
def import_window(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    if item.state == InboxItem.State.IMPORTED and item.sale_id:
        messages.info(request, "This order is already imported.")
        return redirect("sales:detail", pk=item.sale_id)
    source = request.POST if request.method == "POST" else request.GET
    errors: list[str] = []
    if request.method == "POST" and "refresh" not in request.POST:
        try:
            sale = import_item(item=item, **_import_choices(request.POST))
        except ValidationError as exc:
            errors = error_lines(
                exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            )
        else:
            messages.success(request, f"Imported as a sale for {sale.contact.display_name}.")
            return redirect("sales:detail", pk=sale.pk)
    return _render_window(request, item, source, errors)


def _render_window(
    request: HttpRequest, item: InboxItem, source, errors: list[str]
) -> HttpResponse:  # type: ignore[no-untyped-def]
    raw_choice = source.get("contact")
    # A NUL can't be searched for (PostgreSQL refuses it in any text): drop it.
    query = (source.get("q") or "").replace("\x00", "").strip()
    try:
        plan = plan_import(
            item=item,
            contact=_chosen_contact(request, raw_choice),
            # "None of these" (value "none"; "" from older pages): no fallback to the match.
            none_chosen=raw_choice is not None and query_id(raw_choice) is None,
            query=query,
        )
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("inbox:detail", pk=item.pk)
    # The window's own requests say what the checkbox is; a first visit gets the
    # studio's preference.
    told = request.method == "POST" or "choices" in source
    return render(
        request,
        "inbox/import.html",
        {
            "item": item,
            "plan": plan,
            "order": plan.order,
            "query": query,
            "create_contact": source.get("create_contact") == "on"
            if told
            else request.studio.create_contact_on_import,
            "errors": errors,
        },
    )


# Errors about what the window asks for explain themselves; any other names a field of
# the sale made from the order, which the message alone does not say.
WINDOW_FIELDS = {"", "__all__", "item", "contact", "contact_id", "shoot", "add_details"}


def error_lines(errors: dict[str, list[str]]) -> list[str]:
    """One line per message, each naming the order's field it is about."""
    return [
        message if field in WINDOW_FIELDS else f"The order's {field.replace('_', ' ')}: {message}"
        for field, field_messages in errors.items()
        for message in field_messages
    ]


def _import_choices(data) -> dict:  # type: ignore[no-untyped-def]
    contact = data.get("contact") or ""
    shoot = data.get("shoot") or "most_recent_confirmed"
    return {
        "contact_id": query_id(contact),
        "create_contact": data.get("create_contact") == "on",
        "shoot": query_id(shoot) or shoot,
        "add_details": data.getlist("add_details"),
        # "None of these" picked: do not fall back to the certain match.
        "use_match": "contact" not in data,
    }


@studio_required
def unimport(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    if request.method == "POST":
        try:
            unimport_item(item=item)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, "Un-imported: the sale was deleted and the order is back to new."
            )
        return redirect("inbox:detail", pk=item.pk)
    return render(
        request,
        "includes/confirm_delete.html",
        {
            "object_label": "the sale made from this order",
            "consequence": "The sale is deleted and the order goes back to the Inbox as new, "
            "so you can import it again. The contact and shoot are kept." + _recorded_here(item),
            "cancel_url": reverse("inbox:detail", args=[item.pk]),
        },
    )


@require_POST
@studio_required
def bulk(request: HttpRequest) -> HttpResponse:
    """Import the selected orders whose client is a certain match; back to the Inbox as
    it was filtered, with the reason on each order's row that was left for review."""
    back = _inbox_with_filters(request.POST.get("filters", ""))
    ids = [pk for pk in map(query_id, request.POST.getlist("items")) if pk is not None]
    if not ids:
        messages.warning(request, "Select the orders to import first.")
        return redirect(back)
    result = bulk_import(studio=request.studio, item_ids=ids)
    if result.imported:
        count = len(result.imported)
        messages.success(
            request,
            ngettext(
                "Imported %(count)d order with a certain contact match.",
                "Imported %(count)d orders with a certain contact match.",
                count,
            )
            % {"count": count},
        )
    if result.left:
        count = len(result.left)
        messages.warning(
            request,
            ngettext(
                "%(count)d order was left for review: the reason is on its row.",
                "%(count)d orders were left for review: the reason is on each row.",
                count,
            )
            % {"count": count},
        )
        request.session[LEFT_FOR_REVIEW] = {str(item.pk): why for item, why in result.left}
    return redirect(back)


def _inbox_with_filters(query: str) -> str:
    """The Inbox list with the filters it was showing (only its own filter parameters)."""
    params = QueryDict(query, mutable=True)
    kept = QueryDict(mutable=True)
    for name in ("q", "state", "source"):
        if params.get(name):
            kept[name] = params[name]
    url = reverse("inbox:list")
    return f"{url}?{kept.urlencode()}" if kept else url
