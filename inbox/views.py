from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from accounts.decorators import studio_required
from core.numbers import query_id
from inbox import selectors, services
from inbox.import_views import LEFT_FOR_REVIEW
from inbox.models import SOURCE_LABELS, InboxItem
from inbox.sync import linked_links

# When the studio last clicked Sync now (ISO time), until the Inbox has said what it found.
SYNC_SESSION = "inbox_sync_since"

SOURCES = list(SOURCE_LABELS.items())


@studio_required
def inbox_list(request: HttpRequest) -> HttpResponse:
    filters = {
        "state": request.GET.get("state", ""),
        "source": request.GET.get("source", ""),
        "query": request.GET.get("q", "").strip(),
    }
    if filters["state"] not in {"", selectors.CHANGED_SINCE_IMPORT, *InboxItem.State.values}:
        filters["state"] = ""
    page = selectors.inbox_page(
        studio=request.studio,
        before=query_id(request.GET.get("before")),
        after=query_id(request.GET.get("after")),
        **filters,
    )
    left = request.session.pop(LEFT_FOR_REVIEW, {})
    for item in page.items:
        item.left_reason = left.get(str(item.pk), "")
    params = request.GET.copy()
    for key in ("before", "after"):
        params.pop(key, None)
    # Accepted webhooks still being processed: on the first page, unless a state is asked.
    first_page = not request.GET.get("before") and not request.GET.get("after")
    arriving = (
        selectors.arriving_deliveries(studio=request.studio, source=filters["source"])
        if first_page and not filters["state"] and not filters["query"]
        else []
    )
    return render(
        request,
        "inbox/list.html",
        {
            "page": page,
            "arriving": arriving,
            "filters": filters,
            "states": [
                *InboxItem.State.choices,
                (selectors.CHANGED_SINCE_IMPORT, "Changed since import"),
            ],
            "sources": SOURCES,
            "query_string": params.urlencode(),
            "has_any_item": page.items or InboxItem.objects.filter(studio=request.studio).exists(),
            "has_gallery_link": _has_gallery_link(request),
            "sync_waiting": SYNC_SESSION in request.session,
        },
    )


def _has_gallery_link(request: HttpRequest) -> bool:
    return linked_links(request.studio).exists()


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
    """Sync now: a full reconcile of every linked gallery, in the worker; the Inbox then
    shows what each one found ("2 new orders, 1 updated", "nothing new") once it has
    (inbox_sync_status)."""
    from inbox.tasks import poll_link_task

    links = list(linked_links(request.studio))
    if not links:
        messages.warning(request, "No online gallery is linked yet, so there is nothing to sync.")
        return redirect("inbox:list")
    request.session[SYNC_SESSION] = timezone.now().isoformat()
    for link in links:
        poll_link_task.enqueue(link.pk, full=True)  # "Sync now" is a full reconcile
    return redirect("inbox:list")


@studio_required
def inbox_sync_status(request: HttpRequest) -> HttpResponse:
    """What Sync now has found so far, per gallery (htmx; asks again until all are done)."""
    since = parse_datetime(request.session.get(SYNC_SESSION) or "")
    rows = [
        {
            "label": link.get_provider_display(),
            "done": since is not None
            and link.last_poll_finished_at is not None
            and link.last_poll_finished_at >= since,
            "summary": link.last_poll_summary,
            "failed": link.last_poll_summary.startswith("could not check"),
        }
        for link in linked_links(request.studio)
    ]
    waiting = since is not None and any(not row["done"] for row in rows)
    if not waiting:
        request.session.pop(SYNC_SESSION, None)
    return render(
        request, "inbox/_sync_status.html", {"rows": rows, "waiting": waiting, "asked": since}
    )
