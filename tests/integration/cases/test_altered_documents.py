"""A stored file is named by its SHA-256: one changed on disk since is never given out — not
from the case page, nor the API, nor the citizen's status page — and never copied into a case
file; the refusal says so in plain words and the audit log names the document."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import asyncpg
from quart import Quart
from werkzeug.datastructures import FileStorage

from reception.services.booking.rules import Upload
from tests.conftest import asyncpg_dsn
from tests.integration.booking.test_booking_refusals import PDF
from tests.integration.cases.helpers import ALL_CASE_ROLES, client_for, headers, post, staff
from tests.integration.cases.test_case_from_reception import OPEN_AS
from tests.integration.conftest import form_token
from tests.integration.hearings.factory import make_official
from tests.integration.transcript_review.seed import seed_hearing

ALTERED = ("Tệp này không còn khớp với mã băm ghi nhận khi lưu: tệp đã bị thay đổi sau đó nên "
           "không được cung cấp. Quản trị viên đã được báo.")


def alter(stored: Path) -> None:
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit of one byte
    stored.write_bytes(bytes(data))


async def _actions(database_url: str, action: str) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(dsn=asyncpg_dsn(database_url))
    try:
        return list(await connection.fetch(
            "SELECT object_id, details FROM audit_log WHERE action = $1", action))
    finally:
        await connection.close()


async def test_an_altered_case_document_is_refused_wherever_it_is_asked_for(
    app: Quart, tmp_path: Path, clean_db: str
) -> None:
    await staff(app, "head", *ALL_CASE_ROLES, code="SO")
    client = await client_for(app, "head")
    case = await post(client, "/api/v1/cases", {
        "kind": "complaint", "channel": "post", "summary": "Khiếu nại", "received_on": "2026-09-01",
        "parties": [{"role": "complainant", "full_name": "Trần Thị Bình"}]}, 201)
    uploaded = await client.post(
        f"/api/v1/cases/{case['id']}/documents", form={"title": "Đơn khiếu nại"},
        files={"file": FileStorage(io.BytesIO(PDF), "don.pdf", content_type="application/pdf")},
        headers=headers(client))
    document = await uploaded.get_json()
    assert uploaded.status_code == 201, document
    async with app.container.uow_factory() as uow:  # type: ignore[attr-defined]
        assert await uow.cases.publish_document(uuid.UUID(case["id"]), uuid.UUID(document["id"]))
        await uow.commit()
    citizen = app.test_client()

    async def public() -> tuple[int, bytes]:
        response = await citizen.post("/status/document", form={
            "reference": case["reference"], "secret": case["secret"], "document_id": document["id"]})
        return response.status_code, await response.get_data()

    paths = (f"/api/v1/cases/{case['id']}/documents/{document['id']}",
             f"/cases/{case['id']}/documents/{document['id']}")
    for path in paths:
        response = await client.get(path)
        assert response.status_code == 200 and await response.get_data() == PDF
    assert await public() == (200, PDF)

    alter(tmp_path / "case_documents" / document["sha256"][:2] / document["sha256"])
    api = await client.get(paths[0])
    problem = await api.get_json()
    assert api.status_code == 409, problem
    assert (problem["detail"], problem["code"]) == (ALTERED, "file_altered")
    page = await client.get(paths[1])
    assert page.status_code == 409 and ALTERED in await page.get_data(as_text=True)
    status, body = await public()
    assert status == 409 and ALTERED in body.decode()
    refusals = await _actions(clean_db, "case.document_altered")
    assert [r["object_id"] for r in refusals] == [document["id"]] * 3
    assert len(await _actions(clean_db, "case.document_download")) == 2  # the intact reads only


async def test_an_altered_attachment_is_not_copied_into_a_case_file(
    app: Quart, tmp_path: Path, clean_db: str
) -> None:
    container = app.container  # type: ignore[attr-defined]
    official = await make_official(container.staff, login="tiepdan")
    held = await seed_hearing(container.uow_factory, official, tmp_path / "recordings")
    await container.booking.bookings.add_documents(held.seeded.token, [Upload("qd-12.pdf", PDF)])
    async with container.uow_factory() as uow:
        [attached] = await uow.bookings.documents(held.seeded.booking.id)
    alter(tmp_path / "uploads" / attached.sha256[:2] / attached.sha256)
    client = await client_for(app, "tiepdan")
    token = await form_token(client, f"/receptions/{held.seeded.booking.id}")
    response = await client.post(f"/receptions/{held.seeded.booking.id}/case",
                                 form={**OPEN_AS, "csrf_token": token})
    assert response.status_code == 409
    assert ALTERED in await response.get_data(as_text=True)
    assert not (tmp_path / "case_documents").exists() or not any(
        (tmp_path / "case_documents").rglob("*"))
    connection = await asyncpg.connect(dsn=asyncpg_dsn(clean_db))
    try:
        assert await connection.fetchval("SELECT count(*) FROM case_file") == 0
    finally:
        await connection.close()
