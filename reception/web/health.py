"""GET /healthz: the process is up and the database answers."""

from __future__ import annotations

from quart import Blueprint

from reception.web.context import services

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
async def healthz() -> tuple[dict[str, str], int]:
    if await services().health.database_answers():
        return {"status": "ok", "database": "ok"}, 200
    return {"status": "unavailable", "database": "unreachable"}, 503
