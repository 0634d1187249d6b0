"""Contacts → Import / Export pages (thin: every write goes through transfers.services)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.decorators import studio_required
from transfers import exporting, selectors, services, undo
from transfers import mapping as mappings
from transfers.forms import UploadForm
from transfers.models import ImportBatch, ImportRow
from transfers.presets import PRESETS, PUBLISHED

Status = ImportBatch.Status
PREVIEW_ROWS = 100
SAMPLE_ROWS = 3
OUTCOME_FILTERS = [c for c in ImportRow.Outcome.choices if c[0] != ImportRow.Outcome.SKIPPED]


def _batch(request: HttpRequest, pk: int) -> ImportBatch:
    try:
        return selectors.get_batch(studio=request.studio, pk=pk)
    except ImportBatch.DoesNotExist:
        raise Http404("No such import.") from None


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@studio_required
def import_start(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.upload(
                studio=request.studio,
                kind=form.cleaned_data["kind"],
                file_name=upload.name,
                data=upload.read(),
                created_by=request.user.email,
            )
        except ValidationError as exc:
            form.add_error("file", " ".join(exc.messages))
        else:
            return redirect("transfers:batch", pk=batch.pk)
    recent = selectors.batches(studio=request.studio)[:20]
    return render(request, "transfers/start.html", {"form": form, "recent": recent})


def _mapping_context(batch: ImportBatch) -> dict:
    table = services.table_of(batch)
    fields = mappings.FIELDS[batch.kind]
    columns = []
    for index, header in enumerate(batch.headers):
        samples = [cells[index] for _line, cells in table.rows[:SAMPLE_ROWS] if index < len(cells)]
        columns.append(
            {"index": index, "header": header or f"Column {index + 1}", "samples": samples,
             "field": batch.mapping.get(str(index), "")}
        )  # fmt: skip
    return {
        "columns": columns,
        "fields": fields.items(),
        "presets": sorted(PRESETS) if batch.kind == "contacts" else [],
        "published": PUBLISHED,
        "saved": selectors.saved_mappings(studio=batch.studio, kind=batch.kind),
        "date_question": services.date_order_question(batch, table),
    }


@studio_required
def batch_page(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    context: dict = {"batch": batch, "progress": selectors.progress(batch)}
    if batch.status in (Status.UPLOADED, Status.PREVIEWED, Status.FAILED) and not batch.started_at:
        context |= _mapping_context(batch)
    if batch.status in (
        Status.PREVIEWED,
        Status.DONE,
        Status.UNDONE,
        Status.FAILED,
        Status.RUNNING,
    ):
        outcome = request.GET.get("outcome", "")
        rows = selectors.batch_rows(batch=batch, outcome=outcome)
        page = Paginator(rows, PREVIEW_ROWS).get_page(request.GET.get("page"))
        context |= {"page_obj": page, "outcome": outcome, "outcomes": OUTCOME_FILTERS}
        context["query_string"] = f"outcome={outcome}" if outcome else ""
    context["undo_blocked"] = undo.can_undo(batch)
    return render(request, "transfers/batch.html", context)


@studio_required
@require_POST
def batch_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    action = request.POST.get("action", "preview")
    try:
        if action == "preset":
            services.use_mapping(batch=batch, name=request.POST.get("preset", ""))
            messages.success(request, f"Mapping “{request.POST.get('preset')}” applied.")
            return redirect("transfers:batch", pk=batch.pk)
        chosen = {str(i): request.POST.get(f"column-{i}", "") for i in range(len(batch.headers))}
        batch = services.set_mapping(
            batch=batch,
            mapping=chosen,
            date_order=request.POST.get("date_order", ""),
            bad_rows=request.POST.get("bad_rows") or None,
        )
        if action == "save":
            saved = services.save_mapping(batch=batch, name=request.POST.get("mapping_name", ""))
            messages.success(request, f"Mapping saved as “{saved.name}”.")
            return redirect("transfers:batch", pk=batch.pk)
        services.start_preview(batch=batch)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("transfers:batch", pk=batch.pk)


@studio_required
@require_POST
def batch_run(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    try:
        if request.POST.get("bad_rows"):
            services.set_mapping(batch=batch, bad_rows=request.POST["bad_rows"])
            services.start_preview(batch=batch)
        services.start_run(batch=batch)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("transfers:batch", pk=batch.pk)


@studio_required
@require_POST
def batch_resume(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.resume(batch=_batch(request, pk))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("transfers:batch", pk=pk)


@studio_required
def batch_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar (htmx polls it); a finished batch tells htmx to reload the page."""
    batch = _batch(request, pk)
    response = render(
        request, "transfers/progress.html", {"batch": batch, "progress": selectors.progress(batch)}
    )
    if batch.status not in (Status.RUNNING, Status.PREVIEWING):
        response["HX-Refresh"] = "true"
    return response


@studio_required
def batch_undo(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    if request.method == "POST":
        try:
            kept = undo.undo_batch(batch=batch)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            note = f" {len(kept)} rows could not be undone: see below." if kept else ""
            messages.success(request, f"Import undone.{note}")
        return redirect("transfers:batch", pk=batch.pk)
    return render(request, "transfers/undo.html", {"batch": batch, "blocked": undo.can_undo(batch)})


@studio_required
def export_page(request: HttpRequest) -> HttpResponse:
    from contacts.models import Contact

    count = Contact.objects.for_studio(request.studio).count()
    return render(request, "transfers/export.html", {"count": count})


@studio_required
def export_download(request: HttpRequest, file_format: str) -> HttpResponse:
    if file_format not in exporting.FORMATS:
        raise Http404("No such format.")
    data = exporting.export_contacts(request.studio, file_format)
    response = HttpResponse(data, content_type=exporting.FORMATS[file_format])
    response["Content-Disposition"] = f'attachment; filename="contacts.{file_format}"'
    return response
