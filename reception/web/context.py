"""Typed access to the services the app factory wires onto the running app.

Handlers reach use cases only through `services()`; the web layer never sees the wiring or an
adapter (an import-linter contract checks it)."""

from __future__ import annotations

from typing import cast

from quart import current_app

from reception.services.registry import Services

EXTENSION = "reception.services"


def services() -> Services:
    """The current app's services. Quart keeps extensions untyped; `create_app` stores a
    `Services` under this key, so this is the one cast that vouches for it."""
    return cast(Services, current_app.extensions[EXTENSION])
