"""The public verification page: anyone uploads a PDF, or follows the link or QR code printed
next to a signature, and learns whether it is a genuine, unaltered document of this system,
who signed it and when, its kind and its case reference — never anything sealed. No login.
Also publishes the root certificate (and the demo CRL) so anyone can validate with their own
tools (e.g. `pyhanko sign validate --trust root.pem file.pdf`)."""

from __future__ import annotations

from quart import Blueprint, Response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from reception.domain.booking import LOCAL_TZ
from reception.domain.documents.signed import display_code
from reception.i18n_marker import N_
from reception.services.errors import Invalid, NotFound
from reception.services.signing.verification import DocumentVerification
from reception.web.context import services
from reception.web.errors import message_of
from reception.web.security.csrf import exempt
from reception.web.security.limits import (
    VERIFY_CODE_PER_ADDRESS,
    VERIFY_PAGE_PER_ADDRESS,
    VERIFY_UPLOAD_PER_ADDRESS,
    by_address,
    throttle,
)

blueprint = Blueprint("verification", __name__)
NO_FILE = N_("Choose the PDF file you want to check.")


def _service() -> DocumentVerification:
    return services().signing.verification


async def _page(status: int = 200, **values: object) -> tuple[str, int]:
    values.setdefault("error", None)
    values.setdefault("code", "")
    html = await render_template("public/verify.html", display_code=display_code, local_tz=LOCAL_TZ,
                                 max_mb=_service().max_bytes // 2**20, **values)
    return html, status


@blueprint.get("/verify")
async def form() -> tuple[str, int] | WerkzeugResponse:
    await throttle(by_address(VERIFY_PAGE_PER_ADDRESS))
    code = request.args.get("code", "").strip()[:32]
    if code:  # the code typed into the form: its own address, like the QR code's
        return redirect(url_for("verification.by_code", code=code))
    return await _page()


@blueprint.get("/verify/<code>")
async def by_code(code: str) -> tuple[str, int]:
    await throttle(by_address(VERIFY_CODE_PER_ADDRESS))
    try:
        document = await _service().lookup(code[:32])
    except NotFound as error:
        return await _page(404, error=message_of(error), code=code[:32])
    return await _page(document=document, code=document.code)


@blueprint.post("/verify")
@exempt  # reads only and needs no session: a forged request gains nothing
async def check() -> tuple[str, int]:
    await throttle(by_address(VERIFY_UPLOAD_PER_ADDRESS))
    files = await request.files
    upload = files.get("file")
    data = upload.read() if upload else b""
    if not data:
        return await _page(422, error=message_of(Invalid(NO_FILE)))
    try:
        verdict = await _service().check(data)
    except Invalid as error:
        return await _page(422, error=message_of(error))
    return await _page(verdict=verdict, document=verdict.document,
                       filename=(upload.filename or "")[:120] if upload else "")


@blueprint.get("/pki/root.pem")
async def root_certificate() -> Response:
    response = Response(services().signing.published.root_certificates_pem(),
                        content_type="application/x-pem-file")
    response.headers["Content-Disposition"] = 'attachment; filename="root.pem"'
    return response


@blueprint.get("/pki/demo-root.crl")
async def revocation_list() -> Response:
    crl = services().signing.published.revocation_list()
    if crl is None:
        raise NotFound(N_("This installation publishes no revocation list of its own."))
    return Response(crl, content_type="application/pkix-crl")
