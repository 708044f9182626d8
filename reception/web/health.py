"""GET /healthz: the process is up and the database answers; how many media nodes are alive
(video hearings need one; the rest of the service works without)."""

from __future__ import annotations

from quart import Blueprint

from reception.web.context import services

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
async def healthz() -> tuple[dict[str, object], int]:
    health = services().health
    if await health.database_answers():
        return {"status": "ok", "database": "ok",
                "media_nodes": await health.media_nodes_alive()}, 200
    return {"status": "unavailable", "database": "unreachable"}, 503
