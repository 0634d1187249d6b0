from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.decorators import studio_required
from inbox import selectors, services
from inbox.models import SOURCE_LABELS, InboxItem
from inbox.sync import linked_links

SOURCES = list(SOURCE_LABELS.items())


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@studio_required
def inbox_list(request: HttpRequest) -> HttpResponse:
    filters = {
        "state": request.GET.get("state", ""),
        "source": request.GET.get("source", ""),
        "query": request.GET.get("q", "").strip(),
    }
    if filters["state"] not in {"", *InboxItem.State.values}:
        filters["state"] = ""
    page = selectors.inbox_page(
        studio=request.studio,
        before=_int_or_none(request.GET.get("before")),
        after=_int_or_none(request.GET.get("after")),
        **filters,
    )
    params = request.GET.copy()
    for key in ("before", "after"):
        params.pop(key, None)
    return render(
        request,
        "inbox/list.html",
        {
            "page": page,
            "filters": filters,
            "states": InboxItem.State.choices,
            "sources": SOURCES,
            "query_string": params.urlencode(),
            "links_needing_attention": _links_needing_attention(request),
            "has_any_item": page.items or InboxItem.objects.filter(studio=request.studio).exists(),
            "has_gallery_link": _has_gallery_link(request),
        },
    )


def _has_gallery_link(request: HttpRequest) -> bool:
    return linked_links(request.studio).exists()


def _links_needing_attention(request: HttpRequest) -> list:
    from galleries.selectors import links_needing_attention

    return list(links_needing_attention(studio=request.studio))


def _get_item(request: HttpRequest, pk: int) -> InboxItem:
    try:
        return selectors.item_with_history(studio=request.studio, pk=pk)
    except InboxItem.DoesNotExist as exc:
        raise Http404("No such Inbox item.") from exc


@studio_required
def inbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_item(request, pk)
    services.mark_read(item=item)
    is_order = item.kind == InboxItem.Kind.ORDER and item.normalized
    order = item.order if is_order else None
    enquiry = item.normalized if item.kind == InboxItem.Kind.ENQUIRY else None
    return render(request, "inbox/detail.html", {"item": item, "order": order, "enquiry": enquiry})


@require_POST
@studio_required
def inbox_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_item(request, pk)
    try:
        services.dismiss_item(item=item)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Dismissed. You can restore it from the Dismissed filter.")
    return redirect("inbox:detail", pk=item.pk)


@require_POST
@studio_required
def inbox_restore(request: HttpRequest, pk: int) -> HttpResponse:
    item = services.restore_item(item=_get_item(request, pk))
    messages.success(request, "Restored to the Inbox.")
    return redirect("inbox:detail", pk=item.pk)


@require_POST
@studio_required
def inbox_sync(request: HttpRequest) -> HttpResponse:
    from inbox.tasks import poll_link_task

    links = list(linked_links(request.studio))
    for link in links:
        poll_link_task.enqueue(link.pk, full=True)  # "Sync now" is a full reconcile
    # A poll that ran already (or the last one, while this one waits for the worker) may
    # have failed: say so rather than promise a check that keeps failing.
    failing = [link for link in linked_links(request.studio) if link.last_error]
    for link in failing:
        messages.warning(request, f"{link.get_provider_display()}: {link.last_error}")
    if links and not failing:
        messages.success(request, "Checking your online galleries for new orders…")
    elif not links:
        messages.warning(request, "No online gallery is linked yet, so there is nothing to sync.")
    return redirect("inbox:list")
