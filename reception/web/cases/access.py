"""Routes that take an object id declare the matrix entry they check: `@object_route(Permission,
ObjectType)`. A test walks the URL map and fails on any object route without one; the
service then scopes the lookup so another agency's id is simply not found (404)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from reception.domain.access import ObjectType, Permission

F = TypeVar("F", bound=Callable[..., Any])
ROUTES: dict[str, tuple[Permission, ObjectType]] = {}  # view qualname → matrix entry


def object_route(permission: Permission, obj: ObjectType) -> Callable[[F], F]:
    def mark(view: F) -> F:
        view.matrix_entry = (permission, obj)  # type: ignore[attr-defined]
        ROUTES[f"{view.__module__}.{view.__qualname__}"] = (permission, obj)
        return view

    return mark


def matrix_entry(view: Callable[..., Any]) -> tuple[Permission, ObjectType] | None:
    """The declared entry, looking through decorators that keep __wrapped__."""
    current: Any = view
    while current is not None:
        entry = getattr(current, "matrix_entry", None)
        if entry is not None:
            return entry  # type: ignore[no-any-return]
        current = getattr(current, "__wrapped__", None)
    return None
