"""The "Import Enquiry" window (thin: the rules are in inbox.enquiry_import)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.decorators import studio_required
from contacts.matching import MATCH
from core.numbers import query_id
from inbox.enquiry_import import enquiry_of, import_enquiry, match_enquiry
from inbox.import_views import error_lines
from inbox.models import InboxItem
from inbox.selectors import get_item


def _enquiry_item(request: HttpRequest, pk: int) -> InboxItem:
    try:
        item = get_item(studio=request.studio, pk=pk)
    except InboxItem.DoesNotExist as exc:
        raise Http404("No such Inbox item.") from exc
    if item.kind != InboxItem.Kind.ENQUIRY:
        raise Http404("This Inbox item is not an enquiry.")
    return item


def _choices(post) -> dict:  # type: ignore[no-untyped-def]
    raw = post.get("contact", "")
    return {
        "contact_id": query_id(raw),
        "create_contact": post.get("create_contact") == "on" or raw == "new",
        "use_match": raw != "none",
    }


@studio_required
def import_enquiry_window(request: HttpRequest, pk: int) -> HttpResponse:
    item = _enquiry_item(request, pk)
    shoot_id = (item.normalized or {}).get("imported", {}).get("shoot_id")
    if item.state == InboxItem.State.IMPORTED and shoot_id:
        messages.info(request, "This enquiry is already imported.")
        return redirect("shoots:detail", pk=shoot_id)
    errors: list[str] = []
    if request.method == "POST":
        try:
            shoot = import_enquiry(item=item, **_choices(request.POST))
        except ValidationError as exc:
            errors = error_lines(
                exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            )
        else:
            messages.success(request, f"Imported as an enquiry shoot: {shoot.title}.")
            return redirect("shoots:detail", pk=shoot.pk)
    match = match_enquiry(item)
    context = {
        "item": item,
        "enquiry": enquiry_of(item),
        "match": match,
        "certain": match.best if match.outcome == MATCH else None,
        "create_default": item.studio.create_contact_on_import,
        "errors": errors,
    }
    return render(request, "inbox/import_enquiry.html", context, status=400 if errors else 200)
