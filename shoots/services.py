"""Every write to shoots and the contacts linked to them.

Each function validates everything first and raises ValidationError (a dict of
field → messages) before writing anything, then writes in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Studio
from contacts.models import Contact
from core.dates import timestamp_problem
from shoots.models import Shoot, ShootContact

Status = Shoot.Status
ContactLinks = Sequence[tuple[Contact, str]]

# Where a shoot may go from each status. Going back is allowed where a photographer
# plausibly clicked too early (completed → confirmed) or a client came back (reopen).
ALLOWED_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.ENQUIRY: (Status.CONFIRMED, Status.CANCELLED),
    Status.CONFIRMED: (Status.COMPLETED, Status.CANCELLED, Status.ENQUIRY),
    Status.COMPLETED: (Status.CONFIRMED,),
    Status.CANCELLED: (Status.ENQUIRY,),
}

# Fields update_shoot() sets directly; status and contacts have their own rules.
EDITABLE_FIELDS = frozenset(
    {
        "title",
        "shoot_type",
        "starts_at",
        "location",
        "notes",
        "gallery_provider",
        "gallery_id",
        "gallery_url",
    }
)


def allowed_next_statuses(status: str) -> tuple[str, ...]:
    """The statuses a shoot in `status` may move to, in the order the page offers them."""
    return ALLOWED_TRANSITIONS.get(status, ())


@transaction.atomic
def create_shoot(
    *,
    studio: Studio,
    title: str,
    shoot_type: str,
    starts_at: dt.datetime,
    status: str = Status.ENQUIRY,
    location: str = "",
    notes: str = "",
    contacts: ContactLinks = (),
    gallery_provider: str = "",
    gallery_id: str = "",
    gallery_url: str = "",
) -> Shoot:
    shoot = Shoot(
        studio=studio,
        title=(title or "").strip(),
        shoot_type=shoot_type,
        starts_at=starts_at,
        status=status,
        location=(location or "").strip(),
        notes=notes or "",
        gallery_provider=gallery_provider or "",
        gallery_id=(gallery_id or "").strip(),
        gallery_url=(gallery_url or "").strip(),
    )
    links = list(contacts)
    errors = _shoot_errors(shoot) | _contact_link_errors(studio, links)
    if errors:
        raise ValidationError(errors)
    shoot.save()
    _replace_links(shoot, links)
    return shoot


@transaction.atomic
def update_shoot(*, shoot: Shoot, **fields: Any) -> Shoot:
    """Set any of EDITABLE_FIELDS; `status` goes through the transition rules and
    `contacts` (a sequence of (contact, role)) replaces the linked contacts."""
    unknown = set(fields) - EDITABLE_FIELDS - {"status", "contacts"}
    if unknown:
        raise TypeError(f"update_shoot() cannot set {', '.join(sorted(unknown))}.")
    links = list(fields.pop("contacts")) if "contacts" in fields else None
    new_status = fields.pop("status", None)

    errors: dict[str, list[str]] = {}
    if new_status is not None and new_status != _locked_status(shoot):
        errors |= _transition_errors(shoot.status, new_status)
    for name, value in fields.items():
        setattr(shoot, name, value.strip() if isinstance(value, str) and name != "notes" else value)
    if new_status is not None and not errors:
        shoot.status = new_status
    errors |= _shoot_errors(shoot)
    if links is not None:
        errors |= _contact_link_errors(shoot.studio, links)
    if errors:
        shoot.refresh_from_db()
        raise ValidationError(errors)
    shoot.save()
    if links is not None:
        _replace_links(shoot, links)
    return shoot


@transaction.atomic
def set_shoot_contacts(*, shoot: Shoot, contacts: ContactLinks) -> None:
    """Make the shoot's linked contacts exactly `contacts`, keeping unchanged links."""
    links = list(contacts)
    errors = _contact_link_errors(shoot.studio, links)
    if errors:
        raise ValidationError(errors)
    _replace_links(shoot, links)
    Shoot.objects.filter(pk=shoot.pk).update(updated_at=timezone.now())


@transaction.atomic
def change_status(*, shoot: Shoot, status: str) -> Shoot:
    current = _locked_status(shoot)
    errors = _transition_errors(current, status)
    if errors:
        raise ValidationError(errors)
    shoot.status = status
    shoot.save(update_fields=["status", "updated_at"])
    return shoot


@transaction.atomic
def delete_shoot(*, shoot: Shoot) -> int:
    """Delete the shoot and its contact links. Its sales stay, with no shoot
    (Sale.shoot is SET_NULL). Returns how many sales were detached."""
    detached = shoot.sales.count()
    shoot.delete()
    return detached


# --- validation -------------------------------------------------------------------------


def _locked_status(shoot: Shoot) -> str:
    """The stored status, with the row locked so two clicks cannot both pass the check."""
    stored = Shoot.objects.select_for_update().only("status").get(pk=shoot.pk).status
    shoot.status = stored
    return stored


def _transition_errors(current: str, new: str) -> dict[str, list[str]]:
    if new not in Status.values:
        return {"status": [f"“{new}” is not a shoot status."]}
    if new not in allowed_next_statuses(current):
        return {
            "status": [
                f"A shoot cannot go from {Status(current).label.lower()} "
                f"to {Status(new).label.lower()}."
            ]
        }
    return {}


def _shoot_errors(shoot: Shoot) -> dict[str, list[str]]:
    """Field errors of the shoot itself: the model's own checks plus the rules it cannot hold."""
    errors: dict[str, list[str]] = {}
    try:
        # Constraints are checked below with a message that names the other shoot.
        shoot.full_clean(exclude={"studio"}, validate_constraints=False)
    except ValidationError as exc:
        errors |= exc.message_dict
    if isinstance(shoot.starts_at, dt.datetime) and timezone.is_naive(shoot.starts_at):
        errors.setdefault("starts_at", []).append(
            "The date and time need a time zone (interpret form input in the studio's)."
        )
    elif isinstance(shoot.starts_at, dt.datetime) and (
        problem := timestamp_problem(shoot.starts_at)
    ):
        errors.setdefault("starts_at", []).append(problem)
    if shoot.gallery_id and not shoot.gallery_provider:
        errors.setdefault("gallery_provider", []).append("Choose which provider the gallery is on.")
    if "gallery_id" not in errors and (other := _shoot_with_same_gallery(shoot)):
        errors.setdefault("gallery_id", []).append(
            f"This gallery is already recorded on the shoot “{other.title}”."
        )
    return errors


def _shoot_with_same_gallery(shoot: Shoot) -> Shoot | None:
    if not shoot.gallery_id:
        return None
    return (
        Shoot.objects.for_studio(shoot.studio_id)
        .filter(gallery_provider=shoot.gallery_provider, gallery_id=shoot.gallery_id)
        .exclude(pk=shoot.pk)
        .first()
    )


def _contact_link_errors(studio: Studio, links: list[tuple[Contact, str]]) -> dict:
    problems: list[str] = []
    seen: set[int] = set()
    for contact, role in links:
        if contact.pk is None or contact.studio_id != studio.pk:
            problems.append(f"{contact} is not one of this studio's contacts.")
        elif contact.pk in seen:
            problems.append(f"{contact} is listed more than once.")
        seen.add(contact.pk)
        if role not in ShootContact.Role.values:
            problems.append(f"“{role}” is not a role a contact can have at a shoot.")
    return {"contacts": problems} if problems else {}


# --- writes -------------------------------------------------------------------------------


def _replace_links(shoot: Shoot, links: list[tuple[Contact, str]]) -> None:
    """Sync ShootContact rows with `links`: unchanged rows keep their id (and order)."""
    wanted = {contact.pk: role for contact, role in links}
    existing = {link.contact_id: link for link in shoot.shoot_contacts.all()}
    ShootContact.objects.filter(shoot=shoot, contact_id__in=set(existing) - set(wanted)).delete()
    for contact_id, link in existing.items():
        if contact_id in wanted and link.role != wanted[contact_id]:
            link.role = wanted[contact_id]
            link.save(update_fields=["role"])
    ShootContact.objects.bulk_create(
        ShootContact(studio_id=shoot.studio_id, shoot=shoot, contact=contact, role=role)
        for contact, role in links
        if contact.pk not in existing
    )
