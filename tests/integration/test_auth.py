"""Staff login, logout, throttling and CSRF through the real app and database."""

from __future__ import annotations

import pytest
from quart import Quart
from quart.typing import TestClientProtocol as Client

from reception.adapters.passwords import Argon2Hasher
from reception.domain.organisation import StaffRole
from reception.services.errors import AuthenticationFailed
from reception.services.staff import StaffService
from tests.integration.conftest import PASSWORD, form_token, log_in, make_staff


async def test_login_page_is_vietnamese_by_default(client: Client) -> None:
    response = await client.get("/login")
    html = await response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'lang="vi"' in html and "Đăng nhập cán bộ" in html


async def test_english_is_one_click_away(client: Client) -> None:
    switched = await client.get("/lang/en?next=/login")
    assert switched.status_code == 302 and switched.headers["Location"] == "/login"
    html = await (await client.get("/login")).get_data(as_text=True)
    assert 'lang="en"' in html and "Staff login" in html


async def test_a_staff_member_logs_in_and_out(app: Quart, client: Client) -> None:
    await make_staff(app, "lan", StaffRole.RECEPTIONIST)
    assert await log_in(client, "LAN") == 302  # logins are case-insensitive
    workspace = await client.get("/staff")
    assert "Xin chào, Name lan" in await workspace.get_data(as_text=True)
    token = await form_token(client, "/staff")
    await client.post("/logout", form={"csrf_token": token})
    assert (await client.get("/staff")).status_code == 302


async def test_auth_cookie_is_httponly_and_samesite(tmp_path, clean_db) -> None:  # type: ignore[no-untyped-def]
    from reception.app import create_app
    from tests.integration.conftest import make_settings

    app = create_app(make_settings(tmp_path, clean_db, COOKIE_SECURE="true"), clean_db)
    async with app.test_app():
        await make_staff(app, "lan", StaffRole.RECEPTIONIST)
        client = app.test_client()
        token = await form_token(client, "/login")
        response = await client.post("/login", form={"login": "lan", "password": PASSWORD,
                                                     "csrf_token": token}, scheme="https")
        cookie = next(v for v in response.headers.getlist("Set-Cookie")
                      if v.startswith("reception_auth="))
        assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie


async def test_a_wrong_password_is_refused_with_a_clear_message(
    app: Quart, client: Client
) -> None:
    await make_staff(app, "lan", StaffRole.RECEPTIONIST)
    token = await form_token(client, "/login")
    response = await client.post("/login", form={"login": "lan", "password": "guess-guess",
                                                 "csrf_token": token})
    assert response.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu." in await response.get_data(as_text=True)
    assert (await client.get("/staff")).status_code == 302


async def test_a_deactivated_account_cannot_log_in(app: Quart, client: Client) -> None:
    admin = await make_staff(app, "root", StaffRole.ADMINISTRATOR)
    member = await make_staff(app, "lan", StaffRole.RECEPTIONIST)
    await app.container.staff.update_staff(admin, member.id, active=False)  # type: ignore[attr-defined]
    assert await log_in(client, "lan") == 401


async def test_a_form_post_without_csrf_token_is_refused(
    app: Quart, client: Client
) -> None:
    await make_staff(app, "lan", StaffRole.RECEPTIONIST)
    await client.get("/login")  # has the cookie, but posts no token
    response = await client.post("/login", form={"login": "lan", "password": PASSWORD})
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in await response.get_data(as_text=True)
    forged = await client.post("/login", form={"login": "lan", "password": PASSWORD,
                                               "csrf_token": "0" * 64})
    assert forged.status_code == 403


async def test_pages_need_login_and_the_right_role(app: Quart, client: Client) -> None:
    anonymous = await client.get("/admin/staff")
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/login?next=/admin/staff")
    await make_staff(app, "lan", StaffRole.RECEPTIONIST)
    await log_in(client, "lan")
    assert (await client.get("/admin/staff")).status_code == 403


class CountingHasher(Argon2Hasher):
    """The real Argon2id hasher, counting what it does."""

    def __init__(self) -> None:
        super().__init__()
        self.verified = self.hashed = 0

    def verify(self, password_hash: str, password: str) -> bool:
        self.verified += 1
        return super().verify(password_hash, password)

    def hash(self, password: str) -> str:
        self.hashed += 1
        return super().hash(password)


async def test_an_unknown_or_deactivated_login_costs_one_password_check_like_a_wrong_password(
    app: Quart
) -> None:
    """The time a refusal takes is the password check's: it must not tell which accounts exist."""
    admin = await make_staff(app, "root", StaffRole.ADMINISTRATOR)
    await make_staff(app, "lan", StaffRole.RECEPTIONIST)
    gone = await make_staff(app, "gone", StaffRole.RECEPTIONIST)
    await app.container.staff.update_staff(admin, gone.id, active=False)  # type: ignore[attr-defined]
    hasher = CountingHasher()
    service = StaffService(app.container.uow_factory, hasher, app.container.clock)  # type: ignore[attr-defined]
    for login in ("lan", "nobody", "gone", "nobody-else", "gone"):
        before = hasher.verified
        with pytest.raises(AuthenticationFailed):
            await service.authenticate(login, "wrong-password")
        assert hasher.verified - before == 1, login
    assert hasher.hashed <= 1  # the stand-in hash is made once
    assert (await service.authenticate("lan", PASSWORD)).login == "lan"
