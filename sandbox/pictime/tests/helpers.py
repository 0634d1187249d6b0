"""Helpers shared by the tests (importable, unlike conftest)."""

from __future__ import annotations

import random

from standin import generator, orders


def place(account, **overrides):
    """One random order (seeded) through the service layer."""
    seed = overrides.pop("seed", 1)
    gallery = overrides.pop("gallery", None) or account.galleries.order_by("id").first()
    req = generator.random_request(gallery, random.Random(seed), overrides.pop("currency", ""))
    for key, value in overrides.items():
        setattr(req, key, value)
    return orders.place_order(req)
