"""Which gallery providers Cyan has, by name: `get("pictime")`, `all()`.

The packages are listed here explicitly and imported on first use, so importing the
registry registers nothing and has no side effects. A package that is not in the tree
(a provider still being built) is simply not available.
"""

from __future__ import annotations

import importlib
import importlib.util
from functools import cache

from galleries.providers.base import GalleryProvider

_PACKAGES = ("pictime", "shootproof")


class UnknownProvider(LookupError):
    """No gallery provider of that name."""

    def __init__(self, name: object) -> None:
        super().__init__(f"Unknown gallery provider: {name!r}")
        self.name = name


@cache
def _loaded() -> dict[str, GalleryProvider]:
    found: dict[str, GalleryProvider] = {}
    for package in _PACKAGES:
        module_name = f"{__package__}.{package}"
        if importlib.util.find_spec(module_name) is None:
            continue
        provider = importlib.import_module(module_name).PROVIDER
        found[provider.name] = provider
    return found


def get(name: str) -> GalleryProvider:
    """The provider called `name` (a core.providers.Provider value), or UnknownProvider."""
    try:
        return _loaded()[name]
    except (KeyError, TypeError):
        raise UnknownProvider(name) from None


def all() -> list[GalleryProvider]:
    """Every available provider, in _PACKAGES order."""
    return list(_loaded().values())


def names() -> list[str]:
    return list(_loaded())
