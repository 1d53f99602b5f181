"""open-model-registry: the `registry` command line front, and `Registry`, its Python API."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from queries.readonly import QueryFailed, QueryRefused
    from warehouse.errors import WarehouseError

    from .api import Registry

__all__ = ["QueryFailed", "QueryRefused", "Registry", "WarehouseError"]


def __getattr__(name: str):
    # Imported on first use: `registry crawl` loads this package and should not pay for Polars.
    if name == "Registry":
        from .api import Registry

        return Registry
    if name in ("QueryFailed", "QueryRefused"):
        from queries import readonly

        return getattr(readonly, name)
    if name == "WarehouseError":
        from warehouse.errors import WarehouseError

        return WarehouseError
    raise AttributeError(f"module 'registry' has no attribute {name!r}")
