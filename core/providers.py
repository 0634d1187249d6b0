"""The one list of where an order or a contact can come from, at the bottom of the
dependency graph so every app (galleries, inbox, sales, contacts, shoots, reports, api)
names a gallery provider the same way.

`Provider` holds the gallery providers only: each has a package under
galleries/providers/<value>/ (see galleries.providers.registry). The apps that also
record other origins (a sale entered by hand, an order pushed through the API) build
their choices from this list with `with_providers`, so adding a provider is one line
here, never six.
"""

from __future__ import annotations

from django.db import models


class Provider(models.TextChoices):
    PICTIME = "pictime", "Pic-Time"
    SHOOTPROOF = "shootproof", "ShootProof"


def with_providers(
    name: str,
    *,
    before: tuple[tuple[str, str, str], ...] = (),
    after: tuple[tuple[str, str, str], ...] = (),
    label_suffix: str = "",
) -> type[models.TextChoices]:
    """A TextChoices class named `name`: `before`, every Provider, then `after`.

    `before`/`after` are (MEMBER, value, label) triples; each provider keeps its member
    name and value, with `label_suffix` after its label ("Pic-Time order")."""
    members = [
        *((member, (value, label)) for member, value, label in before),
        *((p.name, (p.value, f"{p.label}{label_suffix}")) for p in Provider),
        *((member, (value, label)) for member, value, label in after),
    ]
    return models.TextChoices(name, members)


def provider_label(value: str) -> str:
    """The display name of a provider value; an unknown value is shown as it is."""
    try:
        return Provider(value).label
    except ValueError:
        return value.title()
