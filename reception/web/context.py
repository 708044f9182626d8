"""Typed access to the services the app factory wires onto the running app."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from quart import current_app

if TYPE_CHECKING:  # app.py imports the web modules, so only the type checker imports it here
    from reception.app import ReceptionApp
    from reception.bootstrap.container import Container


def app_container() -> Container:
    """The current app's `Container`. Quart types `current_app` as a plain Quart; every app
    this package serves is built by `create_app`, so this is the one cast that vouches for it."""
    return cast("ReceptionApp", current_app).container
