"""Sessions are server-side and end for real: a copied cookie is worthless after logout,
after 15 idle minutes, after the absolute lifetime, and after a password change, a role
change or a deactivation; members list and end their own; the citizen's case secret never
travels in a cookie."""

from __future__ import annotations

from datetime import timedelta

from quart import Quart

from reception.domain.organisation import StaffRole
from tests.integration.booking.conftest import PinnedClock
from tests.integration.cases.helpers import ALL_CASE_ROLES
from tests.integration.conftest import PASSWORD, form_token, make_staff
from tests.integration.security.conftest import auth_cookie, replay, signed_in


async def _me(app: Quart, cookie: str) -> int:
    return (await replay(app, cookie).get("/api/v1/me")).status_code

ANDROID_CHROME = ("Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/131.0.0.0 Mobile Safari/537.36")


async def test_logout_ends_the_session_for_a_copied_cookie_too(sec_app: Quart) -> None:
    await make_staff(sec_app, "lan", StaffRole.RECEPTIONIST)
    client, csrf = await signed_in(sec_app, "lan")
    stolen = auth_cookie(client)
    assert await _me(sec_app, stolen) == 200
    await client.post("/logout", form={"csrf_token": csrf})
    assert await _me(sec_app, stolen) == 401  # the old code accepted it for 12 hours
    joined = await replay(sec_app, stolen).post(
        "/api/v1/hearings/00000000-0000-0000-0000-000000000000/join", json={})
    assert joined.status_code in (401, 403)  # no session: refused whatever it carries


async def test_an_idle_session_times_out_and_no_activity_outlives_the_lifetime(
        sec_app: Quart, clock: PinnedClock) -> None:
    await make_staff(sec_app, "lan", StaffRole.RECEPTIONIST)
    client, _ = await signed_in(sec_app, "lan")
    cookie = auth_cookie(client)
    clock.at += timedelta(minutes=14)
    assert await _me(sec_app, cookie) == 200  # activity keeps it alive
    clock.at += timedelta(minutes=16)
    assert await _me(sec_app, cookie) == 401  # 16 idle minutes: ended

    client, _ = await signed_in(sec_app, "lan")
    cookie = auth_cookie(client)
    for _ in range(12 * 6 - 1):  # busy all day, a request every 10 minutes
        clock.at += timedelta(minutes=10)
        assert await _me(sec_app, cookie) == 200
    clock.at += timedelta(minutes=11)
    assert await _me(sec_app, cookie) == 401  # 12 hours after login, whatever the activity


async def test_password_role_change_and_deactivation_end_every_session(sec_app: Quart) -> None:
    admin = await make_staff(sec_app, "root", StaffRole.ADMINISTRATOR)
    member = await make_staff(sec_app, "lan", StaffRole.RECEPTIONIST)
    staff = sec_app.container.staff  # type: ignore[attr-defined]

    laptop, _ = await signed_in(sec_app, "lan")
    phone, csrf = await signed_in(sec_app, "lan")
    old_laptop, old_phone = auth_cookie(laptop), auth_cookie(phone)
    changed = await phone.post("/account/password", form={
        "current": PASSWORD, "new": "another long password", "csrf_token": csrf})
    assert changed.status_code == 302
    assert await _me(sec_app, old_laptop) == 401 and await _me(sec_app, old_phone) == 401
    assert (await phone.get("/api/v1/me")).status_code == 200  # this browser signed in afresh

    cookie = auth_cookie(phone)
    await staff.update_staff(admin, member.id, roles=frozenset({StaffRole.CASE_MANAGER}))
    assert await _me(sec_app, cookie) == 401

    again, _ = await signed_in(sec_app, "lan", "another long password")
    cookie = auth_cookie(again)
    await staff.update_staff(admin, member.id, active=False)
    assert await _me(sec_app, cookie) == 401


async def test_members_list_and_end_their_sessions_and_admins_end_all(sec_app: Quart) -> None:
    await make_staff(sec_app, "root", StaffRole.ADMINISTRATOR)
    member = await make_staff(sec_app, "lan", StaffRole.RECEPTIONIST)
    laptop, _ = await signed_in(sec_app, "lan")
    phone, _ = await signed_in(sec_app, "lan", user_agent=ANDROID_CHROME)
    page = await (await phone.get("/account/")).get_data(as_text=True)
    assert page.count("/end") == 1 and "Trình duyệt này" in page  # the other one can be ended
    # Each sign-in named as its person would say it, not as the raw header.
    assert "Chrome Mobile trên Android" in page and "Mozilla" not in page
    other = page.split('action="/account/sessions/')[1].split("/end")[0]
    token = await form_token(phone, "/account/")
    assert (await phone.post(f"/account/sessions/{other}/end",
                             form={"csrf_token": token})).status_code == 302
    assert (await laptop.get("/api/v1/me")).status_code == 401
    assert (await phone.get("/api/v1/me")).status_code == 200

    admin, admin_csrf = await signed_in(sec_app, "root")
    ended = await admin.post(f"/admin/staff/{member.id}/sessions/end",
                             form={"csrf_token": admin_csrf})
    assert ended.status_code == 302
    assert (await phone.get("/api/v1/me")).status_code == 401


async def test_the_citizens_case_secret_is_never_in_a_cookie(sec_app: Quart) -> None:
    await make_staff(sec_app, "lan", *ALL_CASE_ROLES)
    client, _ = await signed_in(sec_app, "lan")
    token = await form_token(client, "/cases/new")
    response = await client.post("/cases/new", form={
        "csrf_token": token, "kind": "petition", "channel": "post", "summary": "Đơn kiến nghị",
        "full_name": "Nguyễn Văn An", "address": "Hà Nội", "id_type": "CCCD",
        "id_number": "001085012345"})
    assert response.status_code == 303, await response.get_data(as_text=True)
    cookies = response.headers.getlist("Set-Cookie")
    assert not [c for c in cookies if c.startswith("session=")]  # no readable client session
    page = await (await client.get(response.headers["Location"])).get_data(as_text=True)
    secret = page.split('class="secret-code"')[1].split("<code>")[1].split("</code>")[0]
    assert len(secret) >= 12
    jar = "".join(c.value for c in client.cookie_jar)  # type: ignore[attr-defined,union-attr]
    assert secret not in jar
