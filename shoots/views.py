"""Shoot pages: list, detail, create/edit, delete and status changes. Thin: the rules are
in shoots.services and every read is scoped to request.studio through shoots.selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.decorators import studio_required
from contacts.models import Contact
from core.numbers import query_id
from core.paging import paginate
from shoots import selectors, services
from shoots.forms import ShootContactFormSet, ShootFilterForm, ShootForm
from shoots.models import Shoot, ShootContact

FORMSET_PREFIX = "contacts"

# The button that moves a shoot to each status, and whether it is the destructive one.
STATUS_ACTIONS: dict[str, tuple[str, str]] = {
    Shoot.Status.CONFIRMED: ("Confirm", ""),
    Shoot.Status.COMPLETED: ("Mark completed", ""),
    Shoot.Status.CANCELLED: ("Cancel shoot", "danger"),
    Shoot.Status.ENQUIRY: ("Back to enquiry", "secondary"),
}
STATUS_ACTION_OVERRIDES: dict[tuple[str, str], str] = {
    (Shoot.Status.COMPLETED, Shoot.Status.CONFIRMED): "Undo completed",
    (Shoot.Status.CANCELLED, Shoot.Status.ENQUIRY): "Reopen as enquiry",
}


def _shoot_or_404(request: HttpRequest, pk: int) -> Shoot:
    try:
        return selectors.get_shoot(studio=request.studio, pk=pk)
    except Shoot.DoesNotExist as exc:
        raise Http404("No such shoot.") from exc


@studio_required
def shoot_list(request: HttpRequest) -> HttpResponse:
    filter_form = ShootFilterForm(request.GET or None)
    filters = filter_form.filters() if request.GET else {}
    page, query_string = paginate(request, selectors.shoot_list(studio=request.studio, **filters))
    context = {
        "filter_form": filter_form,
        "filtered": any(filters.values()),
        "page_obj": page,
        "query_string": query_string,
        "has_any": bool(page.object_list) or selectors.studio_has_shoots(studio=request.studio),
    }
    return render(request, "shoots/list.html", context)


@studio_required
def shoot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    shoot = _shoot_or_404(request, pk)
    actions = [
        (
            status,
            STATUS_ACTION_OVERRIDES.get((shoot.status, status), STATUS_ACTIONS[status][0]),
            STATUS_ACTIONS[status][1],
        )
        for status in services.allowed_next_statuses(shoot.status)
    ]
    context = {
        "shoot": shoot,
        "links": shoot.shoot_contacts.all(),
        "actions": actions,
        "sales": shoot.sales.select_related("contact").order_by("-sale_date", "-id"),
    }
    return render(request, "shoots/detail.html", context)


@studio_required
def shoot_create(request: HttpRequest) -> HttpResponse:
    studio = request.studio
    form = ShootForm(request.POST or None, studio=studio)
    formset = _contact_formset(request, initial=_preselected_contact(request))
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            shoot = services.create_shoot(
                studio=studio, contacts=formset.links(studio), **form.service_fields()
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"Shoot “{shoot.title}” added.")
            return redirect("shoots:detail", pk=shoot.pk)
    return render(
        request,
        "shoots/form.html",
        {"form": form, "formset": formset, "cancel_url": reverse("shoots:list")},
    )


@studio_required
def shoot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    studio = request.studio
    shoot = _shoot_or_404(request, pk)
    form = ShootForm(
        request.POST or None,
        studio=studio,
        with_status=False,
        initial=ShootForm.initial_for(shoot, studio),
    )
    existing = [
        {"contact": link.contact_id, "role": link.role} for link in shoot.shoot_contacts.all()
    ]
    formset = _contact_formset(request, initial=existing)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.update_shoot(
                shoot=shoot, contacts=formset.links(studio), **form.service_fields()
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"Shoot “{shoot.title}” saved.")
            return redirect("shoots:detail", pk=shoot.pk)
    return render(
        request,
        "shoots/form.html",
        {
            "form": form,
            "formset": formset,
            "shoot": shoot,
            "cancel_url": reverse("shoots:detail", args=[shoot.pk]),
        },
    )


@studio_required
def shoot_delete(request: HttpRequest, pk: int) -> HttpResponse:
    shoot = _shoot_or_404(request, pk)
    if request.method == "POST":
        title = shoot.title
        detached = services.delete_shoot(shoot=shoot)
        kept = f" Its {_sales_phrase(detached)} kept, without a shoot." if detached else ""
        messages.success(request, f"Shoot “{title}” deleted.{kept}")
        return redirect("shoots:list")
    consequence = "The shoot and its list of people will be deleted. This cannot be undone."
    sale_count = shoot.sales.count()
    if sale_count == 1:
        consequence += (
            " Its sale will not be deleted: it stays with its contact"
            " but will no longer be linked to any shoot."
        )
    elif sale_count:
        consequence += (
            f" Its {sale_count} sales will not be deleted: they stay with their contacts"
            " but will no longer be linked to any shoot."
        )
    context = {
        "object_label": f"the shoot “{shoot.title}”",
        "consequence": consequence,
        "cancel_url": reverse("shoots:detail", args=[shoot.pk]),
    }
    return render(request, "includes/confirm_delete.html", context)


@require_POST
@studio_required
def shoot_status(request: HttpRequest, pk: int) -> HttpResponse:
    shoot = _shoot_or_404(request, pk)
    try:
        services.change_status(shoot=shoot, status=request.POST.get("status", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Shoot “{shoot.title}” is now {shoot.get_status_display()}.")
    return redirect("shoots:detail", pk=shoot.pk)


def _sales_phrase(count: int) -> str:
    return "sale is" if count == 1 else f"{count} sales are"


def _contact_formset(request: HttpRequest, initial: list[dict]) -> ShootContactFormSet:
    """The people-at-the-shoot rows; the contact choices are built once for every row."""
    choices = selectors.contact_choices(studio=request.studio)
    return ShootContactFormSet(
        request.POST or None,
        prefix=FORMSET_PREFIX,
        initial=initial,
        form_kwargs={"contact_choices": choices},
    )


def _preselected_contact(request: HttpRequest) -> list[dict]:
    """`?contact=<pk>` (from a contact's page) pre-selects that contact as the client."""
    pk = query_id(request.GET.get("contact"))
    if pk is None:
        return []
    if not Contact.objects.for_studio(request.studio).filter(pk=pk).exists():
        return []
    return [{"contact": pk, "role": ShootContact.Role.CLIENT}]
