"""The citizen's status page: reference + secret code → state in plain words, the next legal
deadline and the published documents. No login: the pair is the credential, and a wrong pair
answers 404 like an unknown reference. Rate-limited against guessing."""

from __future__ import annotations

import uuid

from quart import Blueprint, Response, render_template, request

from reception.i18n_marker import N_
from reception.services.cases.public import PublicStatusService
from reception.services.errors import NotFound
from reception.web.context import services
from reception.web.errors import message_of
from reception.web.i18n import gettext
from reception.web.security.csrf import exempt
from reception.web.security.limits import STATUS_PER_ADDRESS, by_address, throttle

blueprint = Blueprint("status_public", __name__)


def _service() -> PublicStatusService:
    return services().cases.public


@blueprint.get("/status")
async def form() -> str:
    return await render_template("public/status.html", result=None, reference="", errors={})


def _missing(reference: str, secret: str) -> dict[str, str]:
    """An empty field is named as such: "no case matches" would send the citizen looking for a
    typo in a field they left blank."""
    errors = {}
    if not reference.strip():
        errors["reference"] = gettext(N_("Enter the case reference printed on your receipt."))
    if not secret.strip():
        errors["secret"] = gettext(N_("Enter the secret code printed on your receipt."))
    return errors


async def _refused(reference: str, errors: dict[str, str], status: int) -> tuple[str, int]:
    html = await render_template("public/status.html", result=None, reference=reference,
                                 errors=errors)
    return html, status


@blueprint.post("/status")
async def lookup() -> tuple[str, int]:
    await throttle(by_address(STATUS_PER_ADDRESS))
    data = await request.form
    reference, secret = data.get("reference", "")[:32], data.get("secret", "")[:64]
    if errors := _missing(reference, secret):
        return await _refused(reference, errors, 422)
    try:
        result = await _service().status(reference, secret)
    except NotFound as error:
        return await _refused(reference, {"reference": message_of(error)}, 404)
    html = await render_template("public/status.html", result=result, reference=reference,
                                 secret=secret, errors={})
    return html, 200


@blueprint.post("/status/document")
@exempt  # authenticated by reference + secret in the body, never by a cookie
async def document() -> Response:
    await throttle(by_address(STATUS_PER_ADDRESS))
    data = await request.form
    try:
        document_id = uuid.UUID(data.get("document_id", ""))
    except ValueError:
        raise NotFound("No such document in this case file.") from None
    found, content = await _service().document(data.get("reference", "")[:32],
                                               data.get("secret", "")[:64], document_id)
    response = Response(content, content_type=found.media_type)
    response.headers["Content-Disposition"] = "attachment"
    return response
