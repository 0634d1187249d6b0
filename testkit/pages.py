"""A studio with something on every page, and the pages of the main path: for the tests
that walk every page (phone width, accessibility, plain words)."""

from __future__ import annotations

from collections.abc import Iterator

from contacts.models import Contact
from inbox.models import InboxItem
from sales.models import Sale
from shoots.models import Shoot
from testkit.factories import at, line, make_contact, make_sale, make_shoot, receive

# Long words are what push a phone page sideways: a name, an email, a gallery title.
LONG = "Wolfeschlegelsteinhausenbergerdorff"
LONG_EMAIL = f"maximiliana.{LONG.lower()}@example-photography-studio.test"


def fill_studio(studio) -> None:
    """Two contacts (one with very long names), their shoots and sales (one refunded),
    and two gallery orders in the Inbox (one from the long-named client)."""
    contact = make_contact(studio, first_name="Maximiliana", last_name=LONG, emails=[LONG_EMAIL])
    other = make_contact(studio, first_name="Ada", last_name="Lovelace")
    shoot = make_shoot(
        studio, contact, title=f"{LONG} family session in the park", starts_at=at(2026, 6, 1)
    )
    make_shoot(studio, other, title="Portrait", starts_at=at(2026, 9, 1))
    make_sale(
        studio,
        contact,
        lines=[line(price=125_000, description=f"Album {LONG}"), line("print", 4500, 3)],
        shoot=shoot,
        refund=1000,
    )
    make_sale(studio, other, total_minor=9900)
    receive(studio, 1, email=LONG_EMAIL)
    receive(studio, 2)


def main_path() -> Iterator[str]:
    """Every page a photographer goes through in a day, for the studio filled above."""
    yield from ["/", "/inbox/", "/contacts/", "/shoots/", "/sales/", "/sales/new/"]
    yield from ["/reports/", "/reports/segments/", "/reports/opportunities/", "/reports/sales/"]
    yield from ["/accounts/preferences/", "/galleries/settings/", "/preferences/integrations/api/"]
    for item in InboxItem.objects.all():
        yield f"/inbox/{item.pk}/"
        if item.state == InboxItem.State.NEW:
            yield f"/inbox/{item.pk}/import/"
    for sale in Sale.objects.all():
        yield f"/sales/{sale.pk}/"
    for contact in Contact.objects.all():
        yield f"/contacts/{contact.pk}/"
    for shoot in Shoot.objects.all():
        yield f"/shoots/{shoot.pk}/"
