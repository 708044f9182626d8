"""Hygiene: no secret in the log, security headers on every page, no readable client session,
private files, bidirectional controls shown as codes, and an OpenAPI document that lists the
errors and the required parameters."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from quart import Quart, session
from structlog.testing import capture_logs

from reception.adapters.storage.documents import DocumentStore
from reception.adapters.storage.uploads import DiskFileStore
from tests.integration.booking.conftest import booking_form, official_with_session
from tests.integration.cases.helpers import ALL_CASE_ROLES
from tests.integration.conftest import make_staff
from tests.integration.security.conftest import signed_in


async def _book(app: Quart) -> str:
    await official_with_session(app, days_ahead=14)
    client = app.test_client()
    slot = (await (await client.get("/api/v1/reception/agencies/TT/slots")).get_json())["items"][0]
    response = await client.post("/api/v1/bookings", json=booking_form(slot["slot"]))
    assert response.status_code == 201
    return str((await response.get_json())["token"])


async def test_a_logged_mail_carries_no_private_link_token(
        sec_app: Quart, caplog: pytest.LogCaptureFixture,
        capsys: pytest.CaptureFixture[str]) -> None:
    with capture_logs() as events:  # wherever the log goes, as configured now
        token = await _book(sec_app)
        await sec_app.container.booking.outbox.deliver_due()  # type: ignore[attr-defined]
    written = "\n".join(map(str, events)) + caplog.text + "".join(capsys.readouterr())
    assert "mail not sent (no SMTP_HOST)" in written and "/my-booking?t=" in written
    assert token not in written


def test_every_log_event_is_redacted() -> None:
    from reception.redaction import redact_secrets

    event = {"event": "request", "path": "/my-booking?t=AbCdEf1234567890xyz",
             "token": "secret-value", "detail": "secret=0123456789ab and password: hunter2222",
             "nested": {"join_token": "abcdefghijkl"}}
    redacted = redact_secrets(None, "info", dict(event))
    text = str(redacted)
    for secret in ("AbCdEf1234567890xyz", "secret-value", "0123456789ab", "hunter2222",
                   "abcdefghijkl"):
        assert secret not in text
    assert redacted["path"] == "/my-booking?t=[redacted]"


async def test_pages_carry_the_security_headers(sec_app: Quart) -> None:
    token = await _book(sec_app)
    await make_staff(sec_app, "lan", *ALL_CASE_ROLES)
    staff, _ = await signed_in(sec_app, "lan")
    citizen = sec_app.test_client()
    for client, path in ((staff, "/cases/"), (staff, "/api/v1/cases/export.csv"),
                         (citizen, f"/my-booking?t={token}"), (citizen, "/status")):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Cache-Control"] == "no-store", path
        assert "camera=()" in response.headers["Permissions-Policy"]
    hearing = await citizen.get(f"/my-booking/waiting-room?t={token}")
    assert "camera=(self)" in hearing.headers["Permissions-Policy"]
    static = await citizen.get("/static/site.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")


async def test_a_client_session_cookie_would_be_samesite_and_httponly(sec_app: Quart) -> None:
    async def touch() -> str:
        session["probe"] = "1"
        return "ok"

    sec_app.add_url_rule("/probe-session", "probe_session", touch)
    response = await sec_app.test_client().get("/probe-session")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie


def test_personal_files_are_not_world_readable(tmp_path: Path) -> None:
    from reception.adapters.files import private_file  # the recorder's way to open its files
    from reception.adapters.media.recording.chain.records import sidecar_of
    from reception.adapters.media.recording.chain.writing import seal
    from reception.adapters.media.recording.manifest import Manifest

    documents = DocumentStore(tmp_path / "case_documents")
    digest = documents.save(b"%PDF-1.4 case document")
    uploads = DiskFileStore(tmp_path / "uploads")
    upload, _ = uploads.save(b"\x89PNG upload")
    recording = private_file(tmp_path / "recording.webm")
    recording.write_bytes(b"\x1aE\xdf\xa3 a crashed file's first bytes")
    sealed = seal(recording)  # a crash repair writes the file's closed chain beside it
    manifest = Manifest("c0ffee", "c0ffee.webm", "c0ffee.mkv", datetime.now(UTC))
    manifest.write(tmp_path)
    assert sealed and sidecar_of(recording).read_text(encoding="ascii") == sealed
    for path in (tmp_path / "case_documents" / digest[:2] / digest,
                 tmp_path / "uploads" / upload[:2] / upload, recording,
                 sidecar_of(recording), Manifest.path_for(tmp_path, "c0ffee")):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o007 == 0 and mode & 0o600 == 0o600, (path, oct(mode))


async def test_bidirectional_overrides_are_shown_as_codes_to_staff(sec_app: Quart) -> None:
    await make_staff(sec_app, "lan", *ALL_CASE_ROLES)
    client, csrf = await signed_in(sec_app, "lan")
    # A name refuses them at the input (web/text.py); text of several lines still takes them.
    named = await client.post("/api/v1/cases", headers={"X-CSRF-Token": csrf}, json={
        "kind": "petition", "channel": "post", "summary": "Đơn kiến nghị",
        "parties": [{"role": "petitioner", "full_name": "An \u202etxt.exe"}]})
    assert named.status_code == 422
    created = await client.post("/api/v1/cases", headers={"X-CSRF-Token": csrf}, json={
        "kind": "petition", "channel": "post", "summary": "Đơn \u202etxt.exe",
        "parties": [{"role": "petitioner", "full_name": "Nguyễn Văn An"}]})
    assert created.status_code == 201
    page = await (await client.get(f"/cases/{(await created.get_json())['id']}")).get_data(
        as_text=True)
    assert "\u202e" not in page and "Đơn [U+202E]txt.exe" in page


async def test_the_openapi_document_lists_errors_and_required_parameters(sec_app: Quart) -> None:
    document = await (await sec_app.test_client().get("/api/openapi.json")).get_json()
    search = document["paths"]["/api/v1/search"]["get"]
    q = next(p for p in search["parameters"] if p["name"] == "q")
    assert q.get("required") is True
    for code in ("400", "401", "403", "404", "409", "413", "422", "429", "503"):
        assert "application/problem+json" in search["responses"][code]["content"]
    case = document["paths"]["/api/v1/cases/{case_id}"]["get"]
    assert next(p for p in case["parameters"] if p["name"] == "case_id")["schema"]["format"] == "uuid"
