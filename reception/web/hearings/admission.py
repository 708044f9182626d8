"""The ways an official admits someone into a hearing, each marked where its route is defined
(`@admits("...")`). Every one ends in the hearing service's single admission step, which starts
the recording; the browser tests admit through each way listed here, so a new way in cannot
escape them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable[..., object])
ADMISSION_WAYS: dict[str, str] = {}  # way -> the view function's dotted name


def admits(way: str) -> Callable[[F], F]:
    def mark(view: F) -> F:
        ADMISSION_WAYS[way] = f"{view.__module__}.{getattr(view, '__qualname__', view)}"
        return view

    return mark
