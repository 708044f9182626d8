"""Every official form a case can produce is issued signed (the list comes from the renderer's
forms table, so a form added later is covered), registered, verifiable on the public page and
by pyHanko's own command-line validator against the demo root; decisions need the head; a
denunciation's page shows only the reference and the kind."""

from __future__ import annotations

import asyncio
import hashlib
import io
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from datetime import date
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pypdf import PdfReader
from quart import Quart

from reception.adapters.forms_pdf import BY_KIND, COMMON
from reception.domain.cases.case import ProcessKind
from reception.domain.documents.issuers import head_issues
from reception.domain.organisation import StaffRole
from tests.integration.cases.helpers import act, client_for, detail, headers, post, staff

RECEIVED = date(2026, 9, 1)
STEP_DAY = date(2026, 9, 2)
PARTIES = {
    "complaint": [{"role": "complainant", "full_name": "Trần Thị Bình", "id_number": "079123456789"},
                  {"role": "complainee", "full_name": "UBND xã An Bình"}],
    "denunciation": [{"role": "denouncer", "full_name": "Người Bí Mật", "id_number": "079123456780"},
                     {"role": "denounced", "full_name": "Lê Văn Cường"}],
    "petition": [{"role": "petitioner", "full_name": "Phạm Văn Dũng"}],
}
PYHANKO = Path(sys.executable).with_name("pyhanko")


async def _case(client: object, kind: str) -> dict[str, object]:
    return await post(client, "/api/v1/cases", {  # type: ignore[arg-type]
        "kind": kind, "channel": "visit", "summary": "Nội dung đơn", "received_on": RECEIVED.isoformat(),
        "parties": PARTIES[kind]}, 201)


async def _download(client: object, cid: object, document_id: object) -> bytes:
    response = await client.get(f"/api/v1/cases/{cid}/documents/{document_id}")  # type: ignore[attr-defined]
    assert response.status_code == 200
    return await response.get_data()  # type: ignore[no-any-return]


# Each kind walked to the steps at which its forms fall due (a form is drawn up when the step it
# records is next or done; the refusal to receive from a closed matter): every walk ends closed.
WALKS: dict[str, list[list[tuple[str, dict[str, object]]]]] = {
    "complaint": [[("accept", {"within_competence": True, "acceptance_bar": "none"}),
                   ("recheck", {}), ("decide_at_once", {"clearly_correct": True})],
                  [("reject", {"acceptance_bar": "time_barred"})]],
    "denunciation": [[("start_initial_check", {}), ("accept", {"conditions_met": True})],
                     [("start_initial_check", {}), ("not_process", {"ground": "anonymous"})]],
    "petition": [[("classify_kn", {}), ("file_not_eligible", {"ground": "E1_language"})]],
}
# Drawn up at a dialogue, after a verification: signed by the same path, walked in
# tests/integration/labels/test_every_page_in_vietnamese.py.
NOT_WALKED = {"dialogue_minutes"}


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["complaint", "denunciation", "petition"])
async def test_every_form_generated_from_a_case_is_signed_and_registered(app: Quart, kind: str) -> None:
    await staff(app, "head", StaffRole.HEAD, StaffRole.CASE_MANAGER)
    client = await client_for(app, "head")
    issued: set[str] = set()
    for walk in WALKS[kind]:
        case = await _case(client, kind)
        for step in [None, *walk]:
            if step is not None:
                await act(client, str(case["id"]), step[0], STEP_DAY, facts=step[1])
            for form_key in (await detail(client, str(case["id"])))["forms"]:
                if form_key not in issued:
                    issued.add(form_key)
                    await _issued_and_signed(app, client, kind, case, form_key)
    assert issued == {*COMMON, *BY_KIND.get(ProcessKind(kind), {})} - NOT_WALKED


async def _issued_and_signed(app: Quart, client: object, kind: str, case: dict[str, object],
                             form_key: str) -> None:
    verifier = app.container.signing.verifier  # type: ignore[attr-defined]
    document = await post(client, f"/api/v1/cases/{case['id']}/forms/{form_key}", {}, 201)  # type: ignore[arg-type]
    pdf = await _download(client, case["id"], document["id"])
    [check] = await verifier.check(pdf)
    assert check.intact and check.trusted and not check.modified_after, (form_key, check)
    async with app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        record = await uow.signed_documents.by_digest(check.digest)
    assert record is not None and record.document_id == uuid.UUID(document["id"])
    assert record.sha256 == hashlib.sha256(pdf).hexdigest() == document["sha256"]
    assert record.code == check.code and record.signer_name and record.timestamped
    assert record.sealed is (kind == "denunciation")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert text.strip()  # the form itself is still there under its signature


async def test_decisions_are_issued_only_by_the_head(app: Quart) -> None:
    await staff(app, "head", StaffRole.HEAD, StaffRole.CASE_MANAGER)
    await staff(app, "clerk", StaffRole.CASE_MANAGER, StaffRole.RECEPTIONIST)
    head, clerk = await client_for(app, "head"), await client_for(app, "clerk")
    case = await _case(head, "complaint")
    assert head_issues("first_decision") and not head_issues("receipt_02")
    refused = await clerk.post(f"/api/v1/cases/{case['id']}/forms/first_decision", json={},
                               headers=headers(clerk))
    assert refused.status_code == 403
    receipt = await post(clerk, f"/api/v1/cases/{case['id']}/forms/receipt_02", {}, 201)
    assert receipt["title"]
    async with app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        documents = await uow.cases.documents(uuid.UUID(str(case["id"])))
    assert [d.form_key for d in documents] == ["receipt_02"]  # nothing unsigned was stored


async def test_the_public_page_answers_from_the_code_and_from_the_file(app: Quart) -> None:
    await staff(app, "head", StaffRole.HEAD, StaffRole.CASE_MANAGER)
    client = await client_for(app, "head")
    complaint = await _case(client, "complaint")
    document = await post(client, f"/api/v1/cases/{complaint['id']}/forms/receipt_02", {}, 201)
    pdf = await _download(client, complaint["id"], document["id"])
    async with app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        record = await uow.signed_documents.by_digest(
            (await app.container.signing.verifier.check(pdf))[0].digest)  # type: ignore[attr-defined]
    assert record is not None
    public = app.test_client()  # no login

    page = await (await public.get(f"/verify/{record.code.lower()}")).get_data(as_text=True)
    assert complaint["reference"] in page and "Lê Văn Cán" not in page
    assert record.signer_name in page and "Trần Thị Bình" not in page  # never a party
    valid = await public.post("/verify", files={"file": _upload(pdf)})
    html = await valid.get_data(as_text=True)
    assert valid.status_code == 200 and 'data-verdict="valid"' in html
    tampered = bytearray(pdf)
    tampered[1500] ^= 1
    invalid = await public.post("/verify", files={"file": _upload(bytes(tampered))})
    assert 'data-verdict="invalid"' in await invalid.get_data(as_text=True)
    unknown = await public.get("/verify/ZZZZ-ZZZZ-ZZZZ")
    assert unknown.status_code == 404
    junk = await public.post("/verify", files={"file": _upload(b"GIF89a not a pdf")})
    assert junk.status_code == 422

    denunciation = await _case(client, "denunciation")
    sealed = await post(client, f"/api/v1/cases/{denunciation['id']}/forms/receipt_02", {}, 201)
    sealed_pdf = await _download(client, denunciation["id"], sealed["id"])
    shown = await public.post("/verify", files={"file": _upload(sealed_pdf)})
    html = await shown.get_data(as_text=True)
    assert 'data-verdict="valid"' in html and denunciation["reference"] in html
    assert record.signer_name not in html and "Người Bí Mật" not in html


def _upload(data: bytes) -> object:
    from werkzeug.datastructures import FileStorage

    return FileStorage(io.BytesIO(data), filename="van-ban.pdf", content_type="application/pdf")


async def _pyhanko(*args: str) -> subprocess.CompletedProcess[str]:
    return await asyncio.to_thread(subprocess.run, [str(PYHANKO), "sign", *args],
                                   capture_output=True, text=True, timeout=120)


@pytest.fixture
def crl_server(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """Serves DATA_DIR over HTTP on 127.0.0.1: /pki/demo-root.crl is where the certificates
    say the CRL is published (the app serves the same path)."""
    folder = tmp_path / "pki"
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 partial(SimpleHTTPRequestHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, server.server_address[1]
    server.shutdown()
    thread.join()


@pytest.mark.slow
async def test_pyhankos_own_command_line_validator_accepts_a_generated_form(
        tmp_path: Path, clean_db: str, crl_server: tuple[Path, int]) -> None:
    from reception.app import create_app
    from tests.integration.conftest import make_settings

    folder, port = crl_server
    settings = make_settings(tmp_path, clean_db, PUBLIC_URL=f"http://127.0.0.1:{port}")
    application = create_app(settings, clean_db)
    async with application.test_app():
        await staff(application, "head", StaffRole.HEAD, StaffRole.CASE_MANAGER)
        client = await client_for(application, "head")
        case = await _case(client, "complaint")
        document = await post(client, f"/api/v1/cases/{case['id']}/forms/complaint_acceptance", {}, 201)
        pdf = tmp_path / "form.pdf"
        pdf.write_bytes(await _download(client, case["id"], document["id"]))
    root = folder / "demo-root.pem"
    # As anyone would: the root they downloaded, the CRL fetched from the certificate's address.
    online = await _pyhanko("validate", "--trust", str(root), "--trust-replace", str(pdf))
    # Offline, years later: only what the file carries (PAdES validation data, AdES rules).
    offline = await _pyhanko("adesverify", "--trust", str(root), "--trust-replace", str(pdf))
    print(online.stdout, online.stderr, offline.stdout, sep="\n")
    assert online.returncode == 0 and ":INTACT:TRUSTED," in online.stdout
    assert offline.returncode == 0 and ":INTACT:TRUSTED," in offline.stdout
    stranger = await _pyhanko("validate", str(pdf))  # the operating system's roots only
    assert stranger.returncode != 0 and ":UNTRUSTED," in stranger.stdout


async def test_verify_signatures_names_a_stored_file_that_was_changed(app: Quart, tmp_path: Path) -> None:
    from reception.bootstrap.signing import signature_audit

    await staff(app, "head", StaffRole.HEAD, StaffRole.CASE_MANAGER)
    client = await client_for(app, "head")
    case = await _case(client, "complaint")
    for form_key in ("receipt_02", "complaint_acceptance"):
        await post(client, f"/api/v1/cases/{case['id']}/forms/{form_key}", {}, 201)
    container = app.container  # type: ignore[attr-defined]
    audit = signature_audit(container.settings, container.uow_factory, container.signing)
    assert [f.problem async for f in audit.verify_all()] == [None, None]

    async with container.uow_factory() as uow:
        documents = await uow.cases.documents(uuid.UUID(str(case["id"])))
    stored = tmp_path / "case_documents" / documents[1].sha256[:2] / documents[1].sha256
    stored.write_bytes(stored.read_bytes() + b"\n% appended\n")
    findings = [f async for f in audit.verify_all()]
    assert findings[0].ok and findings[1].problem is not None and "changed" in findings[1].problem
