""" "Import Enquiry": an Inbox enquiry becomes a contact (matched or new) and a shoot in
enquiry status.

The contact is found as "Import Order" finds one (contacts.matching, the same rule of a
certain match), and the window offers the same choices: a certain match, one of the
possible ones, or a new contact. One transaction with the item locked: importing twice,
or two users at once, gives one shoot. What was made is kept on the item's stored
enquiry under "imported" (contact_id, shoot_id), so the Inbox can link to it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction

from contacts import services as contact_services
from contacts.matching import MATCH, MatchInput, MatchResult, find_matches
from contacts.models import Contact
from contacts.selectors import get_contact
from inbox.models import InboxItem
from shoots.models import Shoot, ShootContact
from shoots.services import create_shoot

NOON = dt.time(12, 0)


def enquiry_of(item: InboxItem) -> dict:
    if item.kind != InboxItem.Kind.ENQUIRY or not item.normalized:
        raise ValidationError({"item": "This Inbox item is not an enquiry."})
    return item.normalized


def match_enquiry(item: InboxItem) -> MatchResult:
    enquiry = enquiry_of(item)
    candidate = MatchInput(
        first_name=enquiry.get("first_name", ""),
        last_name=enquiry.get("last_name", ""),
        email=enquiry.get("email", ""),
        phone=enquiry.get("phone", ""),
    )
    return find_matches(studio=item.studio, candidate=candidate)


def shoot_type_of(text: str) -> str:
    """The shoot type the form named ("Wedding", "wedding photography"), else Other."""
    lowered = text.strip().lower()
    for value, label in Shoot.Type.choices:
        if lowered and (lowered == value or label.lower() in lowered):
            return value
    return Shoot.Type.OTHER


def _starts_at(item: InboxItem, enquiry: dict) -> tuple[dt.datetime, bool]:
    """Noon on the asked-for day in the studio's zone; without one, noon on the day the
    enquiry came (flagged, so the shoot's notes say the date is to be agreed)."""
    zone = ZoneInfo(item.studio.time_zone)
    asked = enquiry.get("event_date")
    if asked:
        return dt.datetime.combine(dt.date.fromisoformat(asked), NOON, tzinfo=zone), True
    day = (item.placed_at or item.received_at).astimezone(zone).date()
    return dt.datetime.combine(day, NOON, tzinfo=zone), False


def _new_contact(item: InboxItem, enquiry: dict) -> Contact:
    fields = {
        "first_name": enquiry.get("first_name", ""),
        "last_name": enquiry.get("last_name", ""),
        "source": Contact.Source.WEBSITE,
        "emails": [enquiry["email"]] if enquiry.get("email") else [],
        "phones": [enquiry["phone"]] if enquiry.get("phone") else [],
    }
    try:
        with transaction.atomic():
            return contact_services.create_contact(studio=item.studio, **fields)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {}
        if not errors.get("phones"):
            raise
        # A phone Cyan cannot read is not a reason to refuse the client: it stays in the
        # enquiry (and the shoot's notes), the contact is made without it.
        fields["phones"] = []
        return contact_services.create_contact(studio=item.studio, **fields)


def _choose_contact(
    item: InboxItem, contact_id: int | None, create: bool, use_match: bool
) -> Contact:
    if contact_id is not None:
        try:
            return get_contact(studio=item.studio, pk=contact_id)
        except Contact.DoesNotExist as exc:
            raise ValidationError({"contact_id": "No such contact in this studio."}) from exc
    match = match_enquiry(item)
    if use_match and match.outcome == MATCH and match.best is not None:
        return match.best.contact
    if create:
        return _new_contact(item, enquiry_of(item))
    reason = "possible matches need a choice" if match.candidates else "no contact matches"
    raise ValidationError(
        {"contact_id": f"Choose a contact ({reason}), or tick 'Create a new contact'."}
    )


def _notes(item: InboxItem, enquiry: dict, dated: bool) -> str:
    lines = [f"From an enquiry received {item.received_at:%d %b %Y} (Inbox #{item.pk})."]
    if not dated:
        lines.append("No date was given: agree one with the client.")
    if enquiry.get("shoot_type"):
        lines.append(f"Asked for: {enquiry['shoot_type']}.")
    if enquiry.get("phone"):
        lines.append(f"Phone: {enquiry['phone']}.")
    if enquiry.get("message"):
        lines.append("")
        lines.append(enquiry["message"])
    return "\n".join(lines)


def import_enquiry(
    *,
    item: InboxItem,
    contact_id: int | None = None,
    create_contact: bool = False,
    use_match: bool = True,
) -> Shoot:
    """The enquiry-status shoot for `item`, linked to the chosen contact, else the certain
    match (unless `use_match` is off: "none of these"), else a new one when asked."""
    with transaction.atomic():
        locked = InboxItem.objects.select_for_update().select_related("studio").get(pk=item.pk)
        enquiry = enquiry_of(locked)
        done = enquiry.get("imported") or {}
        if locked.state == InboxItem.State.IMPORTED and done.get("shoot_id"):
            shoot = Shoot.objects.filter(studio=locked.studio, pk=done["shoot_id"]).first()
            if shoot is not None:
                return shoot  # already done (a second click, or another user first)
        if locked.state == InboxItem.State.DISMISSED:
            raise ValidationError({"item": "This enquiry was dismissed; restore it first."})
        contact = _choose_contact(locked, contact_id, create_contact, use_match)
        starts_at, dated = _starts_at(locked, enquiry)
        shoot = create_shoot(
            studio=locked.studio,
            title=f"{contact.display_name} – enquiry"[:200],
            shoot_type=shoot_type_of(enquiry.get("shoot_type", "")),
            starts_at=starts_at,
            status=Shoot.Status.ENQUIRY,
            notes=_notes(locked, enquiry, dated),
            contacts=[(contact, ShootContact.Role.CLIENT)],
        )
        locked.normalized = {
            **enquiry,
            "imported": {"contact_id": contact.pk, "shoot_id": shoot.pk},
        }
        locked.state = InboxItem.State.IMPORTED
        locked.save(update_fields=["normalized", "state", "updated_at"])
    item.refresh_from_db()
    return shoot
