"""GET /healthz: the process is up and the database answers."""

from __future__ import annotations

from quart import Blueprint, current_app
from sqlalchemy import text

from reception.web.context import app_container

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
async def healthz() -> tuple[dict[str, str], int]:
    try:
        async with app_container().engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:  # any database failure means "not healthy"; details go to the log
        current_app.logger.exception("health check failed")
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}, 200
