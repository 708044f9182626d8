"""The internal API of a media node: web processes send it the media work of the hearings
pinned to it (docs/deployment.md "Media nodes"). It listens on its own address (127.0.0.1 by
default), never on the public one, and every request carries the node key derived from the
server's secret. Service errors travel as their msgid and values, so the web process that
answers the person translates them (web/errors.py `message_of`)."""

from __future__ import annotations

import hmac
import json
import uuid
from typing import Any

from quart import Quart, Response, jsonify, request

from reception.domain.hearings.model import HearingId, MemberId
from reception.services.errors import ServiceError
from reception.services.hearings.node import MediaNodeService
from reception.services.hearings.wire import ANSWER, FLAGS, VIEW, WireError, effects_in


def create_node_app(node: MediaNodeService, key: str) -> Quart:
    app = Quart("reception.media_node")
    app.config["MAX_CONTENT_LENGTH"] = 256 * 1024  # an SDP offer is a few kilobytes

    @app.before_request
    async def _authorised() -> Response | None:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if request.path != "/healthz" and not (
                scheme == "Bearer" and hmac.compare_digest(given.encode(), key.encode())):
            return _error(401, "unauthorised", "This is a media node's internal API.")
        return None

    @app.errorhandler(ServiceError)
    async def _refused(error: ServiceError) -> Response:
        return _error(409 if error.code == "conflict" else 503 if error.code == "unavailable"
                      else 400, error.code, error.message, error.params)

    @app.errorhandler(WireError)
    async def _malformed(error: WireError) -> Response:
        return _error(400, "invalid", str(error))

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"node": node.name}

    @app.post("/rooms/<uuid:hearing_id>/effects")
    async def effects(hearing_id: uuid.UUID) -> tuple[str, int]:
        body = await _json_object()
        await node.perform(HearingId(hearing_id), effects_in(body.get("effects")))
        return "", 204

    @app.post("/rooms/<uuid:hearing_id>/members/<uuid:member_id>/connect")
    async def connect(hearing_id: uuid.UUID, member_id: uuid.UUID) -> Response:
        body = await _json_object()
        if not isinstance(body.get("sdp"), str) or not isinstance(body.get("muted"), bool):
            raise WireError("an offer needs sdp, flags and muted")
        try:
            flags = FLAGS.validate_python(body.get("flags"))
        except ValueError as error:
            raise WireError(str(error)) from None
        answer = await node.connect(HearingId(hearing_id), MemberId(member_id), body["sdp"],
                                    flags, body["muted"])
        return Response(ANSWER.dump_json(answer), content_type="application/json")

    @app.get("/rooms/<uuid:hearing_id>/view")
    async def view(hearing_id: uuid.UUID) -> Response:
        viewer = request.args.get("viewer", type=uuid.UUID)
        seen = node.view(HearingId(hearing_id), MemberId(viewer) if viewer else None)
        return Response(VIEW.dump_json(seen), content_type="application/json")

    return app


async def _json_object() -> dict[str, Any]:
    """The request's JSON object; anything else (not JSON, not UTF-8, a list) is malformed."""
    try:
        body = json.loads(await request.get_data(cache=False))
    except ValueError:  # JSONDecodeError and UnicodeDecodeError alike
        body = None
    if not isinstance(body, dict):
        raise WireError("the body must be a JSON object")
    return body


def _error(status: int, code: str, message: str,
           params: dict[str, object] | None = None) -> Response:
    body: dict[str, Any] = {"code": code, "message": message, "params": params or {}}
    response = jsonify(body)
    response.status_code = status
    return response
