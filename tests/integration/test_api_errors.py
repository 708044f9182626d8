"""Bad input gets a clear problem+json (API) or a readable page, never a stack trace."""

from __future__ import annotations

from quart import Quart
from quart.typing import TestClientProtocol as Client

from reception.domain.organisation import StaffRole
from tests.integration.conftest import log_in, make_staff


async def _csrf_header(client: Client) -> dict[str, str]:
    page = await (await client.get("/staff")).get_data(as_text=True)
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    return {"X-CSRF-Token": token}


async def _admin(app: Quart, client: Client) -> dict[str, str]:
    await make_staff(app, "root", StaffRole.ADMINISTRATOR)
    await log_in(client, "root")
    return await _csrf_header(client)


async def test_health_checks_the_database(client: Client) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    body = await response.get_json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert isinstance(body["media_nodes"], int)  # video hearings need one alive


async def test_unknown_routes_are_404_in_the_callers_format(client: Client) -> None:
    api = await client.get("/api/v1/nothing-here")
    assert api.status_code == 404
    assert api.content_type == "application/problem+json"
    body = await api.get_json()
    assert body["status"] == 404 and body["title"] == "Không tìm thấy" and body["detail"]
    page = await client.get("/nothing-here")
    assert page.status_code == 404 and "text/html" in page.content_type
    assert "Không có trang nào ở địa chỉ này" in await page.get_data(as_text=True)


async def test_the_api_requires_a_session(client: Client) -> None:
    response = await client.get("/api/v1/me")
    assert response.status_code == 401
    assert (await response.get_json())["title"] == "Vui lòng đăng nhập"


async def test_malformed_json_is_refused_clearly(app: Quart, client: Client) -> None:
    headers = await _admin(app, client)
    response = await client.post("/api/v1/agencies", data=b"{not json",
                                 headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert (await response.get_json())["detail"] == "Nội dung gửi lên không phải JSON hợp lệ."


async def test_schema_errors_name_each_field(app: Quart, client: Client) -> None:
    headers = await _admin(app, client)
    response = await client.post("/api/v1/agencies", json={"code": "x", "level": "planet"},
                                 headers=headers)
    body = await response.get_json()
    assert response.status_code == 400 and body["code"] == "validation_failed"
    assert {e["field"] for e in body["errors"]} == {"code", "name", "level"}


async def test_the_api_creates_agencies_and_reports_conflicts(app: Quart, client: Client) -> None:
    headers = await _admin(app, client)
    payload = {"code": "BN", "name": "UBND tỉnh Bắc Ninh", "level": "province"}
    created = await client.post("/api/v1/agencies", json=payload, headers=headers)
    assert created.status_code == 201 and (await created.get_json())["code"] == "BN"
    again = await client.post("/api/v1/agencies", json=payload, headers=headers)
    assert again.status_code == 409
    assert (await again.get_json())["detail"] == "Đã có cơ quan với mã BN."


async def test_an_api_post_with_session_but_no_csrf_header_is_refused(
    app: Quart, client: Client
) -> None:
    await _admin(app, client)
    response = await client.post("/api/v1/agencies",
                                 json={"code": "BN", "name": "Bắc Ninh", "level": "province"})
    assert response.status_code == 403


async def test_an_oversize_body_is_refused(app: Quart, client: Client) -> None:
    headers = await _admin(app, client)
    app.config["MAX_CONTENT_LENGTH"] = 2048
    response = await client.post("/api/v1/agencies", data=b"x" * 4096,
                                 headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 413
    assert (await response.get_json())["detail"] == "Nội dung gửi lên quá lớn."


async def test_an_unexpected_error_shows_no_stack_trace(app: Quart, client: Client) -> None:
    async def broken() -> str:
        raise RuntimeError("secret internals")

    app.add_url_rule("/api/v1/broken", "broken", broken)
    response = await client.get("/api/v1/broken")
    text = await response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internals" not in text and "Traceback" not in text
    assert "Dữ liệu của bạn vẫn an toàn" in text
