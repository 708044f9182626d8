"""GET /healthz: the process is up and the database answers; how many media nodes are alive
(video hearings need one; the rest of the service works without)."""

from __future__ import annotations

from quart import Blueprint

from reception.web.context import services

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
async def healthz() -> tuple[dict[str, object], int]:
    nodes = await services().health.media_nodes()  # one statement answers both questions
    if nodes is not None:
        return {"status": "ok", "database": "ok", "media_nodes": nodes}, 200
    return {"status": "unavailable", "database": "unreachable"}, 503
